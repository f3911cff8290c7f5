// The ledger as .xlsx, streamed: exceljs's WorkbookWriter writes each row into the zip as it is committed, so memory
// stays flat however many rows there are. exceljs's streaming writer cannot embed pictures (only its in-memory
// workbook can), so this file adds the one drawing part a sheet of thumbnails needs: anchors are written to a temp
// file as rows go by, and the zip reads them and the thumbnail files from disk at the end.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { Config } from '../../config.js';
import { servedFile } from '../photos/service.js';
import { LEDGER_COLUMNS, type LedgerColumnKey } from './labels.js';
import type { LedgerPhoto, LedgerRow } from './service.js';
import { ExportAborted } from './stream.js';

const require = createRequire(import.meta.url);
// exceljs's own renderer of [Content_Types].xml; it already knows drawings, the streaming writer just never passes any.
const ContentTypesXform = require('exceljs/lib/xlsx/xform/core/content-types-xform.js') as new () => { toXml(model: unknown): string };

/** A full copy standing in for a missing thumbnail is shrunk to fit this box (pixels): sharp enough in print. */
export const THUMB_BOX = { width: 160, height: 120 } as const;
/** Each picture is shown inside this box (screen pixels); two sit side by side in a photo cell. */
export const PHOTO_BOX = { width: 100, height: 75, gap: 8, pad: 5 } as const;
const EMU_PER_PX = 9525;
/** Excel's row height unit is the point; at 96 dpi a pixel is 0.75 pt. */
const PT_PER_PX = 0.75;
/** Text line height of the 10 pt body font, in points, and Excel's ceiling for a row. */
const LINE_PT = 13.5;
const MAX_ROW_PT = 409;
const HEADER_ROWS = 3;

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };
const FONT = { name: '宋体', size: 10 };
// One style object per kind of cell: exceljs caches style ids by object identity, which keeps 1.7 M cells cheap.
const STYLE_LEFT: Partial<ExcelJS.Style> = { font: FONT, border: BORDER, alignment: { vertical: 'middle', horizontal: 'left', wrapText: true } };
const STYLE_CENTER: Partial<ExcelJS.Style> = { font: FONT, border: BORDER, alignment: { vertical: 'middle', horizontal: 'center', wrapText: true } };
const STYLE_PHOTO_NOTE: Partial<ExcelJS.Style> = { font: { ...FONT, size: 9, color: { argb: 'FF666666' } }, border: BORDER, alignment: { vertical: 'bottom', horizontal: 'right' } };
const STYLE_HEADER: Partial<ExcelJS.Style> = {
  font: { ...FONT, size: 11, bold: true },
  border: BORDER,
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } },
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
};
const STYLE_TITLE: Partial<ExcelJS.Style> = { font: { name: '宋体', size: 16, bold: true }, alignment: { vertical: 'middle', horizontal: 'center' } };
const STYLE_SUBTITLE: Partial<ExcelJS.Style> = { font: { name: '宋体', size: 10, color: { argb: 'FF444444' } }, alignment: { vertical: 'middle', horizontal: 'left' } };
const COLUMN_STYLES = LEDGER_COLUMNS.map((c) => (c.center ? STYLE_CENTER : STYLE_LEFT));

interface ZipInternals {
  append(data: string | Buffer, opts: { name: string }): void;
  file(path: string, opts: { name: string; store?: boolean }): void;
}
interface WorkbookInternals {
  zip: ZipInternals;
  media: unknown[];
  _worksheets: unknown[];
  sharedStrings: unknown;
  commentRefs: unknown[];
  addContentTypes(): Promise<void>;
  addMedia(): Promise<void>;
}
interface StreamBufInternals {
  buffers?: { length: number }[];
  /** archiver wraps the sheet in a readable-stream PassThrough; its buffered bytes sit in these states. */
  pipes?: { _writableState?: { length?: number }; _readableState?: { length?: number } }[];
}
interface WorksheetInternals {
  stream: StreamBufInternals & { write(data: Buffer): void };
  _sheetRelsWriter: { addRelationship(rel: { Target: string; Type: string }): string };
  _write(text: string): void;
  _writeLegacyData(): void;
}

const xmlEscape = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** Width of a text in Excel "characters" (the digit 0 of the body font); CJK glyphs take about two. */
function textWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) w += s.charCodeAt(i) > 0x2e7f ? 2 : 1.1;
  return w;
}

/** Lines a wrapped cell needs in a column of `width` characters. */
function linesFor(text: string, width: number): number {
  const usable = Math.max(1, width - 1.5);
  if (text.length * 2 <= usable && !text.includes('\n')) return 1;
  let lines = 0;
  for (const part of text.split('\n')) lines += Math.max(1, Math.ceil(textWidth(part) / usable));
  return lines;
}

/** Pixel width of an Excel column of `chars` characters (Calibri/宋体 11: 7 px per character plus padding). */
const columnPx = (chars: number) => Math.floor(chars * 7 + 5);

/** exceljs's ValueType.String, for its style table. */
const CELL_TYPE_STRING = 3;
const COLUMN_LETTERS = LEDGER_COLUMNS.map((_, i) => String.fromCharCode(65 + i));
// Characters XML 1.0 cannot carry (control characters, U+FFFE/U+FFFF) are dropped; descriptions come from the public.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function xmlText(s: string): string {
  if (!XML_SPECIAL.test(s)) return s;
  return s.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One `<row>` of SpreadsheetML: numbers as numbers, text as inline strings, empty cells kept for their borders. */
function rowXml(rowNumber: number, values: (string | number)[], styles: number[], heightPt: number): string {
  let xml = `<row r="${rowNumber}" spans="1:${values.length}" ht="${heightPt}" customHeight="1">`;
  for (let i = 0; i < values.length; i++) {
    const ref = `${COLUMN_LETTERS[i]}${rowNumber}`;
    const v = values[i];
    if (typeof v === 'number') xml += `<c r="${ref}" s="${styles[i]}"><v>${v}</v></c>`;
    else if (v === '') xml += `<c r="${ref}" s="${styles[i]}"/>`;
    else xml += `<c r="${ref}" s="${styles[i]}" t="inlineStr"><is><t xml:space="preserve">${xmlText(v)}</t></is></c>`;
  }
  return `${xml}</row>`;
}

/** Accumulates the sheet's pictures: the drawing XML and its relationships go to temp files as rows are written. */
class SheetDrawing {
  private anchors: WriteStream | null = null;
  private rels: WriteStream | null = null;
  private count = 0;
  constructor(private readonly dir: string) {}

  get size() {
    return this.count;
  }

  private open() {
    this.anchors = createWriteStream(join(this.dir, 'drawing1.xml'));
    this.rels = createWriteStream(join(this.dir, 'drawing1.xml.rels'));
    this.anchors.write(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    );
    this.rels.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">');
  }

  /** A picture anchored at a cell's top-left corner plus an offset, `width`×`height` pixels on screen. */
  add(p: { mediaName: string; col: number; row: number; offsetX: number; offsetY: number; width: number; height: number; description: string }) {
    if (!this.anchors) this.open();
    const n = ++this.count;
    const rId = `rId${n}`;
    const cx = Math.round(p.width * EMU_PER_PX);
    const cy = Math.round(p.height * EMU_PER_PX);
    this.rels!.write(`<Relationship Id="${rId}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/${p.mediaName}"/>`);
    this.anchors!.write(
      `<xdr:oneCellAnchor><xdr:from><xdr:col>${p.col}</xdr:col><xdr:colOff>${Math.round(p.offsetX * EMU_PER_PX)}</xdr:colOff><xdr:row>${p.row}</xdr:row><xdr:rowOff>${Math.round(p.offsetY * EMU_PER_PX)}</xdr:rowOff></xdr:from>` +
        `<xdr:ext cx="${cx}" cy="${cy}"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="${n + 1}" name="Picture ${n}" descr="${xmlEscape(p.description)}"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>` +
        `<xdr:blipFill><a:blip r:embed="${rId}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>` +
        `<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>`,
    );
  }

  /** Closes both files; returns their paths, or null when the sheet has no picture. */
  async finish(): Promise<{ drawing: string; rels: string } | null> {
    if (!this.anchors || !this.rels) return null;
    const end = (s: WriteStream, tail: string) => new Promise<void>((resolve, reject) => s.end(tail, (err?: Error | null) => (err ? reject(err) : resolve())));
    await Promise.all([end(this.anchors, '</xdr:wsDr>'), end(this.rels, '</Relationships>')]);
    return { drawing: this.anchors.path as string, rels: this.rels.path as string };
  }

  abort() {
    this.anchors?.destroy();
    this.rels?.destroy();
  }
}

interface PreparedImage {
  mediaName: string;
  width: number;
  height: number;
}

export interface LedgerXlsxOptions {
  title: string;
  subtitle: string;
  photos: boolean;
  config: Config;
  /** Called between pages with the bytes not yet compressed: waits while the consumer is slow, throws once it is gone. */
  pace: (pendingBytes: () => number) => Promise<void>;
}

/** Parallel thumbnail jobs: sharp works on libuv's pool, a few at a time keep both cores busy without a pile-up. */
const IMAGE_CONCURRENCY = 4;

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

/** Writes the ledger workbook to `out`, page by page; resolves when the last byte has been handed to `out`. */
export async function writeLedgerXlsx(out: Writable, pages: AsyncIterable<LedgerRow[]>, opts: LedgerXlsxOptions): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 6 } } });
  workbook.creator = 'Wenming 文明';
  const wbi = workbook as unknown as WorkbookInternals;
  const lastCol = LEDGER_COLUMNS.length;
  const lastColLetter = String.fromCharCode(64 + lastCol);
  const sheet = workbook.addWorksheet('整改台账', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROWS, topLeftCell: `A${HEADER_ROWS + 1}`, activeCell: `A${HEADER_ROWS + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${HEADER_ROWS}:${HEADER_ROWS}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
  const wsi = sheet as unknown as WorksheetInternals;
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width }));

  const title = sheet.addRow([opts.title]);
  title.height = 32;
  title.getCell(1).style = STYLE_TITLE;
  sheet.mergeCells(1, 1, 1, lastCol);
  title.commit();
  const subtitle = sheet.addRow([opts.subtitle]);
  subtitle.height = 20;
  subtitle.getCell(1).style = STYLE_SUBTITLE;
  sheet.mergeCells(2, 1, 2, lastCol);
  subtitle.commit();
  const header = sheet.addRow(LEDGER_COLUMNS.map((c) => c.header));
  header.height = 30;
  header.eachCell((cell) => (cell.style = STYLE_HEADER));
  header.commit();
  sheet.autoFilter = `A${HEADER_ROWS}:${lastColLetter}${HEADER_ROWS}`;
  const styleTable = (workbook as unknown as { styles: { addStyleModel(style: unknown, cellType?: number): number } }).styles;
  const dataStyles = COLUMN_STYLES.map((st) => styleTable.addStyleModel(st, CELL_TYPE_STRING));
  const photoNoteStyle = styleTable.addStyleModel(STYLE_PHOTO_NOTE, CELL_TYPE_STRING);

  const tmp = opts.photos ? await mkdtemp(join(tmpdir(), 'wenming-ledger-')) : null;
  const drawing = tmp ? new SheetDrawing(tmp) : null;
  const images = new Map<number, PreparedImage | null>();
  const photoColumns = LEDGER_COLUMNS.map((c, i) => ({ key: c.key, index: i, photo: !!c.photo, width: c.width })).filter((c) => c.photo);

  /**
   * A made thumbnail goes into the zip as it is, read from its file at the end (no decoding, no copy in memory).
   * Until the thumbnail job has run, the sanitized full copy stands in, shrunk here with sharp into a temp file.
   */
  const prepareImage = async (p: LedgerPhoto) => {
    if (out.destroyed) throw new ExportAborted();
    const file = await servedFile(opts.config, p.row, 'thumb');
    if (!file) return void images.set(p.id, null);
    if (!file.fallback) {
      const id = workbook.addImage({ filename: file.path, extension: 'jpeg' });
      images.set(p.id, { mediaName: `image${id}.jpeg`, width: p.row.width, height: p.row.height });
      return;
    }
    try {
      const { data, info } = await sharp(file.path, { failOn: 'none' })
        .resize({ width: THUMB_BOX.width, height: THUMB_BOX.height, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 75 })
        .toBuffer({ resolveWithObject: true });
      const path = join(tmp!, `p${p.id}.jpeg`);
      await writeFile(path, data);
      const id = workbook.addImage({ filename: path, extension: 'jpeg' });
      images.set(p.id, { mediaName: `image${id}.jpeg`, width: info.width, height: info.height });
    } catch {
      // A damaged file must not sink the whole ledger: the cell keeps its photo count instead.
      images.set(p.id, null);
    }
  };
  // JPEGs do not deflate: store them in the zip as they are instead of spending a second of CPU per 100 MB.
  wbi.addMedia = async () => {
    for (const m of wbi.media as { name: string; filename: string }[]) wbi.zip.file(m.filename, { name: `xl/media/${m.name}`, store: true });
  };

  try {
    let rowNumber = HEADER_ROWS;
    for await (const page of pages) {
      if (drawing) {
        const todo = new Map<number, LedgerPhoto>();
        for (const r of page) for (const p of [...r.beforePhotos, ...r.afterPhotos]) if (!images.has(p.id)) todo.set(p.id, p);
        await mapLimit([...todo.values()], IMAGE_CONCURRENCY, prepareImage);
      }
      let xml = '';
      for (const r of page) {
        rowNumber++;
        let hasPictures = false;
        const values = LEDGER_COLUMNS.map((c) => cellValue(c.key, r, opts.photos));
        const styles = dataStyles.slice();
        if (drawing) {
          for (const col of photoColumns) {
            const isBefore = col.key === 'beforePhotos';
            const total = isBefore ? r.beforeCount : r.afterCount;
            const shown = (isBefore ? r.beforePhotos : r.afterPhotos).map((p) => images.get(p.id)).filter((i): i is PreparedImage => !!i);
            if (!shown.length) {
              // Files missing or unreadable: say how many photos there are instead of leaving the cell blank.
              values[col.index] = total ? `${total}张` : '';
              continue;
            }
            hasPictures = true;
            values[col.index] = total > shown.length ? `共${total}张` : '';
            if (values[col.index]) styles[col.index] = photoNoteStyle;
            placePictures(drawing, shown, col.index, rowNumber - 1, columnPx(col.width), isBefore ? '整改前照片' : '整改后照片');
          }
        }
        xml += rowXml(rowNumber, values, styles, rowHeight(values, hasPictures));
      }
      // Rows go straight into the sheet's stream as XML, styled with ids from exceljs's own style table: building
      // 17 exceljs Cell objects per row was most of the time of a 100,000-row export.
      wsi.stream.write(Buffer.from(xml, 'utf8'));
      await opts.pace(() => pendingSheetBytes(sheet));
    }

    if (drawing?.size) {
      // The sheet points at its drawing with <drawing r:id>, which belongs after rowBreaks and before legacyDrawing:
      // exceljs writes legacyDrawing (comments) right after rowBreaks, so the tag goes in just before it.
      const writeLegacy = wsi._writeLegacyData.bind(wsi);
      wsi._writeLegacyData = () => {
        const rId = wsi._sheetRelsWriter.addRelationship({ Target: '../drawings/drawing1.xml', Type: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing' });
        wsi._write(`<drawing r:id="${rId}"/>`);
        writeLegacy();
      };
    }
    sheet.commit();
    const parts = drawing ? await drawing.finish() : null;
    if (parts) {
      wbi.zip.file(parts.drawing, { name: 'xl/drawings/drawing1.xml' });
      wbi.zip.file(parts.rels, { name: 'xl/drawings/_rels/drawing1.xml.rels' });
      wbi.addContentTypes = async () => {
        const xml = new ContentTypesXform().toXml({
          worksheets: wbi._worksheets.filter(Boolean),
          sharedStrings: wbi.sharedStrings,
          commentRefs: wbi.commentRefs,
          media: wbi.media,
          drawings: [{ name: 'drawing1' }],
        });
        wbi.zip.append(xml, { name: '[Content_Types].xml' });
      };
    }
    await workbook.commit();
  } finally {
    drawing?.abort();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

/** Text of one cell; photo cells hold a count when pictures are not embedded. */
function cellValue(key: LedgerColumnKey, r: LedgerRow, embedsPhotos: boolean): string | number {
  switch (key) {
    case 'seq':
      return r.seq;
    case 'beforePhotos':
      return embedsPhotos || !r.beforeCount ? '' : `${r.beforeCount}张`;
    case 'afterPhotos':
      return embedsPhotos || !r.afterCount ? '' : `${r.afterCount}张`;
    default:
      return r[key];
  }
}

/** Up to two pictures side by side, each scaled into PHOTO_BOX and centred in its half of the cell. */
function placePictures(drawing: SheetDrawing, shown: PreparedImage[], col: number, row: number, cellWidthPx: number, description: string) {
  const slots = shown.slice(0, 2);
  const slotWidth = slots.length === 1 ? cellWidthPx : (cellWidthPx - PHOTO_BOX.gap) / 2;
  slots.forEach((img, i) => {
    const scale = Math.min(PHOTO_BOX.width / img.width, PHOTO_BOX.height / img.height, 1);
    const width = Math.max(1, Math.round(img.width * scale));
    const height = Math.max(1, Math.round(img.height * scale));
    const slotLeft = i === 0 ? 0 : slotWidth + PHOTO_BOX.gap;
    const offsetX = slotLeft + Math.max(0, (slotWidth - width) / 2);
    const offsetY = PHOTO_BOX.pad + Math.max(0, (PHOTO_BOX.height - height) / 2);
    drawing.add({ mediaName: img.mediaName, col, row, offsetX, offsetY, width, height, description });
  });
}

/** Row height in points: enough lines for the longest wrapped text, and room for the pictures. */
function rowHeight(values: (string | number)[], hasPictures: boolean): number {
  let lines = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && v && !LEDGER_COLUMNS[i].photo) lines = Math.max(lines, linesFor(v, LEDGER_COLUMNS[i].width));
  }
  const text = lines * LINE_PT + 4;
  const pictures = hasPictures ? (PHOTO_BOX.height + 2 * PHOTO_BOX.pad) * PT_PER_PX : 0;
  return Math.min(MAX_ROW_PT, Math.max(18, text, pictures));
}

/** Bytes the sheet has produced that the zip has not yet compressed: the writer waits while this is large. */
export function pendingSheetBytes(sheet: unknown): number {
  const s = (sheet as WorksheetInternals).stream;
  let n = 0;
  for (const b of s.buffers ?? []) n += b.length;
  for (const p of s.pipes ?? []) n += (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0);
  return n;
}
