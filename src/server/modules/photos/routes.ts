import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { actorOf } from '../../http/auth.js';
import { Problem } from '../../errors.js';
import { ErrorBody } from '../../lib/paging.js';
import { Photo, PhotoIdParams, PhotoVariantParams, UploadQuery, UploadResult } from './schema.js';
import { getPhoto, openPhoto, openPublicThumb, photoSettings, storePhotos, type PhotoPurpose, type ServedFile, type StorePhotoInput } from './service.js';
import type { ServedVariant } from './storage.js';

const tags = ['photos'];

/** Reads every file part of a multipart upload into memory, within the size and count limits. */
async function readFiles(req: FastifyRequest, maxBytes: number, maxFiles: number): Promise<{ filename: string; data: Buffer }[]> {
  if (!req.isMultipart()) throw new Problem('BAD_REQUEST', { reason: 'expected a multipart/form-data upload' });
  const files: { filename: string; data: Buffer }[] = [];
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: maxFiles, fields: 20 } })) {
      if (part.type === 'file') files.push({ filename: part.filename, data: await part.toBuffer() });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new Problem('FILE_TOO_LARGE');
    if (code === 'FST_FILES_LIMIT') throw new Problem('BAD_REQUEST', { reason: `at most ${maxFiles} files per upload` });
    // busboy's complaints (bad boundary, truncated body) are the client's fault, not ours.
    throw new Problem('BAD_REQUEST', { reason: 'malformed multipart upload' });
  }
  if (!files.length) throw new Problem('BAD_REQUEST', { reason: 'no file in the upload' });
  return files;
}

function sendImage(reply: FastifyReply, file: ServedFile, cacheControl: string) {
  return reply
    .header('content-type', 'image/jpeg')
    .header('content-length', String(file.size))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'")
    .header('cache-control', file.fallback ? 'private, no-cache' : cacheControl)
    .header('content-disposition', 'inline')
    .send(createReadStream(file.path));
}

export async function photosModule(app: FastifyInstance, deps: Deps) {
  app.post(
    '/api/v1/photos',
    {
      schema: {
        tags,
        summary: 'Upload photos (multipart, one or more JPEG/PNG/WebP files)',
        description:
          'Files are checked by content, not by name. The response holds the first photo at the top level and all of them in `items`. ' +
          'Thumbnails are made by a background job; until `thumbnailsReady`, the large and thumb URLs serve the full sanitized copy.',
        consumes: ['multipart/form-data'],
        querystring: UploadQuery,
        response: { 200: UploadResult, 400: ErrorBody, 413: ErrorBody },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const settings = photoSettings(deps.config);
      const { purpose } = req.query as { purpose: PhotoPurpose };
      const files = await readFiles(req, settings.maxBytes, settings.maxFilesPerUpload);
      const inputs: StorePhotoInput[] = files.map((f) => ({ data: f.data, filename: f.filename, uploaderId: actor.user.id, purpose, orgPath: actor.user.orgPath }));
      const items = await storePhotos(deps, inputs);
      return { ...items[0], items };
    },
  );

  app.get(
    '/api/v1/photos/:id',
    { schema: { tags, summary: 'One photo: size, hints and URLs', params: PhotoIdParams, response: { 200: Photo, 404: ErrorBody } } },
    async (req) => getPhoto(deps, actorOf(req), (req.params as { id: number }).id),
  );

  app.get(
    '/api/v1/photos/:id/:variant',
    {
      schema: {
        tags,
        summary: 'A sanitized copy of a photo (image/jpeg): full, large (1280 px) or thumb (320 px)',
        description: 'Never the uploaded original. Readers: the uploader, admin/office/dispatcher/leader of the org subtree, and readers of a record the photo is attached to.',
        params: PhotoVariantParams,
      },
    },
    async (req, reply) => {
      const { id, variant } = req.params as { id: number; variant: ServedVariant };
      const file = await openPhoto(deps, actorOf(req), id, variant);
      return sendImage(reply, file, 'private, max-age=31536000, immutable');
    },
  );

  app.get(
    '/api/v1/public/photos/:id/thumb',
    {
      config: { public: true },
      schema: { tags, summary: 'The thumbnail of a photo flagged public (image/jpeg)', params: PhotoIdParams, security: [] },
    },
    async (req, reply) => {
      const file = await openPublicThumb(deps, (req.params as { id: number }).id);
      // Shorter than the private copies: a photo made private again should leave shared caches within the hour.
      return sendImage(reply, file, 'public, max-age=3600');
    },
  );
}
