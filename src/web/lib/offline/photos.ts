// Field photos are kept on the phone until the network returns: a 12-megapixel camera JPEG (4–8 MB) is shrunk to a
// 2048 px long edge first, so a day of photos fits in the browser's storage and uploads quickly on a weak signal.
// Small files, and anything the browser cannot decode, are kept as they are (the server checks them by content).

export const SHRINK_ABOVE_BYTES = 1_500_000;
export const MAX_EDGE = 2048;

/** The scale that brings the long edge down to `maxEdge` (1 when it already fits). */
export function shrinkScale(width: number, height: number, maxEdge = MAX_EDGE): number {
  const edge = Math.max(width, height);
  return edge > maxEdge ? maxEdge / edge : 1;
}

export async function photoBytes(file: File): Promise<{ bytes: ArrayBuffer; type: string }> {
  const original = async () => ({ bytes: await file.arrayBuffer(), type: file.type || 'image/jpeg' });
  if (file.size <= SHRINK_ABOVE_BYTES || typeof createImageBitmap !== 'function' || typeof document === 'undefined') return original();
  try {
    // createImageBitmap applies the EXIF orientation, so the shrunk copy is upright.
    const bitmap = await createImageBitmap(file);
    const scale = shrinkScale(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return original();
    return { bytes: await blob.arrayBuffer(), type: 'image/jpeg' };
  } catch {
    return original();
  }
}
