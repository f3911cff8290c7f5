// The 通报 as a Word document, laid out after the official style (GB/T 9704-2012, as a 街道 office writes it):
// A4 with 37/35/28/26 mm margins; a red masthead and the 发文 line; the title in 二号 宋体 bold (a stand-in for
// 方正小标宋, which few machines have); body in 三号 仿宋 on a fixed 28 pt line; 一、 headings in 黑体 and （一）
// headings in 楷体; page numbers as “— 1 —” in 四号 宋体, odd pages right and even pages left.
import {
  AlignmentType, BorderStyle, Document, Footer, ImageRun, LineRuleType, PageNumber, Packer, Paragraph, Tab, Table, TableCell, TableLayoutType, TableRow, TabStopType, TextRun,
  VerticalAlignTable, WidthType, convertMillimetersToTwip,
} from 'docx';
import { chineseDate, chineseDeadline, chineseNumber, deltaPoints, deltaWords, percent, reportTitle, xmlSafe, type ProblemRow, type ReportData } from './data.js';
import { fitCm, loadImages, type ReportImage } from './images.js';

export interface ReportDocxOptions {
  /** Pictures shown per problem (the rest are counted in the caption). Default 2. */
  photosPerProblem?: number;
  /** Width of a lone picture; two pictures side by side take a little less each. Default 8 cm. */
  photoWidthCm?: number;
}

const FONT_SONG = '宋体';
const FONT_HEI = '黑体';
const FONT_FANG = '仿宋';
const FONT_KAI = '楷体';
const LATIN = 'Times New Roman';
/** Sizes in half-points: 初号 42 pt … 五号 10.5 pt. */
const SIZE = { masthead: 60, title: 44, body: 32, page: 28, table: 24, caption: 21 } as const;
const RED = 'C00000';
const LINE = 560; // 28 pt in twips, the fixed line of the body
const INDENT = 640; // two 16 pt characters

/** Text width between the margins: 210 − 28 − 26 mm. */
const TEXT_WIDTH_TWIP = convertMillimetersToTwip(156);

interface RunStyle {
  font?: string;
  size?: number;
  bold?: boolean;
  color?: string;
}

const run = (text: string, s: RunStyle = {}) =>
  new TextRun({ text: xmlSafe(text), font: { eastAsia: s.font ?? FONT_FANG, ascii: LATIN, hAnsi: LATIN }, size: s.size ?? SIZE.body, bold: s.bold, color: s.color });

/** A body paragraph: 三号 仿宋, first line indented by two characters, fixed 28 pt lines. */
const body = (children: (TextRun | ImageRun)[] | string, opts: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
  new Paragraph({
    children: typeof children === 'string' ? [run(children)] : children,
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: opts.indent === false ? undefined : { firstLine: INDENT },
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
  });

const heading1 = (n: number, text: string) => body([run(`${chineseNumber(n)}、${text}`, { font: FONT_HEI })]);
const heading2 = (n: number, text: string) => body([run(`（${chineseNumber(n)}）${text}`, { font: FONT_KAI })]);

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin };

/** A table in 小四 仿宋 (header in 黑体) with columns in proportion to `widths`. */
function table(header: string[], rows: string[][], widths: number[], centered: boolean[]): Table {
  const total = widths.reduce((a, b) => a + b, 0);
  const twips = widths.map((w) => Math.floor((w / total) * TEXT_WIDTH_TWIP));
  const cell = (text: string, i: number, head: boolean) =>
    new TableCell({
      width: { size: twips[i], type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: 80, right: 80, top: 40, bottom: 40 },
      children: [
        new Paragraph({
          alignment: head || centered[i] ? AlignmentType.CENTER : AlignmentType.LEFT,
          children: [run(text, { font: head ? FONT_HEI : FONT_FANG, size: SIZE.table })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_WIDTH_TWIP, type: WidthType.DXA },
    columnWidths: twips,
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((t, i) => cell(t, i, false)) })),
    ],
  });
}

function pageFooter(align: (typeof AlignmentType)[keyof typeof AlignmentType]) {
  const font = { eastAsia: FONT_SONG, ascii: FONT_SONG, hAnsi: FONT_SONG };
  return new Footer({
    children: [
      new Paragraph({
        alignment: align,
        indent: align === AlignmentType.RIGHT ? { right: 280 } : { left: 280 },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font, size: SIZE.page })],
      }),
    ],
  });
}

function dateRange(from: string, to: string): string {
  if (from === to) return chineseDate(from);
  const [fy, fm] = from.split('-');
  const [ty, tm, td] = to.split('-');
  if (fy === ty && fm === tm) return `${chineseDate(from)}至${Number(td)}日`;
  if (fy === ty) return `${chineseDate(from)}至${Number(tm)}月${Number(td)}日`;
  return `${chineseDate(from)}至${chineseDate(to)}`;
}

/** Case states before dispatch: the deadline is set when the case is dispatched. */
const BEFORE_DISPATCH = new Set(['reported', 'verifying', 'filed', 'returned']);

/** The deadline as the 通报 shows it: a time, 待派遣 before dispatch, — when there is none (挂账, closed early). */
function deadlineText(p: ProblemRow): string {
  if (p.deadline) return chineseDeadline(p.deadline);
  return p.status && BEFORE_DISPATCH.has(p.status) ? '待派遣' : '—';
}

function problemLines(p: ProblemRow): string {
  if (p.fixedOnSpot) return '已现场整改。';
  if (!p.caseNo) return '待立案。';
  const parts = [`已立案（案件编号：${p.caseNo}）`];
  if (p.unitName) parts.push(`责任单位：${p.unitName}`);
  if (p.deadline) parts.push(`整改时限：${chineseDeadline(p.deadline)}`);
  else if (p.status && BEFORE_DISPATCH.has(p.status)) parts.push('整改时限待派遣后确定');
  parts.push(`当前状态：${p.statusLabel}`);
  return `${parts.join('，')}。`;
}

/** Renders the 通报; pictures are read from disk (thumbnails) while the document is built. */
export async function renderReportDocx(data: ReportData, opts: ReportDocxOptions = {}): Promise<Buffer> {
  const perProblem = opts.photosPerProblem ?? 2;
  const widthCm = opts.photoWidthCm ?? 8;
  const images = await loadImages(data.problems.flatMap((p) => p.photos.slice(0, perProblem)));
  const { plan, summary: s } = data;
  const children: (Paragraph | Table)[] = [];

  // 版头: the masthead in red, the 发文 line (issuer left, date right), a red rule.
  children.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [run('创建文明城市工作通报', { font: FONT_SONG, size: SIZE.masthead, bold: true, color: RED })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(`（${plan.no}）`, { font: FONT_FANG, size: SIZE.body })] }),
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH_TWIP }],
      border: { bottom: { style: BorderStyle.THICK, size: 18, color: RED, space: 6 } },
      spacing: { after: 480 },
      children: [run(data.issuer, { size: SIZE.body }), new TextRun({ children: [new Tab()] }), run(chineseDate(data.issuedOn), { size: SIZE.body })],
    }),
  );

  // Title: 二号, centred, with a blank line after it; then the 主送 line.
  children.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: LineRuleType.EXACT, after: LINE }, children: [run(reportTitle(data), { font: FONT_SONG, size: SIZE.title, bold: true })] }),
    body('各社区、各有关单位：', { indent: false }),
    body(
      `${dateRange(plan.startsOn, plan.endsOn)}，街道创建文明城市工作办公室依据《${plan.standardVersionTitle}》，对辖区${s.communities}个社区的${s.pointsInspected}个点位开展了${plan.title.includes(plan.kindLabel) ? `“${plan.title}”` : `${plan.kindLabel}（${plan.title}）`}。现将有关情况通报如下：`,
    ),
  );

  // 一、总体情况
  let section = 1;
  children.push(heading1(section++, '总体情况'));
  const notDone = s.pointsPlanned - s.pointsInspected;
  const previous = s.previous ? `，较上次（${s.previous.title}，${percent(s.previous.overall.rate)}）${deltaWords(s.delta)}` : '';
  let overall =
    `本次${plan.kindLabel}共抽取点位${s.pointsPlanned}个，实际测评${s.pointsInspected}个${notDone > 0 ? `（${notDone}个未测评）` : ''}，` +
    `检查测评项${s.itemsChecked}项次，总体得分率${percent(s.overall.rate)}${previous}。` +
    `共发现问题${s.problemsFound}个，其中现场整改${s.fixedOnSpot}个，立案${s.casesOpened}件。`;
  const ranked = data.byCommunity.filter((c) => c.rank !== null);
  if (ranked.length > 1) {
    const best = ranked[0];
    const worst = ranked[ranked.length - 1];
    if (best.rate.rate !== worst.rate.rate) overall += `${best.name}得分率最高（${percent(best.rate.rate)}），${worst.name}得分率最低（${percent(worst.rate.rate)}）。`;
  }
  children.push(body(overall));

  // 二、得分情况
  children.push(heading1(section++, '得分情况'));
  let sub = 1;
  children.push(heading2(sub++, '各社区得分及排名'));
  children.push(
    table(
      ['排名', '社区', '测评点位', '发现问题', '得分率', '较上次（百分点）'],
      data.byCommunity.map((c) => [c.rank === null ? '—' : String(c.rank), c.name, String(c.pointsInspected), String(c.problems), percent(c.rate.rate), deltaPoints(c.delta)]),
      [8, 24, 12, 12, 12, 16],
      [true, false, true, true, true, true],
    ),
  );
  if (data.byPointType.length) {
    children.push(heading2(sub++, '各类点位得分情况'));
    children.push(
      table(
        ['点位类型', '测评点位', '发现问题', '得分率', '较上次（百分点）'],
        data.byPointType.map((t) => [t.name, String(t.pointsInspected), String(t.problems), percent(t.rate.rate), deltaPoints(t.delta)]),
        [28, 14, 14, 14, 18],
        [false, true, true, true, true],
      ),
    );
  }
  const weak = data.weakestItems.filter((i) => i.rate.rate !== null && i.rate.rate < 1);
  if (weak.length) {
    children.push(heading2(sub++, '失分较多的测评项'));
    weak.forEach((i, k) =>
      children.push(body(`${k + 1}. ${i.code} ${i.text}：测评${i.pointsChecked}个点位，${i.pointsFailed}个不达标，得分率${percent(i.rate.rate)}。`)),
    );
  }

  // 三、存在问题, by community, each with its pictures.
  children.push(heading1(section++, '存在问题'));
  if (!data.problems.length) children.push(body('本次测评未发现问题。'));
  const byCommunity = new Map<string, ProblemRow[]>();
  for (const p of data.problems) byCommunity.set(p.communityName, [...(byCommunity.get(p.communityName) ?? []), p]);
  let figure = 0;
  let group = 1;
  for (const [community, problems] of byCommunity) {
    children.push(heading2(group++, `${community}（${problems.length}个）`));
    problems.forEach((p, k) => {
      children.push(
        body([
          run(`${k + 1}. ${p.pointName}（${p.pointTypeName}）`, { bold: true }),
          run(`，测评项${p.itemCode}“${p.itemText}”不达标${p.description ? `：${p.description}` : ''}。${problemLines(p)}`),
        ]),
      );
      const shown = p.photos
        .slice(0, perProblem)
        .map((ph) => images.get(ph.path))
        .filter((i): i is ReportImage => !!i);
      if (!shown.length) return;
      figure++;
      const each = shown.length === 1 ? widthCm : Math.min(widthCm, 7.4);
      const pictures: (TextRun | ImageRun)[] = [];
      shown.forEach((img, i) => {
        if (i) pictures.push(run('  '));
        const size = fitCm(img, each, shown.length === 1 ? 10 : 7);
        pictures.push(
          new ImageRun({ type: 'jpg', data: img.data, transformation: size, altText: { name: `图${figure}-${i + 1}`, title: xmlSafe(p.pointName), description: xmlSafe(`${p.pointName} ${p.itemText}`) } }),
        );
      });
      children.push(new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 120 }, children: pictures }));
      const more = p.photos.length > shown.length ? `（共${p.photos.length}张）` : '';
      children.push(
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [run(`图${figure} ${p.pointName} ${p.itemText}${more}`, { font: FONT_KAI, size: SIZE.caption })] }),
      );
    });
  }

  // 四、整改要求, with the deadline of every case opened.
  children.push(heading1(section++, '整改要求'));
  const open = data.problems.filter((p) => p.caseNo).sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
  const closed = open.filter((p) => p.status === 'closed').length;
  children.push(
    body([
      run('（一）限期整改。', { font: FONT_KAI }),
      run(
        open.length
          ? `本次${plan.kindLabel}发现的问题已立案${open.length}件${closed ? `，其中已整改结案${closed}件` : ''}。请各责任单位对照问题清单，在整改时限内完成整改，并在平台反馈整改措施和整改后照片。各案件整改时限如下：`
          : `本次${plan.kindLabel}未有需立案整改的问题，请各单位保持常态长效管理。`,
      ),
    ]),
  );
  if (open.length) {
    children.push(
      table(
        ['序号', '案件编号', '点位及问题', '责任单位', '整改时限', '当前状态'],
        open.map((p, i) => [String(i + 1), p.caseNo!, `${p.pointName}：${p.itemText}`, p.unitName ?? '待派遣', deadlineText(p), p.statusLabel]),
        [7, 18, 32, 16, 17, 10],
        [true, true, false, false, true, true],
      ),
    );
  }
  children.push(
    body([run('（二）举一反三。', { font: FONT_KAI }), run('各社区、各单位要对照本次通报的问题和失分较多的测评项，全面排查同类点位，建立问题清单和责任清单，防止问题反弹。')]),
    body([run('（三）跟踪问效。', { font: FONT_KAI }), run('街道创建文明城市工作办公室将对整改情况组织“回头看”，对逾期未整改、整改不到位的问题再次通报。')]),
  );

  // 落款: issuer and date, right-aligned, after a blank line.
  children.push(
    body('', { indent: false }),
    body([run(data.issuer)], { indent: false, align: AlignmentType.RIGHT }),
    body([run(chineseDate(data.issuedOn))], { indent: false, align: AlignmentType.RIGHT }),
  );

  const doc = new Document({
    creator: xmlSafe(data.issuer),
    title: xmlSafe(reportTitle(data)),
    description: xmlSafe(`${plan.no} ${plan.title}`),
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: { eastAsia: FONT_FANG, ascii: LATIN, hAnsi: LATIN }, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: { top: convertMillimetersToTwip(37), bottom: convertMillimetersToTwip(35), left: convertMillimetersToTwip(28), right: convertMillimetersToTwip(26), footer: convertMillimetersToTwip(20) },
          },
        },
        footers: { default: pageFooter(AlignmentType.RIGHT), even: pageFooter(AlignmentType.LEFT) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
