// A spreadsheet upload with its form fields (通报级别 for the whole file, "this is the full official schedule of
// 2027"…). lib/imports.ts reads only the file; imports here also need the fields sent beside it.
import type { FastifyRequest } from 'fastify';
import { Problem } from '../../errors.js';
import { MAX_IMPORT_BYTES } from '../../lib/imports.js';

export interface UploadWithFields {
  filename: string;
  data: Buffer;
  /** Text fields of the form, trimmed, at most 200 characters each. */
  fields: Record<string, string>;
}

export async function readUploadWithFields(req: FastifyRequest, maxBytes = MAX_IMPORT_BYTES): Promise<UploadWithFields> {
  if (!req.isMultipart()) throw new Problem('BAD_REQUEST', { reason: 'expected a multipart/form-data upload' });
  const fields: Record<string, string> = {};
  let file: { filename: string; data: Buffer } | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 1000 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated) throw new Problem('FILE_TOO_LARGE');
        file ??= { filename: part.filename, data };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value.trim().slice(0, 200);
      }
    }
  } catch (err) {
    if (err instanceof Problem) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new Problem('FILE_TOO_LARGE');
    if (code === 'FST_FILES_LIMIT') throw new Problem('BAD_REQUEST', { reason: 'send one file per import' });
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new Problem('BAD_REQUEST', { reason: 'too many form fields' });
    // busboy's complaints (bad boundary, truncated body) are the client's fault, not ours.
    throw new Problem('BAD_REQUEST', { reason: 'malformed multipart upload' });
  }
  if (!file) throw new Problem('BAD_REQUEST', { reason: 'no file in the upload' });
  return { ...file, fields };
}

/** A form field if sent, else the query parameter of the same name (both doors are documented). */
export function option(upload: UploadWithFields, query: Record<string, unknown>, name: string): string | undefined {
  const fromForm = upload.fields[name];
  if (fromForm !== undefined && fromForm !== '') return fromForm;
  const fromQuery = query[name];
  return fromQuery === undefined || fromQuery === null || fromQuery === '' ? undefined : String(fromQuery);
}
