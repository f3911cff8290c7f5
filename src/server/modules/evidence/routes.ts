import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { Problem } from '../../errors.js';
import { ErrorBody } from '../../lib/paging.js';
import { XLSX_MIME } from '../../lib/imports.js';
import { MAX_FILES_PER_UPLOAD } from '../../../core/evidence.js';
import { Coverage, CoverageQuery, FileQuery, IdParams, OrgList, OrgsQuery, PeriodList, ReviewBody, SubmissionDetail, UploadQuery, UploadResult, VersionQuery } from './schema.js';
import {
  getCoverage, getSubmission, listEvidenceOrgs, listPeriods, openEvidenceFile, removeEvidenceFile, reviewSubmission, uploadEvidence,
  type CoverageInput, type ReviewInput, type UploadedFile,
} from './service.js';
import { exportCoverageXlsx } from './export.js';
import { contentDisposition } from '../../http/disposition.js';

const tags = ['evidence'];
const id = (req: { params: unknown }) => (req.params as { id: number }).id;
const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** Reads the file parts of a multipart upload into memory, each within the configured size. */
async function readFiles(req: FastifyRequest, maxBytes: number): Promise<UploadedFile[]> {
  if (!req.isMultipart()) throw new Problem('BAD_REQUEST', { reason: 'expected a multipart/form-data upload' });
  const files: UploadedFile[] = [];
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: MAX_FILES_PER_UPLOAD, fields: 20, fieldSize: 1000 } })) {
      if (part.type !== 'file') continue;
      const data = await part.toBuffer();
      if (part.file.truncated) throw new Problem('FILE_TOO_LARGE', {}, { maxBytes, file: part.filename });
      files.push({ filename: part.filename, data });
    }
  } catch (err) {
    if (err instanceof Problem) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new Problem('FILE_TOO_LARGE', {}, { maxBytes });
    if (code === 'FST_FILES_LIMIT') throw new Problem('BAD_REQUEST', { reason: `at most ${MAX_FILES_PER_UPLOAD} files per upload` });
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new Problem('BAD_REQUEST', { reason: 'too many form fields' });
    throw new Problem('BAD_REQUEST', { reason: 'malformed multipart upload' });
  }
  if (!files.length) throw new Problem('BAD_REQUEST', { reason: 'no file in the upload' });
  return files;
}

/** 材料审核: evidence per 测评标准 × org × period, reviews, the coverage view and its .xlsx. */
export async function evidenceModule(app: FastifyInstance, deps: Deps) {
  app.get(
    '/api/v1/evidence/orgs',
    { schema: { tags, summary: 'The street and communities in your scope, each with its coverage in the period', querystring: OrgsQuery, response: { 200: OrgList, ...errors } } },
    async (req) => listEvidenceOrgs(deps, allow(req, 'evidence.read'), req.query as { period?: string; standardCode?: string }),
  );

  app.get('/api/v1/evidence/periods', { schema: { tags, summary: 'Periods with submissions in your scope, and the default (this year)', response: { 200: PeriodList } } }, async (req) =>
    listPeriods(deps, allow(req, 'evidence.read')),
  );

  app.get(
    '/api/v1/evidence/coverage',
    {
      schema: {
        tags,
        summary: 'Every 材料审核 item of the current standard with its status for one org and period',
        description: 'orgId defaults to your own org when it is a street or community. lacking=true lists only items with no evidence or judged 不符合; counts always cover every item.',
        querystring: CoverageQuery,
        response: { 200: Coverage, ...errors },
      },
    },
    async (req) => getCoverage(deps, allow(req, 'evidence.read'), req.query as CoverageInput),
  );

  app.get('/api/v1/evidence/coverage.xlsx', { schema: { tags, summary: 'The coverage view as .xlsx (same query)', querystring: CoverageQuery } }, async (req, reply) => {
    const { buffer, filename } = await exportCoverageXlsx(deps, allow(req, 'evidence.read'), req.query as CoverageInput);
    return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(filename)).send(buffer);
  });

  app.post(
    '/api/v1/evidence/uploads',
    {
      bodyLimit: deps.config.evidenceMaxBytes * MAX_FILES_PER_UPLOAD + 1024 * 1024,
      schema: {
        tags,
        summary: 'Upload evidence for an item (multipart, field `file`, 1–5 files: PDF, JPEG/PNG/WebP, .docx, .xlsx)',
        description:
          'Files are checked by content, not by name; each at most WENMING_EVIDENCE_MAX_BYTES (413 FILE_TOO_LARGE). A refused file answers 400 UNSUPPORTED_FILE with ' +
          'details.detected (executable, archive, legacy-office, macro, unknown, …) and details.file/index. The submission goes (back) to pending.',
        consumes: ['multipart/form-data'],
        querystring: UploadQuery,
        response: { 200: UploadResult, 413: ErrorBody, ...errors },
      },
    },
    async (req) => {
      const actor = allow(req, 'evidence.upload');
      const files = await readFiles(req, deps.config.evidenceMaxBytes);
      const q = req.query as { itemId: number; orgId: number; period?: string };
      return uploadEvidence(deps, actor, { ...q, files });
    },
  );

  app.get('/api/v1/evidence/submissions/:id', { schema: { tags, summary: 'A submission with its files and history', params: IdParams, response: { 200: SubmissionDetail, ...errors } } }, async (req) =>
    getSubmission(deps, allow(req, 'evidence.read'), id(req)),
  );

  app.post(
    '/api/v1/evidence/submissions/:id/review',
    { schema: { tags, summary: 'Mark a submission 符合 (meets) or 不符合 (fails, comment required)', params: IdParams, body: ReviewBody, response: { 200: SubmissionDetail, ...errors } } },
    async (req) => reviewSubmission(deps, allow(req, 'evidence.review'), id(req), req.body as ReviewInput),
  );

  app.delete(
    '/api/v1/evidence/files/:id',
    { schema: { tags, summary: 'Remove a file (version = the submission’s); the submission needs review again', params: IdParams, querystring: VersionQuery, response: { 200: SubmissionDetail, ...errors } } },
    async (req) => removeEvidenceFile(deps, allow(req, 'evidence.upload'), id(req), (req.query as { version: number }).version),
  );

  app.get(
    '/api/v1/evidence/files/:id',
    { schema: { tags, summary: 'Download a file (images: the EXIF-stripped JPEG copy)', params: IdParams, querystring: FileQuery, response: { 404: ErrorBody } } },
    async (req, reply) => {
      const file = await openEvidenceFile(deps, allow(req, 'evidence.read'), id(req));
      const inline = (req.query as { inline?: boolean }).inline === true && (file.kind === 'pdf' || file.mime === 'image/jpeg');
      reply
        .header('content-type', file.mime)
        .header('content-length', String(file.size))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .header('content-disposition', contentDisposition(file.name, { disposition: inline ? 'inline' : 'attachment' }));
      // Office files never render in the page; a sandbox keeps a PDF or image opened inline from running anything.
      if (!inline || file.kind !== 'pdf') reply.header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
      return reply.send(createReadStream(file.path));
    },
  );
}
