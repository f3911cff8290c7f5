// The JSON shape of a photo as the API returns it (photos module), shared by server and web. Types only.

export interface PhotoView {
  id: number;
  width: number;
  height: number;
  takenAt: string | null;
  gps: { lat: number; lng: number } | null;
  purpose: string;
  thumbnailsReady: boolean;
  createdAt: string;
  /** `original` is the sanitized full-size copy; the uploaded bytes themselves are never served. */
  urls: { original: string; large: string; thumb: string };
}

/** A photo attached to a record (a case, an inspected item), with its role there. */
export interface LinkedPhoto extends PhotoView {
  role: string;
}
