import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import exifr from 'exifr';
import { Problem } from '../../errors.js';
import { checkAndSanitize, makeDerivatives, readHints, sniffFormat } from './image.js';
import { gif, heicHeader, jpegWithGps, pdf, plainJpeg, png, pngBomb, truncatedJpeg, webp } from './test-images.js';

const limits = { maxPixels: 40_000_000 };

async function refusal(data: Buffer): Promise<Problem> {
  try {
    await checkAndSanitize(data, limits);
  } catch (err) {
    if (err instanceof Problem) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('sniffFormat', () => {
  it.each([
    ['jpeg', () => plainJpeg(), 'jpeg'],
    ['png', () => png(), 'png'],
    ['webp', () => webp(), 'webp'],
  ])('recognises %s by its bytes', async (_name, make, format) => {
    expect(sniffFormat(await make())).toEqual({ format });
  });

  it.each([
    ['empty', () => Buffer.alloc(0), /empty/],
    ['gif', gif, /GIF/],
    ['heic', async () => heicHeader(), /HEIC/],
    ['pdf', async () => pdf(), /PDF/],
    ['text', async () => Buffer.from('just some text, named photo.jpg'), /not an image/],
    ['bmp', async () => Buffer.from('BM\x00\x00\x00\x00', 'latin1'), /BMP/],
    ['tiff', async () => Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), /TIFF/],
    ['mp4', async () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.alloc(16)]), /video/],
  ])('refuses %s with a reason', async (_name, make, reason) => {
    const res = sniffFormat(await make());
    expect('reason' in res && res.reason).toMatch(reason);
  });
});

describe('checkAndSanitize', () => {
  it('applies EXIF orientation and strips EXIF, GPS, XMP and ICC from the copy', async () => {
    const input = await jpegWithGps();
    expect((await exifr.gps(input))?.latitude).toBeCloseTo(36.81, 5);
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.orientation).toBe(6);
    expect(inputMeta.icc && inputMeta.xmp && inputMeta.exif).toBeTruthy();
    const out = await checkAndSanitize(input, limits);
    expect(out).toMatchObject({ format: 'jpeg', width: 48, height: 64, takenAt: '2024-05-01T02:30:00.000Z' });
    expect(out.gps?.lat).toBeCloseTo(36.81, 5);
    expect(out.gps?.lng).toBeCloseTo(118.02, 5);
    const meta = await sharp(out.full).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 48, height: 64 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(await exifr.parse(out.full, { gps: true, xmp: true, icc: true })).toBeUndefined();
  });

  it('flattens a transparent PNG onto white and serves it as JPEG', async () => {
    const out = await checkAndSanitize(await png(40, 30, true), limits);
    expect(out).toMatchObject({ format: 'png', width: 40, height: 30, gps: null, takenAt: null });
    const meta = await sharp(out.full).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.hasAlpha).toBe(false);
  });

  it.each([
    ['truncated JPEG', truncatedJpeg, /truncated or damaged/],
    ['JPEG magic followed by junk', async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg at all')]), /damaged/],
    ['PNG bomb of 400 megapixels', async () => pngBomb(20000, 20000), /400\.0 megapixels; at most 40/],
    ['PNG bomb of 48 megapixels', async () => pngBomb(8000, 6000), /48\.0 megapixels/],
    ['GIF', gif, /GIF is not accepted/],
    ['HEIC', async () => heicHeader(), /HEIC/],
  ])('refuses a %s with UNSUPPORTED_FILE', async (_name, make, reason) => {
    const p = await refusal(await make());
    expect(p.code).toBe('UNSUPPORTED_FILE');
    expect(p.status).toBe(400);
    expect(p.message).toMatch(reason);
  });
});

describe('readHints', () => {
  it('returns nulls without EXIF and ignores implausible values', async () => {
    expect(await readHints(await plainJpeg())).toEqual({ takenAt: null, gps: null });
    expect(await readHints(Buffer.from('garbage'))).toEqual({ takenAt: null, gps: null });
    const zeroFix = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .withExif({ IFD2: { DateTimeOriginal: '1970:01:01 00:00:00' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '0/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 0/1 0/1' } })
      .jpeg()
      .toBuffer();
    expect(await readHints(zeroFix)).toEqual({ takenAt: null, gps: null });
  });

  it('assumes China time when EXIF gives no offset, and honours southern/western refs', async () => {
    const img = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .withExif({ IFD2: { DateTimeOriginal: '2025:01:28 23:59:00' }, IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 52/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '70/1 30/1 0/1' } })
      .jpeg()
      .toBuffer();
    const hints = await readHints(img);
    expect(hints.takenAt).toBe('2025-01-28T15:59:00.000Z');
    expect(hints.gps?.lat).toBeCloseTo(-33.8667, 3);
    expect(hints.gps?.lng).toBeCloseTo(-70.5, 5);
  });
});

describe('makeDerivatives', () => {
  it('fits large into 1280 px and thumb into 320 px without enlarging small photos', async () => {
    const big = await makeDerivatives(await plainJpeg(2000, 1500));
    expect(await sharp(big.large).metadata()).toMatchObject({ width: 1280, height: 960, format: 'jpeg' });
    expect(await sharp(big.thumb).metadata()).toMatchObject({ width: 320, height: 240, format: 'jpeg' });
    const small = await makeDerivatives(await plainJpeg(100, 80));
    expect(await sharp(small.large).metadata()).toMatchObject({ width: 100, height: 80 });
  });
});
