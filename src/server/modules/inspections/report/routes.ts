// GET /api/v1/inspections/plans/:id/report.docx and /report.xlsx: the 通报 of a plan, as Word and as Excel.
// Readers of inspections (inspection.read) in the plan's scope; a plan outside it is "not found", like a missing one.
// Everything that can fail with a clean status (role, scope, the plan) fails before the first byte.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../../lib/context.js';
import { allow } from '../../../http/auth.js';
import { ErrorBody } from '../../../lib/paging.js';
import { loadReportData, reportTitle, safeFileName, type ReportData } from './data.js';
import { renderReportDocx } from './docx.js';
import { writeReportXlsx } from './xlsx.js';
import { contentDisposition } from '../../../http/disposition.js';

const tags = ['inspections'];
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const fileResponse = (description: string, type: string) => ({
  200: { description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } },
  400: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
});

/** `attachment; filename="inspection-JC-2026-0003.docx"; filename*=UTF-8''JC-2026-0003%20关于…的通报.docx` (RFC 6266/5987). */
export function reportDisposition(data: ReportData, ext: 'docx' | 'xlsx'): string {
  const ascii = `inspection-${data.plan.no.replace(/[^A-Za-z0-9-]/g, '')}.${ext}`;
  const name = safeFileName(`${data.plan.no} ${reportTitle(data)}${ext === 'xlsx' ? '（数据）' : ''}.${ext}`);
  return contentDisposition(name, { fallback: ascii });
}

export async function inspectionReportsModule(app: FastifyInstance, deps: Deps) {
  app.get(
    '/api/v1/inspections/plans/:id/report.docx',
    {
      schema: {
        tags,
        summary: '通报 of a plan as a Word document (official style; scores by community with ranking, problems with photos, deadlines)',
        params: Params,
        produces: [DOCX_TYPE],
        response: fileResponse('the .docx', DOCX_TYPE),
      },
    },
    async (req, reply) => {
      const data = await loadReportData(deps, allow(req, 'inspection.read'), (req.params as { id: number }).id);
      const body = await renderReportDocx(data);
      return reply
        .header('content-type', DOCX_TYPE)
        .header('content-disposition', reportDisposition(data, 'docx'))
        .header('content-length', String(body.length))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );

  app.get(
    '/api/v1/inspections/plans/:id/report.xlsx',
    {
      schema: {
        tags,
        summary: '通报 of a plan as a workbook: sheets 汇总 (by community), 点位 (by point), 问题 (problems with case, unit, deadline, status), 测评项 (by item)',
        params: Params,
        produces: [XLSX_TYPE],
        response: fileResponse('the .xlsx', XLSX_TYPE),
      },
    },
    async (req, reply) => {
      const data = await loadReportData(deps, allow(req, 'inspection.read'), (req.params as { id: number }).id);
      const out = new PassThrough({ highWaterMark: 256 * 1024 });
      writeReportXlsx(data, out).catch((err: unknown) => {
        // A client that went away is not an error of ours.
        if (!out.destroyed) req.log.error({ err }, 'inspection report .xlsx failed');
        out.destroy(err instanceof Error ? err : new Error(String(err)));
      });
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', reportDisposition(data, 'xlsx'))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(out);
    },
  );
}
