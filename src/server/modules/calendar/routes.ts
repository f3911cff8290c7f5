// 工作日历 (work calendar) administration and the deadline preview (docs/calendar.md). Everyone signed in reads;
// the campaign office and the administrator write.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { actorOf, allow } from '../../http/auth.js';
import { Problem } from '../../errors.js';
import { ErrorBody } from '../../lib/paging.js';
import { MAX_IMPORT_BYTES, XLSX_MIME } from '../../lib/imports.js';
import type { TimeLimitUnit, WorkPeriod } from '../../../core/calendar/index.js';
import { option, readUploadWithFields } from '../imports/upload.js';
import { parseFlag } from '../imports/parse.js';
import * as S from './schema.js';
import { calendarTemplate, calendarYear, deadlinePreview, deleteDay, importCalendar, putDay, putSettings } from './service.js';
import { contentDisposition } from '../../http/disposition.js';

const tags = ['calendar'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
const BASE = '/api/v1/calendar';

export async function calendarModule(app: FastifyInstance, deps: Deps) {
  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: "A year of the work calendar: days that differ from a plain Mon–Fri week (package 放假/调休补班 and the office's entries), whether the year has official data, work periods",
        querystring: S.YearQuery,
        response: { 200: S.YearView, ...errors },
      },
    },
    async (req) => {
      actorOf(req);
      return calendarYear(deps, (req.query as { year: number }).year);
    },
  );

  app.put(
    `${BASE}/days/:date`,
    { schema: { tags, summary: 'Declare a date 上班 (workday) or 放假 (holiday); wins over the package and the weekend (office, admin)', params: S.DateParams, body: S.DayBody, response: { 200: S.Day, ...errors } } },
    async (req) => putDay(deps, allow(req, 'settings.write'), (req.params as { date: string }).date, req.body as { kind: string; note?: string | null }),
  );

  app.delete(
    `${BASE}/days/:date`,
    { schema: { tags, summary: "Remove the office's entry for a date (office, admin)", params: S.DateParams, response: { 200: S.Day, ...errors, 404: ErrorBody } } },
    async (req) => deleteDay(deps, allow(req, 'settings.write'), (req.params as { date: string }).date),
  );

  app.put(
    `${BASE}/settings`,
    { schema: { tags, summary: 'Work periods and the years whose full official schedule the office has entered (office, admin)', body: S.SettingsBody, response: { 200: S.SettingsReply, ...errors } } },
    async (req) => putSettings(deps, allow(req, 'settings.write'), req.body as { workPeriods?: WorkPeriod[]; officialYears?: number[] }),
  );

  app.get(`${BASE}/import-template.xlsx`, { schema: { tags, summary: 'Calendar import template (日期, 类型, 说明)' } }, async (req, reply) => {
    allow(req, 'settings.write');
    reply.header('content-type', XLSX_MIME);
    reply.header('content-disposition', contentDisposition('calendar-template.xlsx'));
    return reply.send(await calendarTemplate());
  });

  app.post(
    `${BASE}/import`,
    {
      bodyLimit: MAX_IMPORT_BYTES + 64 * 1024,
      schema: {
        tags,
        summary: 'Import days from .xlsx (日期, 类型 上班/放假, 说明); officialYear=Y marks the file as the full official schedule of Y; all or nothing',
        description:
          'multipart/form-data with field `file`; officialYear and replaceYear as form fields or query parameters. Bad rows answer 400 IMPORT_FAILED with details.rows [{row, column, reason}].',
        querystring: S.ImportQuery,
        response: { 200: S.ImportReply, ...errors },
      },
    },
    async (req) => {
      const actor = allow(req, 'settings.write');
      const upload = await readUploadWithFields(req);
      const query = req.query as Record<string, unknown>;
      const yearText = option(upload, query, 'officialYear');
      let officialYear: number | null = null;
      if (yearText !== undefined) {
        if (!/^\d{4}$/.test(yearText)) throw new Problem('VALIDATION_FAILED', { field: 'officialYear', reason: 'must be a year' });
        officialYear = Number(yearText);
      }
      const replaceText = option(upload, query, 'replaceYear');
      const replaceYear = replaceText === undefined ? false : parseFlag(replaceText);
      if (replaceYear === null) throw new Problem('VALIDATION_FAILED', { field: 'replaceYear', reason: 'must be true or false' });
      return importCalendar(deps, actor, upload.data, { officialYear, replaceYear, filename: upload.filename.slice(0, 200) });
    },
  );

  app.get(
    `${BASE}/deadline-preview`,
    { schema: { tags, summary: 'The deadline of a time limit started at `start` (default now) on the street calendar, with warnings for years without official data', querystring: S.PreviewQuery, response: { 200: S.PreviewReply, ...errors } } },
    async (req) => {
      actorOf(req);
      return deadlinePreview(deps, req.query as { start?: string; unit: TimeLimitUnit; value: number });
    },
  );
}
