// What an evidence file is, decided from its bytes (magic numbers, and the ZIP directory of Office files), never
// from its name or declared content type. Pure: no I/O.
import { sniffFormat } from '../photos/image.js';
import type { EvidenceFileKind } from '../../../core/evidence.js';

export const ACCEPTED_TEXT = 'accepted: PDF, JPEG/PNG/WebP images, Word (.docx), Excel (.xlsx)';

export const KIND_MIME: Record<EvidenceFileKind, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const KIND_EXT: Record<EvidenceFileKind, string> = { pdf: 'pdf', jpeg: 'jpg', png: 'png', webp: 'webp', docx: 'docx', xlsx: 'xlsx' };

export const isImageKind = (kind: EvidenceFileKind): kind is 'jpeg' | 'png' | 'webp' => kind === 'jpeg' || kind === 'png' || kind === 'webp';

/** A refused file: `detected` is a stable word for what the bytes are (executable, archive, legacy-office, …). */
export interface Refusal {
  detected: string;
  reason: string;
}

export type Sniffed = { kind: EvidenceFileKind } | Refusal;

const ascii = (data: Buffer, from: number, to: number) => data.subarray(from, Math.min(to, data.length)).toString('latin1');
const startsWith = (data: Buffer, bytes: number[], offset = 0) => data.length >= offset + bytes.length && bytes.every((b, i) => data[offset + i] === b);
const refuse = (detected: string, reason: string): Refusal => ({ detected, reason: `${reason}; ${ACCEPTED_TEXT}` });

/** The decision for one upload. Images still have to decode (the service runs them through the photo pipeline). */
export function sniffEvidence(data: Buffer): Sniffed {
  if (data.length === 0) return refuse('empty', 'the file is empty');
  // PDF: the header may follow a little junk (the spec allows it in the first 1024 bytes); a complete file ends
  // with %%EOF (possibly followed by whitespace or an appended update).
  const head = ascii(data, 0, 1024);
  if (head.includes('%PDF-')) {
    if (!ascii(data, Math.max(0, data.length - 8192), data.length).includes('%%EOF')) return { detected: 'pdf', reason: `the PDF is truncated or damaged (no %%EOF); ${ACCEPTED_TEXT}` };
    return { kind: 'pdf' };
  }
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) return sniffZip(data);
  const image = sniffFormat(data);
  if ('format' in image) return { kind: image.format };
  if (ascii(data, 0, 2) === 'MZ') return refuse('executable', 'programs (.exe, .dll) are not accepted');
  if (startsWith(data, [0x7f, 0x45, 0x4c, 0x46])) return refuse('executable', 'programs (ELF) are not accepted');
  if (startsWith(data, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(data, [0xfe, 0xed, 0xfa, 0xce]) || startsWith(data, [0xca, 0xfe, 0xba, 0xbe])) {
    return refuse('executable', 'programs (Mach-O) are not accepted');
  }
  if (ascii(data, 0, 2) === '#!') return refuse('script', 'scripts are not accepted');
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return refuse('legacy-office', 'Office 97-2003 files (.doc, .xls) and password-protected Office files are not accepted: save as .docx/.xlsx or PDF');
  }
  if (ascii(data, 0, 4) === 'Rar!' || startsWith(data, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) || startsWith(data, [0x1f, 0x8b])) {
    return refuse('archive', 'archives (.rar, .7z, .gz) are not accepted: upload each document itself');
  }
  if (ascii(data, 0, 6) === 'GIF87a' || ascii(data, 0, 6) === 'GIF89a') return refuse('gif', 'GIF images are not accepted');
  if (ascii(data, 4, 8) === 'ftyp') return refuse('heif-or-video', 'HEIC/HEIF photos and videos are not accepted: set the camera to "Most compatible" (JPEG)');
  if (ascii(data, 0, 2) === 'BM') return refuse('bmp', 'BMP images are not accepted');
  if (startsWith(data, [0x49, 0x49, 0x2a, 0x00]) || startsWith(data, [0x4d, 0x4d, 0x00, 0x2a])) return refuse('tiff', 'TIFF images are not accepted');
  if (ascii(data, 0, 5) === '{\\rtf') return refuse('rtf', 'RTF documents are not accepted: save as .docx or PDF');
  return refuse('unknown', 'the content is not a PDF, image, Word or Excel document (whatever its name says)');
}

/** Names of the entries of a ZIP file, read from its central directory (nothing is decompressed). */
export function zipEntries(data: Buffer): { names: string[]; encrypted: boolean } | null {
  // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the very end.
  const min = Math.max(0, data.length - 22 - 65535);
  let eocd = -1;
  for (let i = data.length - 22; i >= min; i--) {
    if (data[i] === 0x50 && data[i + 1] === 0x4b && data[i + 2] === 0x05 && data[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  let count = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    // ZIP64: the locator sits right before the classic record and points at the ZIP64 end record.
    const loc = eocd - 20;
    if (loc < 0 || data.readUInt32LE(loc) !== 0x07064b50) return null;
    const rec = Number(data.readBigUInt64LE(loc + 8));
    if (rec < 0 || rec + 56 > data.length || data.readUInt32LE(rec) !== 0x06064b50) return null;
    count = Number(data.readBigUInt64LE(rec + 32));
    offset = Number(data.readBigUInt64LE(rec + 48));
  }
  if (count > 100_000) return null;
  const names: string[] = [];
  let encrypted = false;
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) return null;
    const flags = data.readUInt16LE(p + 8);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    if (p + 46 + nameLen > data.length) return null;
    if (flags & 1) encrypted = true;
    names.push(data.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { names, encrypted };
}

function sniffZip(data: Buffer): Sniffed {
  const zip = zipEntries(data);
  if (!zip) return refuse('archive', 'the file looks like a ZIP archive but is truncated or damaged');
  const names = new Set(zip.names);
  if (!names.has('[Content_Types].xml')) return refuse('archive', 'ZIP archives are not accepted: upload each document itself');
  if (zip.encrypted) return refuse('encrypted', 'encrypted documents are not accepted');
  if (zip.names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return refuse('macro', 'documents with macros (.docm, .xlsm) are not accepted: save as .docx/.xlsx');
  if (names.has('word/document.xml')) return { kind: 'docx' };
  if (names.has('xl/workbook.xml')) return { kind: 'xlsx' };
  if (names.has('ppt/presentation.xml')) return refuse('pptx', 'PowerPoint files are not accepted: save as PDF');
  return refuse('archive', 'this Office Open XML package is neither a Word nor an Excel document');
}

/**
 * The name a file is downloaded under: the uploaded name with the extension of what it really is (a PDF uploaded
 * as 通知.jpg downloads as 通知.pdf; an image is served as its EXIF-stripped JPEG copy, so .jpg).
 */
export function downloadName(originalName: string, kind: EvidenceFileKind): string {
  const servedExt = isImageKind(kind) ? 'jpg' : KIND_EXT[kind];
  const dot = originalName.lastIndexOf('.');
  const base = (dot > 0 ? originalName.slice(0, dot) : originalName) || 'evidence';
  const ext = dot > 0 ? originalName.slice(dot + 1).toLowerCase() : '';
  const same = ext === servedExt || (servedExt === 'jpg' && ext === 'jpeg');
  return same ? originalName : `${base}.${servedExt}`;
}
