// The seed 测评体系: the field checklists of domain.md (paraphrased from published local guides) for 11 point
// types, plus questionnaire (问卷调查) and document-review (材料审核) items. Loaded as the published v1 of an
// installation; the 创城办 edits it in a draft afterwards. Every number here is seed data, not a rule of the code.
import type { StandardItem, StandardMethod, StandardNode } from './model.js';
import type { ScoringRule } from './rules.js';

export const SEED_STANDARD_CODE = 'national';
export const SEED_STANDARD_TITLE = '全国文明城市测评体系（街道实地考察版）';

export const STANDARD_SEED_NODES: StandardNode[] = [
  { level: 1, code: '1', name: '社会文明程度' },
  { level: 2, code: '1.1', name: '公共秩序' },
  { level: 3, code: '1.1.1', name: '道路交通秩序' },
  { level: 3, code: '1.1.2', name: '街面经营秩序' },
  { level: 3, code: '1.1.3', name: '公共场所文明行为' },
  { level: 2, code: '1.2', name: '宣传氛围' },
  { level: 3, code: '1.2.1', name: '公益广告设置' },
  { level: 1, code: '2', name: '城市环境' },
  { level: 2, code: '2.1', name: '市容环境卫生' },
  { level: 3, code: '2.1.1', name: '环境卫生' },
  { level: 3, code: '2.1.2', name: '违法建设与乱堆乱放' },
  { level: 2, code: '2.2', name: '基础设施' },
  { level: 3, code: '2.2.1', name: '道路与公共设施' },
  { level: 3, code: '2.2.2', name: '消防安全' },
  { level: 1, code: '3', name: '市场与窗口服务' },
  { level: 2, code: '3.1', name: '农贸市场管理' },
  { level: 3, code: '3.1.1', name: '经营管理' },
  { level: 1, code: '4', name: '群众评价与长效机制' },
  { level: 2, code: '4.1', name: '群众满意度' },
  { level: 3, code: '4.1.1', name: '市民知晓与支持' },
  { level: 2, code: '4.2', name: '常态长效机制' },
  { level: 3, code: '4.2.1', name: '组织领导与责任落实' },
];

// Point type groups used over and over below (codes of core/places.ts).
const ROADS = ['main_road', 'commercial_street'];
const HOMES = ['residential', 'old_residential'];

const passFail = (points: number, fixedOnSpotFactor?: number): ScoringRule => ({ kind: 'pass_fail', points, ...(fixedOnSpotFactor ? { fixedOnSpotFactor } : {}) });
const perMissing = (required: number, step: number, points: number, unit = '处'): ScoringRule => ({ kind: 'per_missing', required, step, points, unit });
/** −step per problem, at most `cap` (= the item's points); half when fixed on the spot unless `halfOnSpot` is false. */
const perOccurrence = (step: number, cap: number, halfOnSpot = true): ScoringRule => ({ kind: 'per_occurrence', step, cap, points: cap, ...(halfOnSpot ? { fixedOnSpotFactor: 0.5 } : {}) });

type Row = [code: string, text: string, pointTypes: string[], rule: ScoringRule, methods?: StandardMethod[]];

const ROWS: Row[] = [
  // 1.1.1 道路交通秩序
  ['1.1.1-1', '机动车停放有序，无乱停乱放，不占用人行道、盲道和绿化带', [...ROADS, 'back_street', ...HOMES, 'market'], perOccurrence(1, 5)],
  ['1.1.1-2', '非机动车停放有序，无乱停乱放', [...ROADS, 'back_street', 'market', 'bus_stop'], perOccurrence(1, 4)],
  ['1.1.1-3', '机动车、非机动车和行人各行其道，无闯红灯、逆行现象', ['main_road'], perOccurrence(1, 3, false)],
  ['1.1.1-4', '机动车在斑马线前礼让行人', ['main_road'], perOccurrence(1, 3, false)],
  ['1.1.1-5', '电动自行车悬挂号牌', ROADS, perOccurrence(0.5, 2, false)],
  // 1.1.2 街面经营秩序
  ['1.1.2-1', '无占道经营、店外经营，无划定区域以外的摆摊设点', [...ROADS, 'back_street', 'market'], perOccurrence(1, 4)],
  ['1.1.2-2', '无流动摊贩、露天烧烤', ['back_street', 'park_square'], perOccurrence(1, 3)],
  // 1.1.3 公共场所文明行为
  ['1.1.3-1', '无争吵谩骂、随地吐痰等不文明行为', ['market', 'park_square', 'bus_stop'], perOccurrence(1, 3, false)],
  ['1.1.3-2', '文明养犬：犬只拴绳牵引，及时清理犬只粪便', [...HOMES, 'park_square'], perOccurrence(1, 3)],
  ['1.1.3-3', '禁止吸烟场所无吸烟现象', [...HOMES, 'bus_stop'], perOccurrence(0.5, 2)],
  ['1.1.3-4', '候车秩序良好，排队上车', ['bus_stop'], passFail(2)],
  // 1.2.1 公益广告设置
  ['1.2.1-1', '抽查路段每200米至少设置1处公益广告', ROADS, passFail(2)],
  ['1.2.1-2', '抽查500米路段内社会主义核心价值观公益广告不少于3处，少1处扣1分', ROADS, perMissing(3, 1, 3)],
  ['1.2.1-3', '抽查500米路段内“讲文明树新风”公益广告不少于3处，少1处扣1分', ROADS, perMissing(3, 1, 3)],
  ['1.2.1-4', '抽查500米路段内“文明健康 有你有我”公益广告不少于3处，少1处扣1分', ROADS, perMissing(3, 1, 3)],
  ['1.2.1-5', '市场内社会主义核心价值观公益广告不少于2处，少1处扣2分', ['market'], perMissing(2, 2, 4)],
  ['1.2.1-6', '市场内公益广告不少于5处，间距不小于10米，少1处扣2分', ['market'], perMissing(5, 2, 10)],
  ['1.2.1-7', '小区内设置固定式社会主义核心价值观公益广告不少于2处（横幅不计入），少1处扣2分', HOMES, perMissing(2, 2, 4)],
  ['1.2.1-8', '小区内设置固定式关爱未成年人公益广告（横幅不计入）', HOMES, passFail(2)],
  ['1.2.1-9', '工地围挡公益广告面积不少于围挡总面积的30%', ['construction_site'], passFail(4)],
  ['1.2.1-10', '围挡广告中公益广告不少于1/3，且每面围挡均有设置', ['construction_site'], passFail(3)],
  ['1.2.1-11', '公益广告画面完好，无破损、褪色、遮挡', [...ROADS, 'market', 'construction_site', 'park_square', 'bus_stop'], perOccurrence(0.5, 2)],
  ['1.2.1-12', '公园广场内公益广告不少于3处，少1处扣1分', ['park_square'], perMissing(3, 1, 3)],
  ['1.2.1-13', '公交站台设置公益广告', ['bus_stop'], passFail(2)],
  // 2.1.1 环境卫生
  ['2.1.1-1', '地面干净整洁，无乱扔垃圾（烟头、纸屑、果皮等）', [...ROADS, 'back_street', 'market', ...HOMES, 'park_square', 'bus_stop'], perOccurrence(1, 5)],
  ['2.1.1-2', '无乱张贴、乱涂写、乱刻画（小广告）', [...ROADS, 'back_street', 'market', ...HOMES, 'bus_stop'], perOccurrence(1, 4)],
  ['2.1.1-3', '垃圾分类收集容器配置到位，分类投放', [...HOMES, 'market'], passFail(3)],
  ['2.1.1-4', '无积水、无卫生死角', ['market', 'back_street'], perOccurrence(1, 3)],
  ['2.1.1-5', '垃圾收集站（点）干净整洁，无垃圾外溢', ['back_street', 'market', ...HOMES], perOccurrence(1, 3)],
  ['2.1.1-6', '公共厕所干净无异味，设施完好', ['market', 'park_square', 'back_street', 'public_toilet'], passFail(3, 0.5)],
  // 2.1.2 违法建设与乱堆乱放
  ['2.1.2-1', '无违法建设', [...ROADS, 'back_street', ...HOMES], perOccurrence(2, 4, false)],
  ['2.1.2-2', '楼道内无杂物堆放', HOMES, perOccurrence(1, 3)],
  ['2.1.2-3', '绿地内无种菜，无散养家禽', HOMES, perOccurrence(1, 2)],
  ['2.1.2-4', '墙面干净，无乱拉乱挂、沿街晾挂', ['back_street', 'old_residential', 'commercial_street'], perOccurrence(0.5, 2)],
  // 2.2.1 道路与公共设施
  ['2.2.1-1', '盲道、无障碍坡道连续完好，无占用', ROADS, perOccurrence(1, 3)],
  ['2.2.1-2', '路面硬化平整，无坑洼、破损', ['back_street', ...HOMES], perOccurrence(1, 3, false)],
  ['2.2.1-3', '人行道连续平整，排水通畅', ['back_street'], passFail(2)],
  ['2.2.1-4', '井盖、雨水篦子齐全完好', ['main_road', 'back_street', ...HOMES], perOccurrence(1, 3, false)],
  ['2.2.1-5', '路灯等照明设施完好', ['back_street', ...HOMES], perOccurrence(0.5, 2, false)],
  ['2.2.1-6', '工地围挡完好整洁，无破损、倒伏', ['construction_site'], perOccurrence(1, 3)],
  ['2.2.1-7', '工地出入口硬化，车辆冲洗设施完好，无带泥上路', ['construction_site'], passFail(3)],
  ['2.2.1-8', '工地裸土覆盖，无扬尘', ['construction_site'], passFail(3, 0.5)],
  ['2.2.1-9', '健身器材、座椅等公共设施完好', ['park_square'], perOccurrence(1, 2, false)],
  ['2.2.1-10', '公交站亭、站牌完好整洁', ['bus_stop'], perOccurrence(1, 2)],
  // 2.2.2 消防安全
  ['2.2.2-1', '消防器材配备齐全、有效', [...HOMES, 'market'], passFail(3)],
  ['2.2.2-2', '消防通道畅通，无占用', [...HOMES, 'market'], perOccurrence(1, 3)],
  ['2.2.2-3', '无飞线充电', HOMES, perOccurrence(2, 4)],
  ['2.2.2-4', '电动自行车不进楼道、不入户充电', HOMES, perOccurrence(1, 3)],
  // 3.1.1 农贸市场经营管理
  ['3.1.1-1', '市场入口处设置公平秤', ['market'], passFail(2)],
  ['3.1.1-2', '市场入口处公示服务规范，设置投诉点', ['market'], passFail(2)],
  ['3.1.1-3', '经营户亮照经营', ['market'], perOccurrence(0.5, 2)],
  ['3.1.1-4', '从业人员健康证持证率100%', ['market'], perOccurrence(0.5, 2, false), ['field', 'document']],
  ['3.1.1-5', '市场周边无乱停车、占道经营、乱张贴', ['market'], perOccurrence(1, 3)],
  ['3.1.1-6', '市场内划行归市，摊位整齐', ['market'], passFail(2)],
  // 4.1.1 问卷调查
  ['4.1.1-1', '市民对创建全国文明城市的知晓率、支持率不低于90%', [], passFail(5), ['questionnaire']],
  ['4.1.1-2', '市民对社会主义核心价值观基本内容的知晓率不低于90%', [], passFail(5), ['questionnaire']],
  ['4.1.1-3', '居民对所在社区环境卫生、公共秩序的满意率不低于85%', [], passFail(5), ['questionnaire']],
  // 4.2.1 材料审核 (and one field item at the community centre)
  ['4.2.1-1', '建立创城指挥体系，制定责任清单和任务分工', [], passFail(3), ['document']],
  ['4.2.1-2', '建立问题清单和整改台账，每个问题有整改前后照片和销号记录，缺1项扣0.5分', [], perOccurrence(0.5, 3, false), ['document']],
  ['4.2.1-3', '制定常态化考核督导办法，每月通报考核结果', [], passFail(3), ['document']],
  ['4.2.1-4', '新时代文明实践站每月开展志愿服务活动不少于4次，少1次扣1分', [], perMissing(4, 1, 4, '次'), ['document']],
  ['4.2.1-5', '党群服务中心（新时代文明实践站）公示服务项目和开放时间', ['community_center'], passFail(2)],
];

export const STANDARD_SEED_ITEMS: StandardItem[] = ROWS.map(([code, text, pointTypes, rule, methods], index) => ({
  code,
  text,
  methods: methods ?? ['field'],
  pointTypes,
  rule,
  sort: (index + 1) * 10,
}));
