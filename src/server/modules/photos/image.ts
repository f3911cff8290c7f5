// Image checks and transforms, without I/O beyond the buffers they are given. The type of a file is decided by its
// bytes (magic number, then a real decode by sharp), never by its name or declared content type.
import sharp from 'sharp';
import exifr from 'exifr';
import { Problem } from '../../errors.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export const IMAGE_MIME: Record<ImageFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
export const IMAGE_EXT: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** Sizes of the derived copies (long edge, px). The full copy keeps the original size. */
export const LARGE_EDGE = 1280;
export const THUMB_EDGE = 320;

const ACCEPTED = 'upload a JPEG, PNG or WebP photo';

const startsWith = (data: Buffer, bytes: number[], offset = 0) => bytes.every((b, i) => data[offset + i] === b);
const ascii = (data: Buffer, from: number, to: number) => data.subarray(from, to).toString('latin1');

/**
 * What the leading bytes say the file is. Accepted formats return the format; known refused ones return a reason
 * that tells the user what to do instead.
 */
export function sniffFormat(data: Buffer): { format: ImageFormat } | { reason: string } {
  if (data.length === 0) return { reason: 'the file is empty' };
  if (startsWith(data, [0xff, 0xd8, 0xff])) return { format: 'jpeg' };
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { format: 'png' };
  if (ascii(data, 0, 4) === 'RIFF' && ascii(data, 8, 12) === 'WEBP') return { format: 'webp' };
  if (ascii(data, 0, 6) === 'GIF87a' || ascii(data, 0, 6) === 'GIF89a') return { reason: `GIF is not accepted; ${ACCEPTED}` };
  if (ascii(data, 4, 8) === 'ftyp') {
    const brand = ascii(data, 8, 12);
    if (/^(heic|heix|heim|heis|hevc|hevx|mif1|msf1)$/.test(brand)) {
      return { reason: `HEIC/HEIF photos are not supported; set the camera to "Most compatible" (JPEG) or ${ACCEPTED}` };
    }
    if (/^avi[fs]$/.test(brand)) return { reason: `AVIF is not accepted; ${ACCEPTED}` };
    return { reason: `video and other ISO media files are not accepted; ${ACCEPTED}` };
  }
  if (ascii(data, 0, 5) === '%PDF-') return { reason: `a PDF is not a photo; ${ACCEPTED}` };
  if (ascii(data, 0, 2) === 'BM') return { reason: `BMP is not accepted; ${ACCEPTED}` };
  if (startsWith(data, [0x49, 0x49, 0x2a, 0x00]) || startsWith(data, [0x4d, 0x4d, 0x00, 0x2a])) return { reason: `TIFF is not accepted; ${ACCEPTED}` };
  return { reason: `the content is not an image (whatever its name says); ${ACCEPTED}` };
}

export interface ImageLimits {
  /** Decoded pixel count above which an image is refused: a small file can expand to gigabytes (decompression bomb). */
  maxPixels: number;
}

export interface PhotoHints {
  /** ISO-8601 UTC; EXIF has no zone unless OffsetTimeOriginal is present, otherwise China time (+08:00) is assumed. */
  takenAt: string | null;
  /** From EXIF GPS: the camera's satellite fix, WGS-84. A hint only: it may be stale or absent. */
  gps: { lat: number; lng: number } | null;
}

export interface CheckedImage extends PhotoHints {
  format: ImageFormat;
  /** The sanitized full-size copy: re-encoded JPEG, orientation applied, every metadata block removed. */
  full: Buffer;
  width: number;
  height: number;
}

const unsupported = (reason: string) => new Problem('UNSUPPORTED_FILE', { reason });

/**
 * Checks an upload and makes its sanitized copy. Throws UNSUPPORTED_FILE (400) with a reason for anything that is not
 * a complete JPEG, PNG or WebP within the pixel limit; never lets a decoder error escape as a 500.
 */
export async function checkAndSanitize(data: Buffer, limits: ImageLimits): Promise<CheckedImage> {
  const sniffed = sniffFormat(data);
  if ('reason' in sniffed) throw unsupported(sniffed.reason);
  const { format } = sniffed;

  let meta: sharp.Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw unsupported(`the ${format.toUpperCase()} file is damaged and cannot be read`);
  }
  if (meta.format !== format) throw unsupported(`the ${format.toUpperCase()} file is damaged and cannot be read`);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!width || !height) throw unsupported('the image has no size');
  if (width * height > limits.maxPixels) {
    throw unsupported(`the image has ${(width * height / 1e6).toFixed(1)} megapixels; at most ${Math.floor(limits.maxPixels / 1e6)} are accepted`);
  }

  let full: { data: Buffer; info: sharp.OutputInfo };
  try {
    full = await sanitizedPipeline(data, limits, meta.hasAlpha === true).toBuffer({ resolveWithObject: true });
  } catch {
    // libvips reports truncation and corruption ("premature end of JPEG image", "end of stream") as errors.
    throw unsupported(`the ${format.toUpperCase()} file is truncated or damaged`);
  }
  const hints = await readHints(data);
  return { format, full: full.data, width: full.info.width, height: full.info.height, ...hints };
}

/**
 * Decode → rotate by EXIF orientation → JPEG. sharp writes no metadata unless asked (no EXIF, XMP, IPTC or ICC), and
 * converts to sRGB; alpha is flattened onto white because every served copy is a JPEG (it embeds in .xlsx ledgers
 * and shows in every phone browser).
 */
function sanitizedPipeline(data: Buffer, limits: ImageLimits, hasAlpha: boolean) {
  let img = sharp(data, { limitInputPixels: limits.maxPixels, failOn: 'warning' }).rotate();
  if (hasAlpha) img = img.flatten({ background: '#ffffff' });
  return img.jpeg({ quality: 86, chromaSubsampling: '4:2:0' });
}

/** The large and thumb copies, made from the sanitized full copy (already oriented and stripped). */
export async function makeDerivatives(full: Buffer): Promise<{ large: Buffer; thumb: Buffer }> {
  const resize = (from: Buffer, edge: number, quality: number) =>
    sharp(from, { failOn: 'none' })
      .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality })
      .toBuffer();
  const large = await resize(full, LARGE_EDGE, 82);
  // The thumb comes from the large copy: decoding 1280 px instead of 12 MP again is most of the job's time.
  const thumb = await resize(large, THUMB_EDGE, 78);
  return { large, thumb };
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET = /^[+-]\d{2}:\d{2}$/;
const EARLIEST_PLAUSIBLE = Date.UTC(1995, 0, 1);

/** Reads EXIF taken-at and GPS. Broken or absent EXIF gives nulls, never an error: these are hints. */
export async function readHints(data: Buffer): Promise<PhotoHints> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(data, {
      tiff: true,
      exif: true,
      gps: true,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      reviveValues: false,
      pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal', 'OffsetTime', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'],
    });
  } catch {
    tags = undefined;
  }
  if (!tags) return { takenAt: null, gps: null };
  return { takenAt: exifTime(tags), gps: exifGps(tags) };
}

function exifTime(tags: Record<string, unknown>): string | null {
  const raw = typeof tags.DateTimeOriginal === 'string' ? tags.DateTimeOriginal : typeof tags.CreateDate === 'string' ? tags.CreateDate : null;
  const m = raw ? EXIF_DATE.exec(raw) : null;
  if (!m) return null;
  const offsetRaw = [tags.OffsetTimeOriginal, tags.OffsetTime].find((o) => typeof o === 'string' && OFFSET.test(o.trim()));
  const offset = typeof offsetRaw === 'string' ? offsetRaw.trim() : '+08:00';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
  if (!Number.isFinite(ms) || ms < EARLIEST_PLAUSIBLE || ms > Date.now() + 86400_000) return null;
  return new Date(ms).toISOString();
}

function dms(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (!Array.isArray(value) || value.length === 0 || value.length > 3) return null;
  const [d, m = 0, s = 0] = value.map(Number);
  if (![d, m, s].every(Number.isFinite)) return null;
  return d + m / 60 + s / 3600;
}

function exifGps(tags: Record<string, unknown>): { lat: number; lng: number } | null {
  let lat = dms(tags.GPSLatitude);
  let lng = dms(tags.GPSLongitude);
  if (lat === null || lng === null) return null;
  if (String(tags.GPSLatitudeRef ?? 'N').toUpperCase().startsWith('S')) lat = -lat;
  if (String(tags.GPSLongitudeRef ?? 'E').toUpperCase().startsWith('W')) lng = -lng;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  // 0,0 is what cameras write when they had no fix.
  if (lat === 0 && lng === 0) return null;
  return { lat: Math.round(lat * 1e7) / 1e7, lng: Math.round(lng * 1e7) / 1e7 };
}
