// Hand-built report data for the generators' own tests and the bench: a street of `communities` communities with
// `problems` problems, each with the photo files given (cycled), independent of the database.
import { PLAN_KIND_LABELS } from '../../../../core/inspections/kinds.js';
import { rankByRate, type CommunityScore, type ItemScoreRow, type ProblemRow, type ReportData, type ReportPhoto } from './data.js';

const COMMUNITIES = ['东风社区', '西苑社区', '南湖社区', '北山社区', '华光社区', '新村社区'];
const TYPES: [string, string][] = [
  ['market', '农贸市场'],
  ['residential', '居民小区'],
  ['street', '主次干道'],
  ['school', '学校周边'],
  ['square', '广场公园'],
  ['bus_stop', '公交站亭'],
];
const ITEMS: [string, string][] = [
  ['3.2.1', '公益广告数量不少于5处'],
  ['3.2.4', '无乱贴乱画、小广告'],
  ['4.1.2', '无暴露垃圾、卫生死角'],
  ['4.1.5', '机动车、非机动车有序停放'],
  ['4.3.1', '无占道经营、店外经营'],
  ['5.2.3', '无飞线充电、消防通道畅通'],
  ['6.1.1', '文明祭扫、移风易俗宣传到位'],
];
const DESCRIPTIONS = ['入口处公益广告仅2处，少3处', '电线杆上有小广告5张', '东北角堆放建筑垃圾', '非机动车乱停放，占用盲道', '两家商户店外经营', '3楼楼道飞线充电'];

const rate = (earned: number, possible: number) => ({ earned, possible, rate: possible > 0 ? earned / possible : null });

export function sampleReportData(opts: { problems?: number; photos?: ReportPhoto[][]; communities?: number; previous?: boolean } = {}): ReportData {
  const problemCount = opts.problems ?? 6;
  const nComm = Math.min(opts.communities ?? 3, COMMUNITIES.length);
  const communities = COMMUNITIES.slice(0, nComm);
  const problems: ProblemRow[] = Array.from({ length: problemCount }, (_, i) => {
    const [code, text] = ITEMS[i % ITEMS.length];
    const [, typeName] = TYPES[i % TYPES.length];
    const fixed = i % 5 === 4;
    return {
      seq: i + 1,
      communityName: communities[i % nComm],
      pointName: `${typeName}${Math.floor(i / TYPES.length) + 1}号点位`,
      pointTypeName: typeName,
      itemCode: code,
      itemText: text,
      description: DESCRIPTIONS[i % DESCRIPTIONS.length],
      fixedOnSpot: fixed,
      photos: opts.photos ? opts.photos[i % opts.photos.length] : [],
      caseId: fixed ? null : 1000 + i,
      caseNo: fixed ? null : `AJ2026051200${String(i + 1).padStart(3, '0')}`,
      unitName: fixed ? null : i % 2 ? '城管科' : `${communities[i % nComm]}居委会`,
      deadline: fixed ? null : new Date(Date.parse('2026-05-14T09:30:00Z') + (i % 4) * 86400_000).toISOString(),
      status: fixed ? null : 'dispatched',
      statusLabel: fixed ? '现场整改' : '已派遣',
    };
  });
  const byCommunity: CommunityScore[] = rankByRate(
    communities.map((name, i) => {
      const r = rate(180 - i * 9.5, 200);
      const prev = opts.previous === false ? null : 0.85 - i * 0.01;
      return { id: i + 1, name, pointsInspected: 12 - i, problems: problems.filter((p) => p.communityName === name).length, rate: r, previousRate: prev, delta: prev === null ? null : r.rate! - prev };
    }),
  ).map((c) => c as CommunityScore);
  const byItem: ItemScoreRow[] = ITEMS.map(([code, text], i) => ({
    code,
    text,
    nodePath: '公共环境 / 市容市貌 / 环境卫生',
    pointsChecked: 20,
    pointsFailed: 7 - i,
    rate: rate(20 - (7 - i) * 1.5, 20),
    delta: i % 2 ? 0.05 : -0.02,
  }));
  const earned = byCommunity.reduce((a, c) => a + c.rate.earned, 0);
  const possible = byCommunity.reduce((a, c) => a + c.rate.possible, 0);
  const overall = rate(earned, possible);
  return {
    plan: {
      id: 7,
      no: 'JC-2026-0007',
      title: '2026年5月模拟测评',
      kind: 'mock',
      kindLabel: PLAN_KIND_LABELS.mock.zh,
      status: 'closed',
      startsOn: '2026-05-10',
      endsOn: '2026-05-12',
      standardVersionTitle: '全国文明城市测评体系（2026年版）实地考察标准',
    },
    issuer: '测试街道创建文明城市工作办公室',
    issuedOn: '2026-05-13',
    summary: {
      communities: nComm,
      pointsPlanned: 40,
      pointsInspected: 38,
      itemsChecked: 412,
      overall,
      problemsFound: problemCount,
      fixedOnSpot: problems.filter((p) => p.fixedOnSpot).length,
      casesOpened: problems.filter((p) => p.caseNo).length,
      previous: opts.previous === false ? null : { planId: 3, title: '2026年4月模拟测评', overall: rate(0.84 * possible, possible) },
      delta: opts.previous === false ? null : overall.rate! - 0.84,
    },
    byCommunity,
    byPointType: TYPES.map(([code, name], i) => ({ code, name, pointsInspected: 6 + i, problems: problems.filter((p) => p.pointTypeName === name).length, rate: rate(90 - i * 3, 100), delta: null })),
    byPoint: Array.from({ length: 12 }, (_, i) => ({
      id: 100 + i,
      name: `${TYPES[i % TYPES.length][1]}${i + 1}号点位`,
      typeName: TYPES[i % TYPES.length][1],
      communityName: communities[i % nComm],
      address: `华光路${i + 1}号`,
      inspectedAt: '2026-05-11T02:15:00.000Z',
      inspectorName: '测试inspector',
      problems: i % 3,
      rate: rate(10 + i, 25),
    })),
    byItem,
    weakestItems: [...byItem].sort((a, b) => a.rate.rate! - b.rate.rate!).slice(0, 5),
    problems,
  };
}
