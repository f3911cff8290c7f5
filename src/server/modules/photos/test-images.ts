// Test images made on the spot: real encodings from sharp, plus hand-built headers for the hostile cases.
import sharp from 'sharp';
import { crc32 } from 'node:zlib';
import { deflateSync } from 'node:zlib';

export const GPS_EXIF = {
  IFD0: { Make: 'WenmingCam', Model: 'Patrol 1', Software: 'secret-firmware' },
  IFD2: { DateTimeOriginal: '2024:05:01 10:30:00', OffsetTimeOriginal: '+08:00' },
  // 36°48'36" N, 118°1'12" E: inside the test street.
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 48/1 3600/100', GPSLongitudeRef: 'E', GPSLongitude: '118/1 1/1 1200/100' },
};

const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="36,48.6N"/></rdf:RDF></x:xmpmeta>';

const solid = (width: number, height: number, channels: 3 | 4 = 3, background = '#cc0000') => sharp({ create: { width, height, channels, background } });

/** A 64×48 JPEG stored sideways (EXIF orientation 6) carrying GPS, a taken-at time, an ICC profile and XMP. */
export function jpegWithGps(width = 64, height = 48): Promise<Buffer> {
  return solid(width, height).withMetadata({ orientation: 6 }).withIccProfile('p3').withExif(GPS_EXIF).withXmp(XMP).jpeg().toBuffer();
}

export const plainJpeg = (width = 64, height = 48, background = '#cc0000') => solid(width, height, 3, background).jpeg().toBuffer();
export const png = (width = 40, height = 30, alpha = false) => solid(width, height, alpha ? 4 : 3, alpha ? { r: 0, g: 0, b: 255, alpha: 0.5 } as never : '#00cc00').png().toBuffer();
export const webp = (width = 40, height = 30) => solid(width, height, 3, '#0000cc').webp().toBuffer();
export const gif = () => solid(16, 16).gif().toBuffer();

/** A JPEG of noise (so it has real entropy-coded data), cut in half. */
export async function truncatedJpeg(): Promise<Buffer> {
  const w = 200;
  const h = 150;
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
  const full = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg().toBuffer();
  return full.subarray(0, Math.floor(full.length / 2));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A tiny PNG whose header claims `width`×`height` grey pixels: decoding it would need gigabytes. */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const idat = deflateSync(Buffer.alloc((width + 1) * 16)); // a few rows of zeros; the rest is "missing"
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** The leading bytes of an iPhone HEIC file (an ISO-BMFF `ftyp` box with brand heic). */
export const heicHeader = () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);

export const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
