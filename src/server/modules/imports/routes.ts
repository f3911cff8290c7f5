// Case imports from Excel: 督查通报 (supervision notices) and 12345 热线工单 (hotline work orders), their templates,
// and the hotline keyword table (docs/imports.md).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { actorOf, allow } from '../../http/auth.js';
import { Problem } from '../../errors.js';
import { ErrorBody } from '../../lib/paging.js';
import { MAX_IMPORT_BYTES, XLSX_MIME } from '../../lib/imports.js';
import type { Crs } from '../../../core/geo/index.js';
import * as S from './schema.js';
import { hotlineTemplate, importHotline, importSupervision, IMPORT_ROLES, supervisionTemplate } from './service.js';
import { hotlineCategoryMap, putHotlineCategoryMap } from './hotline-map.js';
import { option, readUploadWithFields, type UploadWithFields } from './upload.js';
import { parseFlag, parseLevel } from './parse.js';
import { contentDisposition } from '../../http/disposition.js';

const tags = ['cases'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody };
const BASE = '/api/v1/cases/import';

function flagOption(upload: UploadWithFields, query: Record<string, unknown>, name: string): boolean | undefined {
  const raw = option(upload, query, name);
  if (raw === undefined) return undefined;
  const flag = parseFlag(raw);
  if (flag === null) throw new Problem('VALIDATION_FAILED', { field: name, reason: 'must be true or false' });
  return flag;
}

function crsOption(upload: UploadWithFields, query: Record<string, unknown>): Crs {
  const raw = option(upload, query, 'crs')?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (raw === undefined || raw === 'WGS84') return 'WGS84';
  if (raw === 'GCJ02') return 'GCJ02';
  throw new Problem('VALIDATION_FAILED', { field: 'crs', reason: 'must be WGS84 or GCJ02' });
}

function mayImport(req: FastifyRequest) {
  const actor = actorOf(req);
  if (!IMPORT_ROLES.includes(actor.user.role)) throw new Problem('FORBIDDEN');
  return actor;
}

function sendXlsx(reply: FastifyReply, body: Buffer, filename: string) {
  reply.header('content-type', XLSX_MIME);
  reply.header('content-disposition', contentDisposition(filename));
  return reply.send(body);
}

const multipartNote =
  'Upload the .xlsx as multipart/form-data (field `file`); options go as form fields or query parameters. ' +
  'Bad rows answer 400 IMPORT_FAILED with details.rows [{row, column, reason}] and nothing is imported.';

export async function importsModule(app: FastifyInstance, deps: Deps) {
  app.get(`${BASE}/supervision-template.xlsx`, { schema: { tags, summary: '督查通报 import template (通报级别, 通报编号, 问题类别, 问题描述, 地址, 经度, 纬度, 点位, 发现时间, 照片)' } }, async (req, reply) => {
    mayImport(req);
    return sendXlsx(reply, await supervisionTemplate(), 'supervision-template.xlsx');
  });

  app.get(`${BASE}/hotline-template.xlsx`, { schema: { tags, summary: '12345 work-order import template (工单编号, 受理时间, 诉求类别, 诉求内容, 地址, 经度, 纬度, 点位, 市民姓名, 联系电话)' } }, async (req, reply) => {
    mayImport(req);
    return sendXlsx(reply, await hotlineTemplate(), 'hotline-template.xlsx');
  });

  app.post(
    `${BASE}/supervision`,
    {
      bodyLimit: MAX_IMPORT_BYTES + 64 * 1024,
      schema: {
        tags,
        summary: 'Import a 督查通报 (supervision notice): every row a case with source supervision, filed and dispatched at once; all or nothing',
        description: `${multipartNote} Options: level (通报级别 for the whole file), sourceRef (通报编号 for the whole file), dispatch (default true), crs, dryRun.`,
        querystring: S.SupervisionImportQuery,
        response: { 200: S.CaseImportReport, ...errors },
      },
    },
    async (req) => {
      const actor = mayImport(req);
      const upload = await readUploadWithFields(req);
      const query = req.query as Record<string, unknown>;
      const levelText = option(upload, query, 'level');
      let level = null;
      if (levelText !== undefined) {
        const parsed = parseLevel(levelText);
        if (!parsed.ok) throw new Problem('VALIDATION_FAILED', { field: 'level', reason: 'must be city, district or street (市级, 区级, 街道)' });
        level = parsed.value;
      }
      const sourceRef = option(upload, query, 'sourceRef') ?? null;
      if (sourceRef && sourceRef.length > 100) throw new Problem('VALIDATION_FAILED', { field: 'sourceRef', reason: 'at most 100 characters' });
      return importSupervision(deps, actor, upload.data, {
        level,
        sourceRef,
        dispatch: flagOption(upload, query, 'dispatch'),
        crs: crsOption(upload, query),
        dryRun: flagOption(upload, query, 'dryRun'),
        filename: upload.filename.slice(0, 200),
      });
    },
  );

  app.post(
    `${BASE}/hotline`,
    {
      bodyLimit: MAX_IMPORT_BYTES + 64 * 1024,
      schema: {
        tags,
        summary: 'Import 12345 hotline work orders: cases with source hotline, waiting for on-site verification; re-importing an order is skipped; all or nothing',
        description: `${multipartNote} Options: crs, dryRun. A 工单编号 imported before is reported in alreadyImported and not created again.`,
        querystring: S.HotlineImportQuery,
        response: { 200: S.CaseImportReport, ...errors },
      },
    },
    async (req) => {
      const actor = mayImport(req);
      const upload = await readUploadWithFields(req);
      const query = req.query as Record<string, unknown>;
      return importHotline(deps, actor, upload.data, { crs: crsOption(upload, query), dryRun: flagOption(upload, query, 'dryRun'), filename: upload.filename.slice(0, 200) });
    },
  );

  app.get(
    `${BASE}/hotline-category-map`,
    { schema: { tags, summary: '12345 诉求类别 keyword → 小类 table (settings hotline.categoryMap); the first keyword contained wins', response: { 200: S.HotlineCategoryMap, ...errors } } },
    async (req) => {
      mayImport(req);
      return { entries: await hotlineCategoryMap(deps.db) };
    },
  );

  app.put(
    `${BASE}/hotline-category-map`,
    { schema: { tags, summary: 'Replace the 12345 keyword table (office, admin)', body: S.HotlineCategoryMap, response: { 200: S.HotlineCategoryMap, ...errors } } },
    async (req) => {
      const actor = allow(req, 'settings.write');
      return { entries: await putHotlineCategoryMap(deps, actor, (req.body as { entries: { keyword: string; categoryCode: string }[] }).entries) };
    },
  );
}
