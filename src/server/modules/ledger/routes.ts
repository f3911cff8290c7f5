// GET /api/v1/cases/export.xlsx and /export.csv: the 整改台账 of the caller's scope, streamed. These static paths
// sit beside /api/v1/cases/:id; Fastify's router tries static segments before parameters, so they win.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { actorOf } from '../../http/auth.js';
import { ErrorBody } from '../../lib/paging.js';
import { LedgerExportQuery } from './schema.js';
import { ledgerDisposition, ledgerPages, ledgerSubtitle, ledgerTitle, prepareLedger, startLedgerExport, type LedgerQuery } from './service.js';
import { writeLedgerXlsx } from './xlsx.js';
import { writeLedgerCsv } from './csv.js';
import { ExportAborted, pace } from './stream.js';

const tags = ['cases'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const fileResponse = (description: string, type: string) => ({
  200: { description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } },
  400: ErrorBody,
  403: ErrorBody,
});

/**
 * Everything that can fail with a clean status (filters, role, the photo limit) is checked before the first byte;
 * after that, a failure can only cut the download short, which the client sees as a broken file, never as a
 * complete-looking one.
 */
async function streamExport(deps: Deps, req: FastifyRequest, reply: FastifyReply, format: 'xlsx' | 'csv') {
  const actor = actorOf(req);
  const ledger = await prepareLedger(deps, actor, req.query as LedgerQuery);
  const total = await startLedgerExport(deps, actor, ledger, format);
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const embed = format === 'xlsx' && ledger.photos;
  const pages = ledgerPages(deps, ledger, { photos: embed ? 'embed' : 'count' });
  const work =
    format === 'xlsx'
      ? writeLedgerXlsx(out, pages, {
          title: ledgerTitle(ledger.meta),
          subtitle: ledgerSubtitle(ledger.meta, total),
          photos: embed,
          config: deps.config,
          pace: (pending) => pace(out, pending),
        })
      : writeLedgerCsv(out, pages);
  work.catch((err: unknown) => {
    if (!(err instanceof ExportAborted)) req.log.error({ err }, 'ledger export failed');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply
    .header('content-type', format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
    .header('content-disposition', ledgerDisposition(format, ledger.meta.exportedAt))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('x-ledger-rows', String(total))
    .send(out);
}

export async function ledgerModule(app: FastifyInstance, deps: Deps) {
  app.get(
    '/api/v1/cases/export.xlsx',
    {
      schema: {
        tags,
        summary: '整改台账 as .xlsx (streamed), with before/after thumbnails unless photos=false',
        description:
          'Columns: 序号, 问题来源, 发现时间, 所属社区/网格, 点位, 问题类别, 问题描述, 整改前照片, 责任单位, 责任人, 整改时限, 整改措施, 整改后照片, 整改结果, 核查人, 销号时间, 是否反弹. ' +
          'Rows are the cases of your scope that became tasks (filed or later), in order of discovery. At most 5,000 rows with photos; volunteers and the citizen patrol may not export.',
        querystring: LedgerExportQuery,
        produces: [XLSX_TYPE],
        response: fileResponse('the workbook', XLSX_TYPE),
      },
    },
    (req, reply) => streamExport(deps, req, reply, 'xlsx'),
  );

  app.get(
    '/api/v1/cases/export.csv',
    {
      schema: {
        tags,
        summary: '整改台账 as CSV (UTF-8 with BOM, RFC 4180), streamed; photo columns hold counts',
        querystring: LedgerExportQuery,
        produces: ['text/csv'],
        response: fileResponse('the CSV file', 'text/csv'),
      },
    },
    (req, reply) => streamExport(deps, req, reply, 'csv'),
  );
}
