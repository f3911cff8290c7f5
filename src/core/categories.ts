// Problem categories (问题类别), GB/T 30428 style: 事件 (events: disorder caused by people or nature) and 部件
// (components: public facilities broken or missing), each a tree of 大类 (major, 2-digit code) and 小类 (minor,
// 4-digit code = 大类 code + 2 digits). The seed list below is where a new installation starts; the campaign office
// edits it at run time. Pure: no I/O, shared by server and web.
import {
  MAX_TIME_LIMIT,
  TIME_LIMIT_UNITS,
  validateTimeLimit,
  type TimeLimit,
  type TimeLimitUnit,
} from './calendar/index.js';

export const CATEGORY_KINDS = ['event', 'component'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export const CATEGORY_KIND_LABELS: Record<CategoryKind, { zh: string; en: string }> = {
  event: { zh: '事件', en: 'Event' },
  component: { zh: '部件', en: 'Component' },
};

export type CategoryLevel = 'major' | 'minor';

export const CATEGORY_LEVEL_LABELS: Record<CategoryLevel, { zh: string; en: string }> = {
  major: { zh: '大类', en: 'Major class' },
  minor: { zh: '小类', en: 'Minor class' },
};

/** 大类 have 2 digits, 小类 4 (their 大类's code + 2 digits). Codes are one space across both kinds. */
export const CATEGORY_CODE_PATTERN = '^([0-9]{2}|[0-9]{4})$';

export function categoryLevel(code: string): CategoryLevel | null {
  if (/^\d{2}$/.test(code)) return 'major';
  if (/^\d{4}$/.test(code)) return 'minor';
  return null;
}

/** The 大类 code of a 小类 code; null for a 大类 code (or anything else). */
export function parentCodeOf(code: string): string | null {
  return categoryLevel(code) === 'minor' ? code.slice(0, 2) : null;
}

/** Why a code is unusable, or null. */
export function checkCategoryCode(code: string): string | null {
  const level = categoryLevel(code);
  if (!level) return 'a code has 2 digits (大类) or 4 digits (小类)';
  if (level === 'major' && code === '00') return 'a 大类 code cannot be 00';
  if (level === 'minor' && code.endsWith('00')) return 'the last two digits of a 小类 code cannot be 00';
  return null;
}

// ---- default responsible unit type (默认责任单位类型) ------------------------------------------------------------

/**
 * Who handles a category when the 责任清单 has no rule for the place, before the grid owner is asked:
 * - `community`: the community of the location (属地);
 * - `guard`: the point's 包保单位;
 * - `department:<name>` / `stationed_unit:<name>` / `property_company:<name>`: the org of that kind in the
 *   location's street whose name or short name contains `<name>` (e.g. `department:城管` finds 城管科).
 */
export const DEFAULT_UNIT_ORG_KINDS = ['department', 'stationed_unit', 'property_company'] as const;
export type DefaultUnitOrgKind = (typeof DEFAULT_UNIT_ORG_KINDS)[number];

export type ParsedDefaultUnit =
  | { type: 'community' }
  | { type: 'guard' }
  | { type: 'org'; orgKind: DefaultUnitOrgKind; name: string };

export const DEFAULT_UNIT_TYPE_MAX_LENGTH = 60;

export function parseDefaultUnitType(text: string | null | undefined): ParsedDefaultUnit | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (t === 'community') return { type: 'community' };
  if (t === 'guard') return { type: 'guard' };
  const m = /^([a-z_]+):(.+)$/.exec(t);
  if (!m) return null;
  const kind = m[1] as DefaultUnitOrgKind;
  const name = m[2].trim();
  if (!DEFAULT_UNIT_ORG_KINDS.includes(kind) || !name || name.includes(':')) return null;
  return { type: 'org', orgKind: kind, name };
}

/** Why a default unit type is unusable, or null (null and '' mean "none": the grid owner decides). */
export function checkDefaultUnitType(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text === '') return null;
  if (text.length > DEFAULT_UNIT_TYPE_MAX_LENGTH) return `at most ${DEFAULT_UNIT_TYPE_MAX_LENGTH} characters`;
  if (!parseDefaultUnitType(text)) {
    return "use 'community', 'guard', or 'department:<name>', 'stationed_unit:<name>', 'property_company:<name>'";
  }
  return null;
}

const DEFAULT_UNIT_KIND_LABELS: Record<DefaultUnitOrgKind, { zh: string; en: string }> = {
  department: { zh: '街道部门', en: 'department' },
  stationed_unit: { zh: '驻地单位', en: 'stationed unit' },
  property_company: { zh: '物业公司', en: 'property company' },
};

export function describeDefaultUnitType(text: string | null | undefined, lang: 'zh-CN' | 'en-US' = 'zh-CN'): string {
  const zh = lang === 'zh-CN';
  const parsed = parseDefaultUnitType(text);
  if (!parsed) return zh ? '网格属地社区（兜底）' : 'grid owner (fallback)';
  if (parsed.type === 'community') return zh ? '属地社区' : 'community of the location';
  if (parsed.type === 'guard') return zh ? '点位包保单位' : "the point's guard unit";
  const kind = DEFAULT_UNIT_KIND_LABELS[parsed.orgKind];
  return zh ? `${kind.zh}：${parsed.name}` : `${kind.en} "${parsed.name}"`;
}

// ---- time limits -----------------------------------------------------------------------------------------------

/** "4 个工作时", "1 个工作日", "6 小时（全天候）" / "4 work hours", "6 hours round the clock". */
export function formatTimeLimit(limit: TimeLimit | null | undefined, lang: 'zh-CN' | 'en-US' = 'zh-CN'): string {
  if (!limit) return lang === 'zh-CN' ? '未设定' : 'not set';
  const v = Number.isInteger(limit.value) ? String(limit.value) : String(Number(limit.value.toFixed(2)));
  if (lang === 'zh-CN') {
    switch (limit.unit) {
      case 'work_hours':
        return `${v} 个工作时`;
      case 'work_days':
        return `${v} 个工作日`;
      case 'clock_hours':
        return `${v} 小时（全天候）`;
    }
  }
  const one = limit.value === 1;
  switch (limit.unit) {
    case 'work_hours':
      return `${v} work hour${one ? '' : 's'}`;
    case 'work_days':
      return `${v} work day${one ? '' : 's'}`;
    case 'clock_hours':
      return `${v} hour${one ? '' : 's'} round the clock`;
  }
}

export { TIME_LIMIT_UNITS, MAX_TIME_LIMIT, type TimeLimit, type TimeLimitUnit };

// ---- whole-category checks (shared by the API and the spreadsheet import) -------------------------------------

export interface CategoryDraft {
  kind: CategoryKind;
  code: string;
  nameZh: string;
  timeLimit: TimeLimit | null;
  urgent: boolean;
  defaultUnitType: string | null;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * Rules that need no database: code shape, a 小类 must carry a time limit, an urgent category counts round the
 * clock, the default unit type parses. The parent's existence and kind are checked by the caller.
 */
export function checkCategoryDraft(d: CategoryDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const codeProblem = checkCategoryCode(d.code);
  if (codeProblem) problems.push({ field: 'code', reason: codeProblem });
  if (!d.nameZh.trim()) problems.push({ field: 'nameZh', reason: 'is required' });
  if (d.timeLimit) {
    const limitProblem = validateTimeLimit(d.timeLimit);
    if (limitProblem) {
      problems.push({ field: TIME_LIMIT_UNITS.includes(d.timeLimit.unit) ? 'timeLimit.value' : 'timeLimit.unit', reason: limitProblem });
    }
  } else if (categoryLevel(d.code) === 'minor') {
    problems.push({ field: 'timeLimit', reason: 'a 小类 needs a time limit (处置时限)' });
  }
  if (d.urgent && d.timeLimit && d.timeLimit.unit !== 'clock_hours') {
    problems.push({ field: 'timeLimit.unit', reason: 'an urgent category counts round the clock: use clock_hours' });
  }
  if (d.urgent && !d.timeLimit) problems.push({ field: 'timeLimit', reason: 'an urgent category needs a round-the-clock time limit' });
  const unitProblem = checkDefaultUnitType(d.defaultUnitType);
  if (unitProblem) problems.push({ field: 'defaultUnitType', reason: unitProblem });
  return problems;
}

/** The limit a case of this category gets: its own, else its 大类's. */
export function effectiveTimeLimit(own: TimeLimit | null, parent: TimeLimit | null | undefined): TimeLimit | null {
  return own ?? parent ?? null;
}

// ---- seed ------------------------------------------------------------------------------------------------------

export interface CategorySeed {
  kind: CategoryKind;
  code: string;
  zh: string;
  en: string;
  /** 立案条件 */
  filing: string;
  /** 结案条件 */
  closing: string;
  limit?: TimeLimit;
  urgent?: boolean;
  defaultUnit?: string;
  /** Offered to citizens (随手拍, Open311 services); defaults to true for 小类. */
  citizen?: boolean;
}

const wh = (value: number): TimeLimit => ({ unit: 'work_hours', value });
const wd = (value: number): TimeLimit => ({ unit: 'work_days', value });
const ch = (value: number): TimeLimit => ({ unit: 'clock_hours', value });

const MAJOR_FILING = '符合本大类下各小类的立案条件';
const MAJOR_CLOSING = '符合本大类下各小类的结案条件';
const major = (kind: CategoryKind, code: string, zh: string, en: string): CategorySeed => ({
  kind,
  code,
  zh,
  en,
  filing: MAJOR_FILING,
  closing: MAJOR_CLOSING,
  citizen: false,
});

/**
 * The seed list of domain.md. 部件 大类 keep the GB/T 30428.2 numbers 01–06; 事件 大类 are numbered from 11 so
 * both kinds share one code space and `categoryCode` alone names a category (cases, Open311 service codes,
 * imports). Local practice, not the standard: every row is editable.
 */
export const CATEGORY_SEED: readonly CategorySeed[] = [
  // ---- 部件 (components) ----
  major('component', '01', '公用设施', 'Public utilities'),
  { kind: 'component', code: '0101', zh: '井盖缺损', en: 'Missing or damaged manhole cover', filing: '井盖丢失、破损、移位或明显凹凸不平，存在安全隐患', closing: '井盖已补齐或更换，安放平稳，周边安全隐患消除', limit: ch(6), urgent: true, defaultUnit: 'department:城管' },
  { kind: 'component', code: '0102', zh: '路灯不亮', en: 'Street light out', filing: '路灯在亮灯时段不亮、闪烁，或灯杆灯具破损', closing: '路灯恢复正常照明，灯杆灯具完好', limit: wd(2), defaultUnit: 'department:城管' },
  { kind: 'component', code: '0103', zh: '消防设施缺损', en: 'Fire equipment missing or damaged', filing: '小区、楼道、公共场所的消火栓、灭火器缺失、损坏或过期', closing: '消防设施补齐或修复，且在有效期内', limit: wd(3), defaultUnit: 'guard' },
  { kind: 'component', code: '0104', zh: '分类垃圾桶缺损', en: 'Sorting bins missing or damaged', filing: '垃圾分类收集容器缺失、破损、标识不清或未按分类设置', closing: '分类收集容器配齐、完好，标识清晰', limit: wd(2), defaultUnit: 'department:环卫' },
  major('component', '02', '道路交通', 'Roads and traffic'),
  { kind: 'component', code: '0201', zh: '道路破损', en: 'Damaged road or pavement', filing: '车行道、人行道出现坑洼、破损、塌陷或铺装松动', closing: '路面修复平整，无坑洼、无积水', limit: wd(5), defaultUnit: 'department:城管' },
  { kind: 'component', code: '0202', zh: '盲道缺损', en: 'Damaged tactile paving', filing: '盲道砖缺失、破损、中断，或缘石坡道损坏', closing: '盲道连续完好，缘石坡道可正常通行', limit: wd(5), defaultUnit: 'department:城管' },
  { kind: 'component', code: '0203', zh: '交通标志标线缺损', en: 'Traffic signs or markings missing', filing: '交通标志牌、斑马线、停车泊位线缺失、破损或模糊不清', closing: '标志标线补齐，清晰完好', limit: wd(5), defaultUnit: 'department:城管' },
  major('component', '03', '市容环境', 'Townscape'),
  { kind: 'component', code: '0301', zh: '公益广告缺失/破损', en: 'Public-service ads missing or damaged', filing: '点位公益广告数量不达标（如主次干道每 200 米少于 1 处），或画面破损、褪色、内容过期', closing: '公益广告按测评标准补齐，画面完好，内容为当期主题', limit: wd(3), defaultUnit: 'guard', citizen: false },
  { kind: 'component', code: '0302', zh: '果皮箱缺损', en: 'Litter bins missing or damaged', filing: '果皮箱、垃圾箱缺失、破损或严重污损', closing: '果皮箱补齐，完好洁净', limit: wd(2), defaultUnit: 'department:环卫' },
  { kind: 'component', code: '0303', zh: '公厕设施损坏', en: 'Public toilet out of order', filing: '室外公共厕所设施损坏、无法使用或有明显异味', closing: '设施修复可正常使用，保洁到位、无异味', limit: wd(1), defaultUnit: 'department:环卫' },
  major('component', '04', '园林绿化', 'Landscaping'),
  { kind: 'component', code: '0401', zh: '绿地毁损', en: 'Damaged green space', filing: '绿地植被被踩踏毁坏、黄土裸露，或被占用种菜', closing: '补植复绿，无黄土裸露、无种菜', limit: wd(10), defaultUnit: 'guard' },
  { kind: 'component', code: '0402', zh: '行道树缺株', en: 'Street trees missing or dead', filing: '行道树缺株、死亡，或树池破损', closing: '补植完成，树池完好', limit: wd(10), defaultUnit: 'department:城管' },
  major('component', '05', '房屋土地', 'Buildings and land'),
  { kind: 'component', code: '0501', zh: '建筑外立面破损', en: 'Damaged building facade', filing: '沿街建筑外立面、墙体破损、脱落或严重污损', closing: '外立面修复整洁，无脱落隐患', limit: wd(10), defaultUnit: 'guard' },
  { kind: 'component', code: '0502', zh: '楼道照明损坏', en: 'Stairwell lighting broken', filing: '居民楼楼道灯不亮或损坏', closing: '楼道照明恢复正常', limit: wd(2), defaultUnit: 'guard' },
  major('component', '06', '其他', 'Other'),
  { kind: 'component', code: '0601', zh: '宣传栏损坏', en: 'Notice board damaged', filing: '社区宣传栏、公示栏破损，或内容过期未更新', closing: '宣传栏修复，内容更新为当期', limit: wd(3), defaultUnit: 'community' },
  { kind: 'component', code: '0699', zh: '其他部件问题', en: 'Other facility problem', filing: '不属于以上小类的公共设施缺失或损坏', closing: '设施修复或补齐，恢复正常使用', limit: wd(5) },

  // ---- 事件 (events) ----
  major('event', '11', '市容环境', 'Townscape and sanitation'),
  { kind: 'event', code: '1101', zh: '暴露垃圾', en: 'Exposed garbage', filing: '道路、小区、绿地等公共区域有生活垃圾、包装物散落或堆放，未及时清运', closing: '垃圾清理干净，现场无残留、无异味', limit: wh(4), defaultUnit: 'community' },
  { kind: 'event', code: '1102', zh: '积存垃圾渣土', en: 'Accumulated garbage or muck', filing: '垃圾、建筑渣土积存成堆（约 1 立方米以上）或长期未清运', closing: '积存物全部清运，场地平整洁净', limit: wd(1), defaultUnit: 'community' },
  { kind: 'event', code: '1103', zh: '道路不洁', en: 'Dirty road', filing: '道路、人行道有明显污渍、油渍、积尘或散落物，保洁不到位', closing: '路面清扫冲洗干净，无污渍、无散落物', limit: wh(2), defaultUnit: 'department:环卫' },
  { kind: 'event', code: '1104', zh: '绿地脏乱', en: 'Littered green space', filing: '绿地、花坛内有垃圾、杂物或枯枝落叶堆积', closing: '绿地内垃圾杂物清理干净', limit: wh(4), defaultUnit: 'community' },
  { kind: 'event', code: '1105', zh: '违法搭建（制止）', en: 'Illegal construction (stop)', filing: '发现正在进行的违法搭建、私搭乱建行为', closing: '违建行为已制止、停止施工，并已登记移交拆除', limit: wh(4), defaultUnit: 'department:执法' },
  { kind: 'event', code: '1106', zh: '违法搭建（拆除）', en: 'Illegal construction (removal)', filing: '已制止的违法建筑经认定需要拆除', closing: '违法建筑已拆除，现场清理完毕', limit: wd(20), defaultUnit: 'department:执法', citizen: false },
  { kind: 'event', code: '1107', zh: '乱堆物料', en: 'Materials piled in public', filing: '在道路、人行道、绿地等公共区域乱堆乱放物料、杂物', closing: '物料清理或规范堆放，恢复通行和整洁', limit: wd(1), defaultUnit: 'community' },
  { kind: 'event', code: '1108', zh: '沿街晾挂', en: 'Laundry hung along the street', filing: '在沿街门窗、护栏、树木、电线上晾晒衣物被褥等', closing: '晾挂物已收回，无沿街晾挂', limit: wh(2), defaultUnit: 'community' },
  { kind: 'event', code: '1109', zh: '飞线充电', en: 'Flying charging leads', filing: '从楼道、窗户私拉电线为电动车充电，或电动车在楼道、室内充电', closing: '飞线拆除，电动车移至集中充电设施', limit: wh(4), defaultUnit: 'guard' },
  { kind: 'event', code: '1110', zh: '楼道堆物', en: 'Stairwell clutter', filing: '楼道、消防通道堆放杂物或停放电动车，影响通行和消防安全', closing: '楼道杂物清理，消防通道畅通', limit: wd(1), defaultUnit: 'guard' },
  major('event', '12', '宣传广告', 'Advertising'),
  { kind: 'event', code: '1201', zh: '街头张贴小广告', en: 'Illegal small ads posted', filing: '在墙面、电杆、设施上张贴、喷涂、刻画小广告或乱涂写', closing: '小广告清除干净，无残留痕迹', limit: wd(1), defaultUnit: 'community' },
  { kind: 'event', code: '1202', zh: '散发小广告', en: 'Handing out flyers', filing: '在街头、路口、小区散发或在车辆上夹塞小广告', closing: '散发行为已制止，散落传单清理干净', limit: wh(2), defaultUnit: 'department:城管' },
  { kind: 'event', code: '1203', zh: '未经批准设置广告牌', en: 'Unapproved billboard', filing: '未经审批设置户外广告牌、招牌、条幅或灯箱', closing: '违规广告设施已拆除，或已补办审批手续', limit: wd(5), defaultUnit: 'department:城管' },
  major('event', '13', '施工管理', 'Construction'),
  { kind: 'event', code: '1301', zh: '施工围挡不规范', en: 'Hoarding not up to standard', filing: '工地围挡破损、不连续，或公益广告少于围挡面积的 30%', closing: '围挡修复连续，公益广告比例达标', limit: wd(3), defaultUnit: 'guard' },
  { kind: 'event', code: '1302', zh: '施工扬尘', en: 'Construction dust', filing: '工地未落实覆盖、洒水等降尘措施，产生明显扬尘', closing: '裸土覆盖、洒水降尘到位，无明显扬尘', limit: wh(4), defaultUnit: 'department:城管' },
  { kind: 'event', code: '1303', zh: '道路遗撒', en: 'Spillage from trucks', filing: '渣土车、运输车辆沿途遗撒泥土、渣土或污水', closing: '遗撒物清理干净，责任车辆已查处', limit: wh(2), defaultUnit: 'department:城管' },
  major('event', '14', '街面秩序', 'Street order'),
  { kind: 'event', code: '1401', zh: '机动车乱停放', en: 'Disorderly car parking', filing: '机动车在人行道、盲道、绿地、消防通道或禁停区域停放，或未按泊位停放', closing: '车辆已驶离或规范停放，现场秩序恢复', limit: wh(2), defaultUnit: 'department:城管' },
  { kind: 'event', code: '1402', zh: '非机动车乱停放', en: 'Disorderly bicycle parking', filing: '非机动车、共享单车未在划定区域停放，占用盲道、人行道或出入口', closing: '车辆摆放整齐，停放在划定区域', limit: wh(2), defaultUnit: 'community' },
  { kind: 'event', code: '1403', zh: '无照游商', en: 'Unlicensed street vendors', filing: '流动摊贩无照占道经营、沿街叫卖', closing: '游商已劝离或引导入市，现场无遗留垃圾', limit: wh(2), defaultUnit: 'department:城管' },
  { kind: 'event', code: '1404', zh: '店外经营/占道经营', en: 'Trading outside the shop', filing: '门店超出门窗外墙经营、摆放商品，或占用道路、人行道设摊经营', closing: '商品撤回店内，占道经营已清理', limit: wh(2), defaultUnit: 'department:城管' },
  { kind: 'event', code: '1405', zh: '露天烧烤', en: 'Open-air barbecue', filing: '在露天或室外公共场所烧烤经营，产生油烟污染', closing: '露天烧烤已取缔，设备撤离，地面清洁', limit: wh(2), defaultUnit: 'department:城管' },
  { kind: 'event', code: '1406', zh: '盲道占用', en: 'Tactile paving blocked', filing: '车辆、摊点、物品等占用盲道，导致盲道中断', closing: '占用物已清除，盲道畅通', limit: wh(2), defaultUnit: 'department:城管' },
  { kind: 'event', code: '1407', zh: '不文明养犬', en: 'Uncivil dog keeping', filing: '遛狗不牵绳、不及时清理犬只粪便，或携犬进入禁入场所', closing: '已对养犬人劝导教育，粪便已清理', limit: wh(4), defaultUnit: 'community' },
  major('event', '15', '突发事件', 'Emergencies'),
  { kind: 'event', code: '1501', zh: '道路积水', en: 'Flooded road', filing: '降雨后道路、下穿通道积水，影响通行', closing: '积水排除，道路恢复通行', limit: ch(4), urgent: true, defaultUnit: 'department:城管' },
  { kind: 'event', code: '1502', zh: '树木倒伏', en: 'Fallen tree', filing: '树木倒伏、断枝，阻碍交通或存在安全隐患', closing: '倒伏树木、断枝清理完毕，隐患消除', limit: ch(4), urgent: true, defaultUnit: 'department:城管' },
];
