import { Type } from 'typebox';
import { PHOTO_PURPOSES } from './service.js';
import { SERVED_VARIANTS } from './storage.js';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

const photoFields = {
  id: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  takenAt: Nullable(Type.String({ description: 'EXIF taken-at (ISO-8601 UTC), a hint' })),
  gps: Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number() }, { description: 'EXIF GPS (WGS-84), a location hint' })),
  purpose: Type.String(),
  thumbnailsReady: Type.Boolean({ description: 'false until the photos.thumbnails job has run; large/thumb serve the full copy meanwhile' }),
  createdAt: Type.String(),
  urls: Type.Object({
    original: Type.String({ description: 'the sanitized full-size copy (EXIF stripped, orientation applied); the uploaded bytes are never served' }),
    large: Type.String({ description: '1280 px long edge' }),
    thumb: Type.String({ description: '320 px long edge' }),
  }),
};

export const Photo = Type.Object(photoFields);

/** The first photo's fields at the top level (one-file clients read `id`), and every photo in `items`. */
export const UploadResult = Type.Object({ ...photoFields, items: Type.Array(Photo) });

export const UploadQuery = Type.Object({
  purpose: Type.Union(PHOTO_PURPOSES.map((p) => Type.Literal(p)), { default: 'evidence' }),
});

export const PhotoIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const PhotoVariantParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  variant: Type.Union(SERVED_VARIANTS.map((v) => Type.Literal(v))),
});
