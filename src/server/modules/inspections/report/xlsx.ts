// The 通报 as a workbook: 汇总 (by community, with the street's total), 点位 (by point, weakest first), 问题 (each
// problem with its case, unit, deadline and status, and its first photo), 测评项 (by standard item). Each sheet has a
// title, a line about the plan, and a frozen, filterable header row; rates are numbers formatted as percentages so
// they sort and chart in Excel. A report is a few hundred rows, so the workbook is built in memory and then written
// to the response as it is zipped.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { chineseDeadline, deltaPoints, percent, reportTitle, xmlSafe, type ReportData, type ReportRate } from './data.js';
import { loadImages } from './images.js';

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };
const FONT = { name: '宋体', size: 10 };
const HEADER_ROWS = 3;
const PHOTO = { width: 96, height: 72, pad: 4 };

interface Column {
  header: string;
  width: number;
  /** number format for numeric cells */
  numFmt?: string;
  center?: boolean;
}

const PCT = '0.0%';
/** Percentage points, signed. */
const PP = '+0.0;-0.0;0.0';
const NUM = '0.##';

type Cell = string | number | null;

/** Adds a sheet: title row, plan line, header row (frozen, filtered), then the rows, all bordered. */
function addSheet(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, columns: Column[], rows: Cell[][], opts: { boldLast?: boolean } = {}) {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROWS, topLeftCell: `A${HEADER_ROWS + 1}`, activeCell: `A${HEADER_ROWS + 1}` }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROWS}:${HEADER_ROWS}` },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  const last = columns.length;
  const t = ws.getRow(1);
  t.getCell(1).value = xmlSafe(title);
  t.getCell(1).style = { font: { name: '宋体', size: 16, bold: true }, alignment: { vertical: 'middle', horizontal: 'center' } };
  t.height = 30;
  ws.mergeCells(1, 1, 1, last);
  const st = ws.getRow(2);
  st.getCell(1).value = xmlSafe(subtitle);
  st.getCell(1).style = { font: { ...FONT, color: { argb: 'FF444444' } }, alignment: { vertical: 'middle', horizontal: 'left' } };
  st.height = 20;
  ws.mergeCells(2, 1, 2, last);
  const h = ws.getRow(HEADER_ROWS);
  columns.forEach((c, i) => {
    const cell = h.getCell(i + 1);
    cell.value = c.header;
    cell.style = {
      font: { ...FONT, size: 11, bold: true },
      border: BORDER,
      fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } },
      alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
    };
  });
  h.height = 30;
  ws.autoFilter = { from: { row: HEADER_ROWS, column: 1 }, to: { row: HEADER_ROWS, column: last } };
  rows.forEach((values, r) => {
    const row = ws.getRow(HEADER_ROWS + 1 + r);
    const bold = opts.boldLast && r === rows.length - 1;
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.value = typeof v === 'string' ? xmlSafe(v) : v;
      const c = columns[i];
      cell.style = {
        font: bold ? { ...FONT, bold: true } : FONT,
        border: BORDER,
        alignment: { vertical: 'middle', horizontal: c.center || typeof v === 'number' ? 'center' : 'left', wrapText: true },
        ...(typeof v === 'number' && c.numFmt ? { numFmt: c.numFmt } : {}),
      };
    });
  });
  return ws;
}

const rate = (r: ReportRate): Cell => r.rate;
const delta = (d: number | null): Cell => (d === null ? null : Math.round(d * 1000) / 10);

export function buildReportWorkbook(data: ReportData, images: Awaited<ReturnType<typeof loadImages>>): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = data.issuer;
  wb.title = reportTitle(data);
  const { plan, summary: s } = data;
  const line = `${plan.no} · ${plan.kindLabel} · ${plan.startsOn} 至 ${plan.endsOn} · 标准：${plan.standardVersionTitle} · 总体得分率 ${percent(s.overall.rate)}${s.previous ? `（上次 ${percent(s.previous.overall.rate)}，${deltaPoints(s.delta)} 个百分点）` : ''}`;

  addSheet(
    wb,
    '汇总',
    `${plan.title} 各社区得分情况`,
    line,
    [
      { header: '排名', width: 7, center: true },
      { header: '社区', width: 18 },
      { header: '测评点位', width: 10 },
      { header: '发现问题', width: 10 },
      { header: '得分', width: 10, numFmt: NUM },
      { header: '应得分', width: 10, numFmt: NUM },
      { header: '得分率', width: 10, numFmt: PCT },
      { header: '上次得分率', width: 11, numFmt: PCT },
      { header: '较上次（百分点）', width: 12, numFmt: PP },
    ],
    [
      ...data.byCommunity.map((c): Cell[] => [c.rank, c.name, c.pointsInspected, c.problems, c.rate.earned, c.rate.possible, rate(c.rate), c.previousRate, delta(c.delta)]),
      [null, '合计', s.pointsInspected, s.problemsFound, s.overall.earned, s.overall.possible, rate(s.overall), s.previous?.overall.rate ?? null, delta(s.delta)],
    ],
    { boldLast: true },
  );

  addSheet(
    wb,
    '点位',
    `${plan.title} 各点位得分情况`,
    `${line} · 得分率由低到高`,
    [
      { header: '序号', width: 6, center: true },
      { header: '社区', width: 14 },
      { header: '点位', width: 24 },
      { header: '点位类型', width: 14 },
      { header: '地址', width: 24 },
      { header: '测评时间', width: 17, center: true },
      { header: '督查员', width: 10 },
      { header: '发现问题', width: 9 },
      { header: '得分', width: 9, numFmt: NUM },
      { header: '应得分', width: 9, numFmt: NUM },
      { header: '得分率', width: 9, numFmt: PCT },
    ],
    data.byPoint.map((p, i): Cell[] => [i + 1, p.communityName, p.name, p.typeName, p.address, chineseDeadline(p.inspectedAt), p.inspectorName, p.problems, p.rate.earned, p.rate.possible, rate(p.rate)]),
  );

  const problems = addSheet(
    wb,
    '问题',
    `${plan.title} 问题清单`,
    `${line} · 发现问题 ${s.problemsFound} 个，现场整改 ${s.fixedOnSpot} 个，立案 ${s.casesOpened} 件`,
    [
      { header: '序号', width: 6, center: true },
      { header: '社区', width: 12 },
      { header: '点位', width: 20 },
      { header: '点位类型', width: 12 },
      { header: '测评项编号', width: 11, center: true },
      { header: '测评项', width: 28 },
      { header: '问题描述', width: 28 },
      { header: '照片', width: 15 },
      { header: '现场整改', width: 9, center: true },
      { header: '案件编号', width: 18, center: true },
      { header: '责任单位', width: 14 },
      { header: '整改时限', width: 15, center: true },
      { header: '状态', width: 10, center: true },
    ],
    data.problems.map((p): Cell[] => [
      p.seq, p.communityName, p.pointName, p.pointTypeName, p.itemCode, p.itemText, p.description, p.photos.length ? `${p.photos.length}张` : '', p.fixedOnSpot ? '是' : '否', p.caseNo, p.unitName,
      chineseDeadline(p.deadline), p.statusLabel,
    ]),
  );
  // The first photo of each problem sits in its 照片 cell (the count stays behind it, bottom right, when there are more).
  data.problems.forEach((p, r) => {
    const img = p.photos.length ? images.get(p.photos[0].path) : null;
    const cell = problems.getCell(HEADER_ROWS + 1 + r, 8);
    if (!img) return;
    problems.getRow(HEADER_ROWS + 1 + r).height = Math.max(problems.getRow(HEADER_ROWS + 1 + r).height ?? 0, (PHOTO.height + 2 * PHOTO.pad) * 0.75);
    const scale = Math.min(PHOTO.width / img.width, PHOTO.height / img.height);
    const id = wb.addImage({ buffer: img.data as unknown as ExcelJS.Buffer, extension: 'jpeg' });
    problems.addImage(id, { tl: { col: 7 + 0.05, row: HEADER_ROWS + r + 0.05 }, ext: { width: Math.round(img.width * scale), height: Math.round(img.height * scale) }, editAs: 'oneCell' });
    cell.value = p.photos.length > 1 ? `共${p.photos.length}张` : null;
    cell.alignment = { vertical: 'bottom', horizontal: 'right' };
  });

  addSheet(
    wb,
    '测评项',
    `${plan.title} 各测评项得分情况`,
    line,
    [
      { header: '序号', width: 6, center: true },
      { header: '编号', width: 10, center: true },
      { header: '测评项', width: 36 },
      { header: '所属测评内容', width: 36 },
      { header: '测评点位', width: 9 },
      { header: '不达标点位', width: 10 },
      { header: '得分', width: 9, numFmt: NUM },
      { header: '应得分', width: 9, numFmt: NUM },
      { header: '得分率', width: 9, numFmt: PCT },
      { header: '较上次（百分点）', width: 12, numFmt: PP },
    ],
    data.byItem.map((i, k): Cell[] => [k + 1, i.code, i.text, i.nodePath, i.pointsChecked, i.pointsFailed, i.rate.earned, i.rate.possible, rate(i.rate), delta(i.delta)]),
  );
  return wb;
}

/** Writes the workbook to `out` (ending it). */
export async function writeReportXlsx(data: ReportData, out: Writable): Promise<void> {
  const images = await loadImages(data.problems.flatMap((p) => p.photos.slice(0, 1)));
  await buildReportWorkbook(data, images).xlsx.write(out);
  out.end();
}

export async function renderReportXlsx(data: ReportData): Promise<Buffer> {
  const images = await loadImages(data.problems.flatMap((p) => p.photos.slice(0, 1)));
  return Buffer.from(await buildReportWorkbook(data, images).xlsx.writeBuffer());
}
