// The coverage view as an .xlsx workbook: sheet 1 lists every 材料审核 item (or only those still lacking evidence)
// with its Ⅰ/Ⅱ/Ⅲ path, status, files and last verdict; sheet 2 holds the counts.
import ExcelJS from 'exceljs';
import type { Actor, Deps } from '../../lib/context.js';
import { EVIDENCE_STATUS_LABELS } from '../../../core/evidence.js';
import { getCoverage, type CoverageInput } from './service.js';

const HEADERS = {
  'zh-CN': {
    sheet: '材料审核', summary: '汇总', code: '编号', project: '测评项目', indicator: '指标', content: '测评内容', text: '测评标准', points: '分值',
    status: '状态', files: '材料数', submittedAt: '最近提交', comment: '审核意见', reviewer: '审核人', reviewedAt: '审核时间',
    org: '单位', period: '测评周期', standard: '测评体系', total: '材料审核项', none: '缺材料', pending: '待审核', meets: '符合', fails: '不符合',
    submittedPercent: '材料提交率 %', metPercent: '符合率 %', filter: '范围', onlyLacking: '仅缺材料（缺材料与不符合）', all: '全部',
  },
  'en-US': {
    sheet: 'Document review', summary: 'Summary', code: 'Code', project: 'Project', indicator: 'Indicator', content: 'Content', text: 'Standard', points: 'Points',
    status: 'Status', files: 'Files', submittedAt: 'Last submitted', comment: 'Review comment', reviewer: 'Reviewer', reviewedAt: 'Reviewed at',
    org: 'Org', period: 'Period', standard: 'Standard', total: 'Document items', none: 'No evidence', pending: 'Pending review', meets: 'Meets', fails: 'Does not meet',
    submittedPercent: 'Submitted %', metPercent: 'Meets %', filter: 'Rows', onlyLacking: 'Still lacking evidence (none or does not meet)', all: 'All',
  },
} as const;

/** China time, minutes: the workbook is read by people, not machines. */
const local = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '');

export async function exportCoverageXlsx(deps: Deps, actor: Actor, input: CoverageInput): Promise<{ buffer: Buffer; filename: string }> {
  const cov = await getCoverage(deps, actor, input);
  const h = HEADERS[actor.lang];
  const zh = actor.lang !== 'en-US';
  const nodeById = new Map(cov.nodes.map((n) => [n.id, n]));
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wenming';
  const ws = wb.addWorksheet(h.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: h.code, width: 10 },
    { header: h.project, width: 16 },
    { header: h.indicator, width: 16 },
    { header: h.content, width: 16 },
    { header: h.text, width: 50 },
    { header: h.points, width: 7 },
    { header: h.status, width: 10 },
    { header: h.files, width: 7 },
    { header: h.submittedAt, width: 17 },
    { header: h.comment, width: 36 },
    { header: h.reviewer, width: 12 },
    { header: h.reviewedAt, width: 17 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of cov.rows) {
    const content = nodeById.get(r.nodeId);
    const indicator = content?.parentId ? nodeById.get(content.parentId) : undefined;
    const project = indicator?.parentId ? nodeById.get(indicator.parentId) : undefined;
    const s = r.submission;
    const row = ws.addRow([
      r.code,
      project?.name ?? '',
      indicator?.name ?? '',
      content?.name ?? '',
      r.text,
      r.points,
      zh ? EVIDENCE_STATUS_LABELS[r.status].zh : EVIDENCE_STATUS_LABELS[r.status].en,
      s?.fileCount ?? 0,
      local(s?.submittedAt ?? null),
      s?.reviewComment ?? '',
      s?.reviewerName ?? '',
      local(s?.reviewedAt ?? null),
    ]);
    row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(10).alignment = { wrapText: true, vertical: 'top' };
  }
  const sum = wb.addWorksheet(h.summary);
  sum.columns = [{ width: 22 }, { width: 40 }];
  const c = cov.counts;
  const lines: [string, string | number][] = [
    [h.org, cov.org.name],
    [h.period, cov.period],
    [h.standard, `v${cov.standard.versionNo} ${cov.standard.title}`],
    [h.filter, cov.lacking ? h.onlyLacking : h.all],
    [h.total, c.total],
    [h.none, c.none],
    [h.pending, c.pending],
    [h.meets, c.meets],
    [h.fails, c.fails],
    [h.submittedPercent, c.submittedPercent],
    [h.metPercent, c.metPercent],
  ];
  for (const line of lines) sum.addRow(line).getCell(1).font = { bold: true };
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, filename: `${zh ? '材料审核' : 'document-review'}-${cov.org.name}-${cov.period}${cov.lacking ? (zh ? '-缺材料' : '-lacking') : ''}.xlsx` };
}
