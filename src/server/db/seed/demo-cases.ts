// Three months of case history for the demo street, so every screen has something true to show: problems from
// every source, filed, dispatched, returned, extended, hung, reworked, closed late or on time, merged and rebounding.
//
// The history is simulated, not drawn at random row by row. Problems arrive day by day in time order; each is taken
// in exactly as intake.ts would take it (grid, point match, 责任清单 routing, duplicates offered, rebounds linked),
// then walked through its life with the pure state machine (`planTransition`) applying the same effects as
// transitions.ts, with deadlines from the work calendar. A life is cut at `now`: whatever has not happened yet is
// still open. The deadline job is modelled too (overdue, reminder and escalation levels as if it had run all along),
// so its first real run does not send three months of reminders at once. Rows are then written in bulk, in one
// transaction with the demo street.
// After-photos cannot be real files, so there are none: feedback events carry their measures text only.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { CaseEventRow, CaseRow, ReboundSpotTable } from '../schema.js';
import type { Role } from '../../../core/roles.js';
import { OPEN_STATES, planTransition, type CaseAction, type CaseMark, type CaseState, type TransitionInput } from '../../../core/cases/index.js';
import {
  beijingDate,
  computeDeadline,
  elapsedFraction,
  isWorkingTime,
  nextWorkingInstant,
  workTimeBetween,
  type TimeLimit,
  type TimeLimitUnit,
  type WorkCalendar,
} from '../../../core/calendar/index.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, beijingDayNumber, beijingDayStartMs } from '../../../core/calendar/beijing-time.js';
import { resolveRouting, type RoutingLocation, type RoutingRule, type RoutingScopeType } from '../../../core/routing.js';
import { parseDefaultUnitType } from '../../../core/categories.js';
import { distanceToGeometryMeters, geometryBbox, haversineMeters, pointInArea, type BBox, type Geometry } from '../../../core/geo/index.js';
import { assign, buildGridIndex } from '../../modules/places/grid-cache.js';
import { findCategoryByCode, type CategoryForCase } from '../../modules/categories/service.js';
import { routingRepo } from '../../modules/routing/repo.js';
import { caseNumber, type CaseSource } from '../../modules/cases/intake.js';
import { boxAround } from '../../modules/cases/geo.js';
import { loopSettings, type LoopSettings } from '../../modules/cases/settings.js';
import { workCalendar } from '../../modules/cases/calendar.js';
import { isPostgres } from '../database.js';
import { seedBaseline } from './baseline.js';
import { createRng, type Rng } from '../../../core/prng.js';
import { randomMobile, randomPersonName, STREET_SHORT_NAME } from './demo-names.js';
import { FRESH_CASE, forgetCaseCounts } from '../../modules/cases/repo.js';

export const DEMO_CASES_SEED = 20221209;
/** About three months ending at the load time. */
export const DEMO_HISTORY_DAYS = 91;

export type ReboundSpotRow = Selectable<ReboundSpotTable>;

// ---------------------------------------------------------------------------------------------------------------
// The world the history happens in: what is in the database, read once.

export interface WorldOrg {
  id: number;
  parentId: number | null;
  kind: string;
  name: string;
  shortName: string | null;
  path: string;
  active: boolean;
  sort: number;
}

export interface WorldUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  orgId: number;
  orgName: string;
  orgPath: string;
}

export interface WorldPoint {
  id: number;
  name: string;
  typeCode: string;
  geometry: Geometry;
  bbox: BBox;
  lng: number;
  lat: number;
  gridId: number;
  microGridId: number | null;
  communityId: number;
  streetId: number;
  guardOrgId: number | null;
  address: string | null;
  attrs: Record<string, unknown>;
}

export interface WorldPlace {
  gridId: number;
  microGridId: number | null;
  communityId: number;
  streetId: number;
  gridPath: string;
}

interface WorldRule extends RoutingRule {
  categoryId: number | null;
}

export interface DemoCaseWorld {
  street: WorldOrg;
  orgs: ReadonlyMap<number, WorldOrg>;
  users: readonly WorldUser[];
  /** Active points of the street, by id. */
  points: readonly WorldPoint[];
  categories: ReadonlyMap<string, CategoryForCase>;
  rules: readonly WorldRule[];
  /** The org a category's `department:…`-style default unit type names in this street. */
  defaultUnits: ReadonlyMap<string, number | null>;
  locate(lng: number, lat: number): WorldPlace | null;
  calendar: WorkCalendar;
  settings: LoopSettings;
  firstIds: { caseId: number; eventId: number; spotId: number };
}

const parseJson = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** Reads the street (the first one, or `streetId`) as the simulation needs it; null when there is nothing to simulate in. */
export async function loadDemoCaseWorld(db: Executor, streetId?: number): Promise<DemoCaseWorld | null> {
  let streetQuery = db.selectFrom('orgs').select(['id', 'parent_id', 'kind', 'name', 'short_name', 'path', 'active', 'sort']).where('kind', '=', 'street');
  if (streetId !== undefined) streetQuery = streetQuery.where('id', '=', streetId);
  const streetRow = await streetQuery.orderBy('id').executeTakeFirst();
  if (!streetRow) return null;
  const orgRows = await db
    .selectFrom('orgs')
    .select(['id', 'parent_id', 'kind', 'name', 'short_name', 'path', 'active', 'sort'])
    .where('path', 'like', `${streetRow.path}%`)
    .orderBy('id')
    .execute();
  const toOrg = (o: typeof streetRow): WorldOrg => ({ id: o.id, parentId: o.parent_id, kind: o.kind, name: o.name, shortName: o.short_name, path: o.path, active: o.active === 1, sort: o.sort });
  const orgs = new Map(orgRows.map((o) => [o.id, toOrg(o)]));
  const userRows = await db
    .selectFrom('users as u')
    .innerJoin('orgs as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.org_id', 'o.name as org_name', 'o.path as org_path'])
    .where('u.active', '=', 1)
    .where('o.path', 'like', `${streetRow.path}%`)
    .orderBy('u.id')
    .execute();
  const users: WorldUser[] = userRows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, orgId: u.org_id, orgName: u.org_name, orgPath: u.org_path }));
  const pointRows = await db
    .selectFrom('points')
    .select(['id', 'name', 'type_code', 'geometry', 'lat', 'lng', 'grid_id', 'micro_grid_id', 'community_id', 'street_id', 'guard_org_id', 'address', 'attrs'])
    .where('street_id', '=', streetRow.id)
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
  const points: WorldPoint[] = pointRows.map((p) => {
    const geometry = JSON.parse(p.geometry) as Geometry;
    return {
      id: p.id,
      name: p.name,
      typeCode: p.type_code,
      geometry,
      bbox: geometryBbox(geometry),
      lng: p.lng,
      lat: p.lat,
      gridId: p.grid_id,
      microGridId: p.micro_grid_id,
      communityId: p.community_id,
      streetId: p.street_id,
      guardOrgId: p.guard_org_id,
      address: p.address,
      attrs: parseJson<Record<string, unknown>>(p.attrs, {}),
    };
  });
  if (!points.length || !users.length) return null;

  const categories = new Map<string, CategoryForCase>();
  const defaultUnits = new Map<string, number | null>();
  for (const script of CATEGORY_SCRIPTS) {
    const category = await findCategoryByCode(db, script.code);
    if (!category || !category.active || !category.parentId || !category.timeLimit) continue;
    categories.set(script.code, category);
    const parsed = parseDefaultUnitType(category.defaultUnitType);
    defaultUnits.set(
      script.code,
      parsed?.type === 'org' ? ((await routingRepo.findUnitByName(db, streetRow.path, parsed.orgKind, parsed.name))?.id ?? null) : null,
    );
  }
  const ruleRows = await routingRepo.activeRules(db);
  const rules: WorldRule[] = ruleRows.map((r) => ({
    id: r.id,
    categoryId: r.category_id,
    categoryCode: r.category_code,
    scopeType: r.scope_type as RoutingScopeType,
    pointId: r.point_id,
    pointTypeCode: r.point_type_code,
    orgId: r.scope_org_id,
    unitOrgId: r.unit_org_id,
  }));

  const index = await buildGridIndex(db);
  const locate = (lng: number, lat: number): WorldPlace | null => {
    const at = assign(index, lng, lat);
    if (!at) return null;
    return { gridId: at.grid.id, microGridId: at.microGrid?.id ?? null, communityId: at.grid.community.id, streetId: at.grid.street.id, gridPath: at.grid.path };
  };
  const maxId = async (table: 'cases' | 'case_events' | 'rebound_spots') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  return {
    street: toOrg(streetRow),
    orgs,
    users,
    points,
    categories,
    rules,
    defaultUnits,
    locate,
    calendar: await workCalendar(db),
    settings: await loopSettings(db),
    firstIds: { caseId: (await maxId('cases')) + 1, eventId: (await maxId('case_events')) + 1, spotId: (await maxId('rebound_spots')) + 1 },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What problems look like: categories with the places they happen at and the words people use.

interface CategoryScript {
  code: string;
  /** Relative frequency among the street's own finds (patrol, office). */
  weight: number;
  /** Point types where it happens, with weights. */
  anchors: Record<string, number>;
  /** Descriptions: {where} a spot at the point, {place} the point's name, {n} {m} {k} {b} {f} small numbers. */
  problems: readonly string[];
  /** 整改措施 written by the unit on feedback. */
  measures: readonly string[];
  /** Why a 核查 fails (返工). */
  failReasons: readonly string[];
  /** Why a unit asks for more time (延期). */
  extensionReasons?: readonly string[];
  /** Why it is put on the backlog (挂账); categories without it are not hung. */
  hangReasons?: readonly string[];
}

const CATEGORY_SCRIPTS: readonly CategoryScript[] = [
  {
    code: '1401', // 机动车乱停放
    weight: 16,
    anchors: { main_road: 4, commercial_street: 3, market: 3, intersection: 1, hospital: 1.5, school_area: 1, mall: 1.5, residential: 1, old_residential: 1 },
    problems: [
      '{where}人行道上停放{n}辆机动车，占用盲道，行人只能绕行机动车道',
      '{where}有{n}辆私家车压线斜停，未按泊位停放',
      '{where}消防通道被{m}辆私家车占用，影响消防车通行',
      '{where}机动车在禁停区域停放，早晚高峰造成拥堵',
      '{where}{n}辆机动车停在人行道上，堵塞出入口',
      '{where}出租车、网约车随意停靠揽客，占用非机动车道',
    ],
    measures: [
      '已联系车主将车辆驶离，对{m}辆违停车辆张贴温馨提示单，早晚高峰安排专人值守',
      '会同交警中队现场劝离违停车辆，在人行道入口增设隔离桩{n}个',
      '车辆已全部驶离，重新施划停车泊位并设置“禁止停车”提示牌',
      '已通知物业加强巡查，消防通道两侧施划黄色禁停网格线，占道车辆已挪走',
    ],
    failReasons: ['核查时现场仍有{m}辆车停放在人行道上', '隔离桩未安装到位，车辆仍可驶上人行道'],
    extensionReasons: ['需协调交警部门联合执法并增设隔离设施', '需施划停车泊位，等待交警部门审批'],
    hangReasons: ['该片区停车位严重不足，需结合片区停车场建设统筹解决'],
  },
  {
    code: '1402', // 非机动车乱停放
    weight: 9,
    anchors: { bus_stop: 2, commercial_street: 2, market: 2, mall: 2, main_road: 2, school_area: 1, service_window: 1, hospital: 1 },
    problems: [
      '{where}人行道上{n}辆电动车乱停放，占用盲道',
      '{where}共享单车堆放{k}余辆，堵塞人行道',
      '{where}电动车、自行车停放杂乱，未停入划定区域',
      '{where}出入口被电动车堵塞，行人通行困难',
    ],
    measures: [
      '已将电动车、自行车摆放整齐，停入划定停放区域，并张贴文明停车提示',
      '已联系共享单车运维人员清运多余车辆{k}辆，重新施划停放线',
      '社区志愿者现场引导规范停放，增设非机动车停放指示牌',
    ],
    failReasons: ['核查时仍有车辆停放在盲道上', '停放区域仍然杂乱，未按线摆放'],
  },
  {
    code: '1101', // 暴露垃圾
    weight: 12,
    anchors: { back_street: 4, old_residential: 3, market: 2, urban_fringe: 2, residential: 1, park_square: 1, small_shop: 1 },
    problems: [
      '{where}有一堆生活垃圾未及时清运，有异味',
      '{where}垃圾桶满溢，周边散落塑料袋和包装物',
      '{where}绿化带内有人倾倒生活垃圾',
      '{where}路边堆放装修垃圾和生活垃圾，约{m}立方米',
      '{where}垃圾投放点周边脏乱，地面散落垃圾',
    ],
    measures: [
      '已安排保洁人员清理垃圾并冲洗地面，增加垃圾清运频次',
      '垃圾已全部清运，现场无残留、无异味，已在醒目位置张贴“禁止乱倒垃圾”提示',
      '联系环卫所清运车辆清运，周边设置监控提示牌，网格员加强巡查',
    ],
    failReasons: ['地面仍有残留垃圾和污渍', '垃圾桶周边仍有散落垃圾未清理'],
  },
  {
    code: '1103', // 道路不洁
    weight: 8,
    anchors: { main_road: 3, back_street: 3, commercial_street: 2, market: 1 },
    problems: ['{where}路面有大片油污，清扫不到位', '{where}人行道积尘较多，散落烟头、纸屑', '{where}路沿石边积存泥沙、落叶', '{where}路面有渣土遗撒痕迹，未及时冲洗'],
    measures: ['已安排机扫车和人工清扫，路面冲洗干净', '保洁员重新清扫，路沿石边积土清理完毕，增加保洁频次', '油污已用清洗剂处理，路面恢复整洁'],
    failReasons: ['路面油污未彻底清除', '路沿石边仍有积土'],
  },
  {
    code: '1201', // 街头张贴小广告
    weight: 12,
    anchors: { old_residential: 3, back_street: 3, bus_stop: 2, residential: 2, main_road: 1, public_toilet: 1 },
    problems: [
      '{where}墙面张贴大量开锁、通下水道小广告',
      '{where}电线杆上贴满办证、贷款小广告',
      '{where}单元门口和楼道墙面有喷涂的小广告',
      '{where}宣传栏周边张贴小广告{k}余张',
      '{where}公交站牌上粘贴小广告',
    ],
    measures: [
      '已组织人员清除小广告并对墙面进行粉刷覆盖',
      '小广告已铲除干净，对喷涂电话号码进行覆盖，并将号码报送城管部门处理',
      '清理小广告{k}张，设置便民信息张贴栏',
    ],
    failReasons: ['墙面仍有残胶和痕迹未清理干净', '楼道内仍有小广告未清除'],
  },
  {
    code: '1109', // 飞线充电
    weight: 6,
    anchors: { old_residential: 6, residential: 1, urban_fringe: 1 },
    problems: [
      '{place}{b}号楼有住户从{f}楼窗户私拉电线给电动车充电',
      '{place}{b}号楼楼道内有电动车充电，电线从住户家中拉出',
      '{place}飞线充电现象突出，{n}处电线横跨通道',
      '{place}车棚内私接插座给电动车充电，存在火灾隐患',
    ],
    measures: [
      '已拆除飞线{n}处，入户宣传电动车安全充电知识，引导居民到集中充电桩充电',
      '会同物业拆除私拉电线，楼道内电动车已清出，张贴禁止飞线充电告知书',
      '已拆除飞线，协调在小区内新增智能充电桩{n}组',
    ],
    failReasons: ['核查时{b}号楼仍有飞线', '拆除后又有住户私拉电线'],
    extensionReasons: ['需协调供电所增设集中充电设施', '涉及多户居民，需逐户做工作'],
    hangReasons: ['小区无集中充电设施，需纳入老旧小区改造计划统一建设'],
  },
  {
    code: '1404', // 店外经营/占道经营
    weight: 7,
    anchors: { market: 4, small_shop: 3, commercial_street: 3, back_street: 1 },
    problems: ['{where}商户将货架摆到门外人行道上经营', '{where}有{n}个摊点占道经营，影响通行', '{where}饭店门前占道摆放桌椅经营', '{where}水果摊、菜摊越门经营，占用人行道'],
    measures: ['已劝导商户将商品撤回店内，签订门前五包责任书', '占道摊点已清理，引导摊贩进入市场内经营', '桌椅已收回店内，对商户进行教育并登记在案'],
    failReasons: ['核查时仍有商户在门外摆放货架', '摊点清理后又回到原处经营'],
    hangReasons: ['市场周边缺少疏导点，需规划便民摊点区后统一解决'],
  },
  {
    code: '1407', // 不文明养犬
    weight: 4,
    anchors: { residential: 3, park_square: 3, old_residential: 2 },
    problems: ['{where}有人遛狗不牵绳，吓到老人和孩子', '{where}草坪上犬只粪便较多，无人清理', '{where}遛狗不拴绳，大型犬在健身区追逐'],
    measures: ['已对养犬人进行劝导教育，粪便已清理，在小区内张贴文明养犬倡议书', '社区联合派出所开展文明养犬宣传，设置犬只粪便收集箱'],
    failReasons: ['草坪上仍有犬只粪便未清理'],
  },
  {
    code: '1102', // 积存垃圾渣土
    weight: 2,
    anchors: { urban_fringe: 3, old_residential: 1, construction_site: 2 },
    problems: ['{where}空地上积存建筑垃圾约{k}立方米，长期未清运', '{where}堆放大量渣土，未苫盖'],
    measures: ['已调派车辆将渣土全部清运，场地平整', '积存垃圾已清运{n}车，场地已覆盖防尘网'],
    failReasons: ['仍有部分渣土未清运'],
    extensionReasons: ['渣土量大，需联系渣土运输车辆分批清运'],
    hangReasons: ['渣土堆放地块权属不清，需区级部门协调清运'],
  },
  {
    code: '1104', // 绿地脏乱
    weight: 2,
    anchors: { park_square: 3, residential: 1, main_road: 1 },
    problems: ['{where}绿地内塑料袋、饮料瓶等垃圾较多', '{where}花坛内堆积枯枝落叶'],
    measures: ['已安排人员清理绿地内垃圾及枯枝落叶'],
    failReasons: ['绿地深处仍有垃圾'],
  },
  {
    code: '1107', // 乱堆物料
    weight: 2,
    anchors: { back_street: 2, old_residential: 2, small_shop: 1 },
    problems: ['{where}路边乱堆砖块、沙子等建材', '{where}商户在门前堆放纸箱等杂物'],
    measures: ['物料已清理，通道恢复畅通', '已督促商户将杂物清回店内'],
    failReasons: ['现场仍有部分建材未清理'],
  },
  {
    code: '1108', // 沿街晾挂
    weight: 1.5,
    anchors: { old_residential: 2, back_street: 2 },
    problems: ['{where}沿街护栏上晾晒被褥衣物', '{where}树木之间拉绳晾晒衣物'],
    measures: ['已劝导居民收回晾晒物品，引导到小区晾晒区晾晒'],
    failReasons: ['核查时仍有居民在护栏上晾晒'],
  },
  {
    code: '1110', // 楼道堆物
    weight: 2.5,
    anchors: { old_residential: 3, residential: 2 },
    problems: ['{place}{b}号楼楼道内堆放纸箱、旧家具等杂物', '{place}{b}号楼楼道内停放电动车，堵塞消防通道'],
    measures: ['会同物业清理楼道杂物{n}处，消防通道已畅通', '楼道内电动车已清出，张贴楼道禁止堆物提示'],
    failReasons: ['{b}号楼{f}楼楼道仍有杂物'],
    extensionReasons: ['涉及住户较多，需逐户通知清理'],
    hangReasons: ['杂物权属人长期外出无法联系，需走法律程序处理'],
  },
  {
    code: '1202', // 散发小广告
    weight: 1,
    anchors: { intersection: 2, commercial_street: 2, mall: 1 },
    problems: ['{where}有人向行人散发健身、培训传单', '{where}停放车辆上被夹塞小广告'],
    measures: ['已制止散发行为，清理散落传单'],
    failReasons: ['路面仍有散落传单'],
  },
  {
    code: '1403', // 无照游商
    weight: 2,
    anchors: { market: 2, school_area: 2, intersection: 1 },
    problems: ['{where}有流动摊贩推车叫卖水果', '{where}放学时段有{n}个流动摊点占道经营'],
    measures: ['已劝离流动摊贩，引导入市经营，现场已清理'],
    failReasons: ['核查时流动摊贩仍在原处经营'],
  },
  {
    code: '1405', // 露天烧烤
    weight: 1.2,
    anchors: { small_shop: 3, commercial_street: 2 },
    problems: ['{where}晚上有露天烧烤，油烟扰民', '{where}烧烤店在店外搭设烤炉经营'],
    measures: ['已取缔店外烧烤，烤炉撤回店内，督促安装油烟净化设施'],
    failReasons: ['夜间核查时店外仍有烤炉'],
  },
  {
    code: '1406', // 盲道占用
    weight: 1.5,
    anchors: { main_road: 3, commercial_street: 2 },
    problems: ['{where}盲道被车辆和杂物占用，盲道中断'],
    measures: ['占用盲道的车辆和杂物已清除，盲道恢复畅通'],
    failReasons: ['盲道上仍有杂物'],
  },
  {
    code: '1301', // 施工围挡不规范
    weight: 0.8,
    anchors: { construction_site: 1 },
    problems: ['{where}围挡破损、不连续，公益广告覆盖不足30%'],
    measures: ['已修复破损围挡，增设公益广告画面，覆盖率达到要求'],
    failReasons: ['北侧围挡仍未补齐公益广告'],
    extensionReasons: ['公益广告画面需重新设计制作'],
  },
  {
    code: '1302', // 施工扬尘
    weight: 0.8,
    anchors: { construction_site: 1 },
    problems: ['{where}裸土未覆盖，刮风时扬尘明显'],
    measures: ['裸露土方已全部覆盖防尘网，安排雾炮车洒水降尘'],
    failReasons: ['仍有部分裸土未覆盖'],
  },
  {
    code: '0301', // 公益广告缺失/破损
    weight: 2,
    anchors: { main_road: 2, market: 2, commercial_street: 1, construction_site: 1 },
    problems: ['{where}公益广告画面褪色破损，内容过期', '{where}公益广告数量不足，未达到每200米1处的要求', '{where}缺少社会主义核心价值观公益广告'],
    measures: ['已更换公益广告画面{n}处，内容更新为当期主题', '已按测评标准补齐公益广告{n}处'],
    failReasons: ['公益广告数量仍不达标'],
    extensionReasons: ['公益广告画面制作周期较长'],
  },
  {
    code: '0101', // 井盖缺损
    weight: 0.6,
    anchors: { main_road: 2, back_street: 2 },
    problems: ['{where}井盖破损下沉，存在安全隐患', '{where}雨水井盖丢失，仅用杂物遮挡'],
    measures: ['已更换新井盖并设置警示标志，周边路面修补平整'],
    failReasons: ['井盖仍有松动'],
  },
  {
    code: '0102', // 路灯不亮
    weight: 1,
    anchors: { back_street: 2, main_road: 1, residential: 1 },
    problems: ['{where}有{m}盏路灯晚上不亮', '{where}路灯闪烁，夜间照明不足'],
    measures: ['已更换灯具和线路，路灯恢复正常照明'],
    failReasons: ['夜间核查仍有{m}盏路灯不亮'],
    extensionReasons: ['需更换地下电缆，等待材料到货'],
  },
  {
    code: '0201', // 道路破损
    weight: 0.8,
    anchors: { back_street: 2, main_road: 1 },
    problems: ['{where}路面坑洼不平，雨后积水', '{where}人行道砖松动破损，行人容易绊倒'],
    measures: ['已对破损路面进行修补，人行道砖重新铺设'],
    failReasons: ['修补处仍有积水'],
    extensionReasons: ['需等待沥青材料，天气转好后施工'],
    hangReasons: ['该路段已列入明年道路改造计划，需统一维修'],
  },
  {
    code: '0202', // 盲道缺损
    weight: 0.8,
    anchors: { main_road: 2, commercial_street: 1 },
    problems: ['{where}盲道砖缺失破损，盲道中断'],
    measures: ['已补铺盲道砖，盲道连续完好'],
    failReasons: ['缘石坡道仍未修复'],
    extensionReasons: ['盲道砖需定制，等待到货'],
  },
  {
    code: '0104', // 分类垃圾桶缺损
    weight: 0.8,
    anchors: { residential: 2, old_residential: 2 },
    problems: ['{where}分类垃圾桶破损，缺少可回收物桶'],
    measures: ['已补齐分类垃圾桶并张贴分类标识'],
    failReasons: ['标识仍不清晰'],
  },
  {
    code: '0303', // 公厕设施损坏
    weight: 0.6,
    anchors: { public_toilet: 1 },
    problems: ['{where}冲水设施损坏，异味较大'],
    measures: ['已维修冲水设施，加强保洁，无异味'],
    failReasons: ['仍有异味'],
  },
  {
    code: '1105', // 违法搭建（制止）
    weight: 0.5,
    anchors: { old_residential: 2, residential: 1, urban_fringe: 2 },
    problems: ['{place}有住户在院内私搭彩钢房', '{where}有人在楼顶私自搭建'],
    measures: ['已下达停工通知，现场施工已停止，登记移交拆除'],
    failReasons: ['现场仍在施工'],
  },
];

const SCRIPT_BY_CODE = new Map(CATEGORY_SCRIPTS.map((s) => [s.code, s]));

/** Category weights by source; a missing code falls back to its base weight for patrol, office and citizen patrol. */
const SOURCE_WEIGHTS: Partial<Record<CaseSource, Record<string, number>>> = {
  supervision: { '1401': 14, '1402': 8, '1101': 10, '1103': 6, '1201': 12, '0301': 8, '1404': 8, '1109': 5, '1406': 4, '1107': 3, '1110': 3, '1301': 3, '1407': 2, '0202': 2, '1108': 2 },
  hotline: { '1401': 10, '1109': 8, '1407': 8, '1405': 6, '1101': 8, '0102': 6, '0101': 3, '1110': 5, '1302': 1.5, '1404': 5, '0201': 4, '1105': 3, '1402': 3 },
  media: { '1401': 3, '1101': 3, '1201': 2, '1109': 2, '1404': 2 },
  leader: { '1401': 3, '1101': 3, '1201': 2, '1109': 2, '1404': 2, '0301': 2 },
};

const SPOT_SUFFIXES: Record<string, readonly string[]> = {
  market: ['东门', '西门', '南门', '北门', '入口处', '东侧路边', '门前'],
  main_road: ['', '人行道', '非机动车道旁', '路边'],
  commercial_street: ['', '中段', '入口处', '北口'],
  back_street: ['中段', '北口', '南口', '东口', '西口', '拐角处'],
  intersection: ['东北角', '西南角', '东南角', '西北角'],
  park_square: ['东门', '健身器材区', '入口处', '南侧'],
  construction_site: ['东侧', '北侧', '南侧', '西侧'],
  urban_fringe: ['村口', '空地', '路边'],
  bus_stop: ['公交站'],
  public_toilet: [''],
};

/** The point's name as people say it: without the `(2)` that keeps names unique in the list. */
function placeName(point: WorldPoint): string {
  return point.name.replace(/\(\d+\)$/, '');
}

function spotAt(point: WorldPoint, rng: Rng): string {
  const type = point.typeCode;
  const name = placeName(point);
  if (type === 'residential' || type === 'old_residential') {
    const buildings = Number(point.attrs.buildings) || 12;
    return rng.chance(0.5) ? `${name}${rng.int(1, Math.max(2, buildings))}号楼前` : `${name}${rng.pick(['东门', '西门', '南门', '北门', '内部道路', '车棚旁'])}`;
  }
  if (type === 'school_area') return `${name.replace(/周边$/, '')}校门口`;
  const suffixes = SPOT_SUFFIXES[type];
  if (suffixes) return `${name}${rng.pick(suffixes)}`;
  return `${name}门前`;
}

function fillTemplate(template: string, rng: Rng, where: string, place: string): string {
  return template
    .replace(/\{where\}/g, where)
    .replace(/\{place\}/g, place)
    .replace(/\{n\}/g, () => String(rng.int(2, 6)))
    .replace(/\{m\}/g, () => String(rng.int(1, 3)))
    .replace(/\{k\}/g, () => String(rng.int(2, 6) * 10))
    .replace(/\{b\}/g, () => String(rng.int(1, 12)))
    .replace(/\{f\}/g, () => String(rng.int(2, 6)));
}

const MEDIA_OUTLETS = ['淄博日报', '闪电新闻', '淄博电视台《问政》', '张店融媒'] as const;
const VERIFY_REJECT_REASONS = ['经现场核实，反映的问题不存在', '经核实，问题已由物业自行整改到位', '经核实为邻里纠纷，不属于受理范围，已告知来电人'];
const FILE_REJECT_REASONS = ['不符合立案条件：照片无法反映问题', '问题已于上报前自行整改完毕', '不属于城市管理问题，已转相关部门'];
const DENY_REASONS = ['该问题可立即整改，不予延期，请按原时限办理', '延期理由不充分，请加派人手按时完成'];
const REOPEN_REASONS = ['市民巡访团回头看发现问题反弹，整改不彻底', '领导检查发现问题未彻底解决，重新办理'];
const SUPERVISE_NOTES = ['请责任单位立即整改，今日内反馈结果', '该问题为督查通报问题，请主要负责人亲自督办', '已超期，请说明原因并加快办理'];
const GENERIC_HANG_REASONS = ['涉及产权纠纷，需区级部门协调解决'];
const GENERIC_EXTENSION_REASONS = ['需协调相关部门共同处置', '工作量较大，需分批整改'];

// ---------------------------------------------------------------------------------------------------------------
// The simulation

interface DraftEvent {
  seq: number;
  caseId: number;
  at: number;
  actor: WorldUser | null;
  action: string;
  from: string | null;
  to: string | null;
  note: string | null;
  data: unknown;
  deadline: string | null;
}

interface Snapshot {
  at: number;
  status: CaseState;
  unitPath: string | null;
  /** closed_at while closed. */
  closedAt: number | null;
}

interface SimCase {
  row: CaseRow;
  createdMs: number;
  category: CategoryForCase;
  script: CategoryScript;
  anchor: WorldPoint;
  where: string;
  timeline: Snapshot[];
  lastAt: number;
  halted: boolean;
  /** A showcase case stays in this state: any action that would leave it is not taken. */
  holdIn: CaseState | null;
}

type Intent = 'normal' | 'rebound' | 'duplicate' | 'chronic' | 'showcase';

interface Showcase {
  /** The location must fall in this grid. */
  gridId?: number;
  /** The 责任清单 must send it to this unit. */
  unitId?: number;
  categories: readonly string[];
  holdIn: CaseState;
  late?: boolean;
  supervise?: boolean;
  extensionMark?: CaseMark;
}

interface Chronic {
  code: string;
  anchor: WorldPoint;
  lng: number;
  lat: number;
  where: string;
}

interface Arrival {
  at: number;
  order: number;
  source: CaseSource;
  level?: 'city' | 'district' | 'street';
  ref?: string;
  /** The office user who enters a notice, so a notice has one hand. */
  enteredBy?: WorldUser;
  categoryCode: string;
  intent: Intent;
  chronic?: Chronic;
  showcase?: Showcase;
}

/** Where a problem is, and the open case it duplicates (if it does). */
interface Placement {
  code: string;
  anchor: WorldPoint;
  where: string;
  lng: number;
  lat: number;
  place: WorldPlace;
  mergeInto: SimCase | null;
}

interface Plan {
  rejectAtVerify: boolean;
  rejectAtFiling: boolean;
  returnOnce: boolean;
  skipStart: boolean;
  late: boolean;
  reworks: number;
  extension: null | { mark: CaseMark | null; approve: boolean };
  hang: null | { resume: boolean };
  supervise: boolean;
  reopen: boolean;
  inspectorChecks: boolean;
}

const RUNNING: readonly CaseState[] = ['dispatched', 'processing', 'extension_requested'];
const UNIT_ACTIONS: readonly CaseAction[] = ['start', 'return', 'request_extension', 'feedback'];
const OFFICE_ROLES: readonly Role[] = ['admin', 'office', 'dispatcher'];
/** A stand-in after-photo id for the rule check only: demo feedback carries no photos. */
const PHOTO_PLACEHOLDER = ['demo-after-photo'];

const iso = (ms: number) => new Date(ms).toISOString();
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const METRES_PER_DEG = 111_320;

function offsetMetres(lng: number, lat: number, dx: number, dy: number): [number, number] {
  return [round7(lng + dx / (METRES_PER_DEG * Math.cos((lat * Math.PI) / 180))), round7(lat + dy / METRES_PER_DEG)];
}

/** Items filed in ~110 m cells, for box queries that must not scan the whole street. */
class Buckets<T> {
  private readonly cells = new Map<number, T[]>();
  private static readonly LNG = 0.00125;
  private static readonly LAT = 0.001;

  private static key(ix: number, iy: number): number {
    return ix * 1_000_000 + iy;
  }

  add(item: T, [w, s, e, n]: BBox) {
    for (let ix = Math.floor(w / Buckets.LNG); ix <= Math.floor(e / Buckets.LNG); ix += 1) {
      for (let iy = Math.floor(s / Buckets.LAT); iy <= Math.floor(n / Buckets.LAT); iy += 1) {
        const k = Buckets.key(ix, iy);
        const list = this.cells.get(k);
        if (list) list.push(item);
        else this.cells.set(k, [item]);
      }
    }
  }

  /** Every item filed in a cell the box touches (an item may come more than once). */
  query([w, s, e, n]: BBox): T[] {
    const out: T[] = [];
    for (let ix = Math.floor(w / Buckets.LNG); ix <= Math.floor(e / Buckets.LNG); ix += 1) {
      for (let iy = Math.floor(s / Buckets.LAT); iy <= Math.floor(n / Buckets.LAT); iy += 1) {
        const list = this.cells.get(Buckets.key(ix, iy));
        if (list) for (const item of list) out.push(item);
      }
    }
    return out;
  }
}

interface Routed {
  unit: WorldOrg | null;
  level: string | null;
  ruleId: number | null;
}

export interface DemoCaseHistory {
  cases: CaseRow[];
  events: CaseEventRow[];
  spots: ReboundSpotRow[];
}

export interface SimulateOptions {
  now: Date;
  seed?: number;
  days?: number;
}

class Simulation {
  readonly rng: Rng;
  readonly nowMs: number;
  readonly startMs: number;
  private readonly cal: WorkCalendar;
  private readonly cases: SimCase[] = [];
  /** Cases of each category in cells, each cell in id order. */
  private readonly byCategory = new Map<string, Buckets<SimCase>>();
  private readonly pointCells = new Buckets<WorldPoint>();
  private readonly anchorTypes = new Map<string, [string, number][]>();
  private readonly events: DraftEvent[] = [];
  private readonly spots: ReboundSpotRow[] = [];
  private seq = 0;
  private nextCaseId: number;
  private readonly pointById: Map<number, WorldPoint>;
  private readonly pointsByType = new Map<string, WorldPoint[]>();
  private readonly staffByUnit = new Map<number, WorldUser[]>();
  private readonly gridWorkers = new Map<number, WorldUser[]>();
  private readonly byRole = new Map<Role, WorldUser[]>();
  private readonly hotlineSeq = new Map<string, number>();
  private readonly routes = new Map<string, Routed>();

  constructor(
    readonly world: DemoCaseWorld,
    opts: SimulateOptions,
  ) {
    this.rng = createRng(opts.seed ?? DEMO_CASES_SEED);
    this.nowMs = opts.now.getTime();
    this.startMs = this.nowMs - (opts.days ?? DEMO_HISTORY_DAYS) * DAY_MS;
    this.cal = world.calendar;
    this.nextCaseId = world.firstIds.caseId;
    this.pointById = new Map(world.points.map((p) => [p.id, p]));
    for (const p of world.points) {
      this.pointCells.add(p, p.bbox);
      const list = this.pointsByType.get(p.typeCode) ?? [];
      list.push(p);
      this.pointsByType.set(p.typeCode, list);
    }
    for (const u of world.users) {
      const list = this.byRole.get(u.role) ?? [];
      list.push(u);
      this.byRole.set(u.role, list);
      if (u.role === 'unit') this.staffByUnit.set(u.orgId, [...(this.staffByUnit.get(u.orgId) ?? []), u]);
      if (u.role === 'grid_worker') this.gridWorkers.set(u.orgId, [...(this.gridWorkers.get(u.orgId) ?? []), u]);
    }
  }

  // ---- time -----------------------------------------------------------------------------------------------------

  /** `from` plus `minutes` of work time: lands inside a work period of a workday. */
  private work(from: number, minutes: number): number {
    if (minutes <= 0) return nextWorkingInstant(this.cal, from).getTime();
    return computeDeadline(this.cal, from, { unit: 'work_hours', value: minutes / 60 }).deadline.getTime();
  }

  /** `at` when it is work time; else a little after the next work period begins (nobody acts at 08:00:00 sharp). */
  private atWork(at: number, rng: Rng): number {
    return isWorkingTime(this.cal, at) ? at : this.work(at, rng.float(3, 40));
  }

  private workBetween(from: number, to: number): number {
    return workTimeBetween(this.cal, from, to);
  }

  /** `from` plus a share of a time limit, counted the way the limit counts. */
  private addLimit(from: number, limit: TimeLimit, share: number): number {
    if (limit.unit === 'clock_hours') return Math.round(from + share * limit.value * HOUR_MS);
    const hours = limit.unit === 'work_days' ? (limit.value * this.cal.workDayMs) / HOUR_MS : limit.value;
    return this.work(from, Math.max(1, share * hours * 60));
  }

  private span(from: number, to: number, unit: TimeLimitUnit): number {
    return unit === 'clock_hours' ? to - from : this.workBetween(from, to);
  }

  /** The end of the work day `workdays` workdays after the day of `from` (承诺件: "by the end of …"). */
  private workdayEnd(from: number, workdays: number): number {
    let day = beijingDayNumber(from);
    let left = workdays;
    while (left > 0) {
      day += 1;
      if (this.cal.isWorkdayNumber(day)) left -= 1;
    }
    const last = this.cal.periodsMs[this.cal.periodsMs.length - 1];
    return beijingDayStartMs(day) + last.endMs;
  }

  // ---- people ---------------------------------------------------------------------------------------------------

  private anyOf(role: Role, rng: Rng): WorldUser | null {
    const list = this.byRole.get(role);
    return list?.length ? rng.pick(list) : null;
  }

  private dispatcher(rng: Rng): WorldUser {
    return (rng.chance(0.8) ? this.anyOf('dispatcher', rng) : null) ?? this.anyOf('office', rng) ?? this.anyOf('dispatcher', rng) ?? this.anyOf('admin', rng)!;
  }

  private gridWorker(gridId: number, rng: Rng): WorldUser | null {
    const list = this.gridWorkers.get(gridId);
    return list?.length ? rng.pick(list) : null;
  }

  private staff(unitId: number | null, rng: Rng): WorldUser | null {
    if (unitId === null) return null;
    const list = this.staffByUnit.get(unitId);
    return list?.length ? rng.pick(list) : null;
  }

  // ---- places ---------------------------------------------------------------------------------------------------

  private sampleNear(point: WorldPoint, rng: Rng): [number, number] {
    const g = point.geometry;
    if (g.type === 'LineString') {
      const coords = g.coordinates;
      const lengths = coords.slice(1).map((c, i) => haversineMeters(coords[i], c));
      const segment = rng.weighted(
        lengths.map((_, i) => i),
        (i) => lengths[i],
      );
      const [a, b] = [coords[segment], coords[segment + 1]];
      const t = rng.float(0.05, 0.95);
      const lng = a[0] + (b[0] - a[0]) * t;
      const lat = a[1] + (b[1] - a[1]) * t;
      // Perpendicular in metres: rotate the segment direction by 90°.
      const dx = (b[0] - a[0]) * METRES_PER_DEG * Math.cos((lat * Math.PI) / 180);
      const dy = (b[1] - a[1]) * METRES_PER_DEG;
      const len = Math.hypot(dx, dy) || 1;
      const side = rng.chance(0.5) ? 1 : -1;
      const off = rng.float(3, 12) * side;
      return offsetMetres(lng, lat, (-dy / len) * off, (dx / len) * off);
    }
    if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
      const [w, s, e, n] = point.bbox;
      for (let attempt = 0; attempt < 12; attempt += 1) {
        const lng = round7(rng.float(w, e));
        const lat = round7(rng.float(s, n));
        if (pointInArea(lng, lat, g)) return [lng, lat];
      }
    }
    const angle = rng.float(0, 2 * Math.PI);
    const r = rng.float(2, 15);
    return offsetMetres(point.lng, point.lat, Math.cos(angle) * r, Math.sin(angle) * r);
  }

  private jitter(lng: number, lat: number, rng: Rng, lo: number, hi: number): [number, number] {
    const angle = rng.float(0, 2 * Math.PI);
    const r = rng.float(lo, hi);
    return offsetMetres(lng, lat, Math.cos(angle) * r, Math.sin(angle) * r);
  }

  private anchorFor(code: string, rng: Rng, filter?: (p: WorldPoint) => boolean): WorldPoint {
    const script = SCRIPT_BY_CODE.get(code)!;
    let types = filter ? undefined : this.anchorTypes.get(code);
    if (!types) {
      types = Object.entries(script.anchors).filter(([type]) => (this.pointsByType.get(type) ?? []).some((p) => !filter || filter(p)));
      if (!filter) this.anchorTypes.set(code, types);
    }
    if (types.length) {
      const [type] = rng.weighted(types, ([, w]) => w);
      const ofType = this.pointsByType.get(type)!;
      return rng.pick(filter ? ofType.filter(filter) : ofType);
    }
    const any = filter ? this.world.points.filter(filter) : this.world.points;
    return rng.pick(any.length ? any : this.world.points);
  }

  /** 点位匹配 as intake does it: the nearest active point within the radius (ties: the lowest id). */
  private matchPoint(lng: number, lat: number): number | null {
    const radius = this.world.settings.pointMatchRadiusM;
    const box = boxAround(lng, lat, radius);
    const [w, s, e, n] = box;
    const candidates = new Set<WorldPoint>();
    for (const p of this.pointCells.query(box)) {
      const [pw, ps, pe, pn] = p.bbox;
      if (!(pw > e || pe < w || ps > n || pn < s)) candidates.add(p);
    }
    let best: { id: number; d: number } | null = null;
    for (const p of [...candidates].sort((a, b) => a.id - b.id)) {
      const d = distanceToGeometryMeters(lng, lat, p.geometry);
      if (d <= radius && (!best || d < best.d)) best = { id: p.id, d };
    }
    return best?.id ?? null;
  }

  /** The 责任清单's answer for a category at a point or place, exactly as resolveResponsibleUnit decides it. */
  route(code: string, pointId: number | null, place: WorldPlace): Routed {
    // The answer depends only on the category, the point and the grids: ask the resolver once per combination.
    const key = `${code}|${pointId ?? ''}|${place.gridId}|${place.microGridId ?? ''}|${place.communityId}`;
    let routed = this.routes.get(key);
    if (!routed) this.routes.set(key, (routed = this.resolve(code, pointId, place)));
    return routed;
  }

  private resolve(code: string, pointId: number | null, place: WorldPlace): Routed {
    const category = this.world.categories.get(code)!;
    const point = pointId !== null ? this.pointById.get(pointId)! : null;
    const loc: RoutingLocation = point
      ? { pointId: point.id, pointTypeCode: point.typeCode, guardOrgId: point.guardOrgId, gridId: point.gridId, microGridId: point.microGridId, communityId: point.communityId, streetId: point.streetId }
      : { gridId: place.gridId, microGridId: place.microGridId, communityId: place.communityId, streetId: place.streetId };
    loc.gridOwnerId = loc.communityId;
    const categoryIds = [category.id, category.parentId].filter((v): v is number => v !== null);
    const orgIds = [loc.gridId, loc.microGridId, loc.communityId, loc.streetId].filter((v): v is number => v !== null && v !== undefined);
    const rules = this.world.rules.filter(
      (r) =>
        (r.categoryId === null || categoryIds.includes(r.categoryId)) &&
        ((r.scopeType === 'point' && point !== null && r.pointId === point.id) ||
          (r.scopeType === 'point_type' && point !== null && r.pointTypeCode === point.typeCode && r.orgId === point.streetId) ||
          (['grid', 'community', 'street'].includes(r.scopeType) && r.orgId !== null && r.orgId !== undefined && orgIds.includes(r.orgId))),
    );
    const defaultUnitOrgId = this.world.defaultUnits.get(code) ?? null;
    const involved = [loc.guardOrgId, loc.gridId, loc.microGridId, loc.communityId, loc.streetId, defaultUnitOrgId, ...rules.map((r) => r.unitOrgId)];
    const inactive = involved.filter((id): id is number => id !== null && id !== undefined && this.world.orgs.get(id)?.active === false);
    const decision = resolveRouting({ kind: category.kind, code: category.code, parentCode: category.parentCode, defaultUnitType: category.defaultUnitType }, loc, rules, {
      defaultUnitOrgId,
      inactiveUnitIds: inactive,
    });
    const unit = decision.unitOrgId !== null ? (this.world.orgs.get(decision.unitOrgId) ?? null) : null;
    return { unit, level: decision.level, ruleId: decision.ruleId };
  }

  // ---- what the database would answer at time T ------------------------------------------------------------------

  private snapshotAt(c: SimCase, t: number): Snapshot | null {
    const tl = c.timeline;
    if (!tl.length || tl[0].at > t) return null;
    let lo = 0;
    let hi = tl.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (tl[mid].at <= t) lo = mid;
      else hi = mid - 1;
    }
    return tl[lo];
  }

  /** Cases of a category inside a lat/lng box (inclusive, as the SQL has it), in id order. */
  private inBox(code: string, box: BBox): SimCase[] {
    const buckets = this.byCategory.get(code);
    if (!buckets) return [];
    const [w, s, e, n] = box;
    // A case sits in exactly one cell (its bbox is a point), so nothing comes twice.
    const found = buckets.query(box).filter((c) => !(c.row.lat < s || c.row.lat > n || c.row.lng < w || c.row.lng > e));
    return found.length > 1 ? found.sort((x, y) => x.row.id - y.row.id) : found;
  }

  /** findNearbyOpen: open cases of the category within the radius, as the reporter may see them, nearest first. */
  private nearbyOpen(code: string, lng: number, lat: number, t: number, viewer: WorldUser | null): SimCase[] {
    const radius = this.world.settings.duplicateRadiusM;
    const found: { c: SimCase; d: number }[] = [];
    const list = this.inBox(code, boxAround(lng, lat, radius));
    // The repository takes the 20 highest ids in the box, then filters by scope and distance.
    let taken = 0;
    for (let i = list.length - 1; i >= 0 && taken < 20; i -= 1) {
      const c = list[i];
      const snap = this.snapshotAt(c, t);
      if (!snap || !OPEN_STATES.includes(snap.status)) continue;
      taken += 1;
      if (viewer && !(c.row.org_path.startsWith(viewer.orgPath) || (!!snap.unitPath && snap.unitPath.startsWith(viewer.orgPath)) || c.row.reporter_id === viewer.id)) continue;
      const d = Math.round(haversineMeters([lng, lat], [c.row.lng, c.row.lat]));
      if (d <= radius) found.push({ c, d });
    }
    return found.sort((a, b) => a.d - b.d).map((f) => f.c);
  }

  /** The rebound rule: the most recently closed case of the category within R metres, closed in the last N days. */
  private closedNear(code: string, lng: number, lat: number, t: number): SimCase | null {
    const radius = this.world.settings.reboundRadiusM;
    const since = t - this.world.settings.reboundDays * DAY_MS;
    const list = this.inBox(code, boxAround(lng, lat, radius));
    const candidates: { c: SimCase; closedAt: number }[] = [];
    for (let i = list.length - 1; i >= 0 && candidates.length < 5; i -= 1) {
      const c = list[i];
      const snap = this.snapshotAt(c, t);
      if (!snap || snap.status !== 'closed' || snap.closedAt === null || snap.closedAt < since) continue;
      candidates.push({ c, closedAt: snap.closedAt });
    }
    const near = candidates.filter(({ c }) => haversineMeters([lng, lat], [c.row.lng, c.row.lat]) <= radius);
    near.sort((a, b) => b.closedAt - a.closedAt);
    return near[0]?.c ?? null;
  }

  private bumpSpot(c: SimCase, at: number): { id: number; count: number; flagged: boolean } {
    const r = this.world.settings.reboundRadiusM / 111_320;
    const { category_code: code, point_id: pointId, lat, lng } = c.row;
    const spot = this.spots.find((s) =>
      s.category_code === code && (pointId ? s.point_id === pointId : s.lat >= lat - r && s.lat <= lat + r && s.lng >= lng - r && s.lng <= lng + r),
    );
    const flagAt = this.world.settings.reboundFlagCount;
    if (spot) {
      spot.rebound_count += 1;
      spot.flagged = spot.rebound_count >= flagAt ? 1 : 0;
      spot.last_case_id = c.row.id;
      spot.updated_at = iso(at);
      return { id: spot.id, count: spot.rebound_count, flagged: spot.rebound_count >= flagAt };
    }
    const created: ReboundSpotRow = {
      id: this.world.firstIds.spotId + this.spots.length,
      category_code: code,
      point_id: pointId,
      lat,
      lng,
      grid_id: c.row.grid_id,
      org_path: c.row.org_path,
      rebound_count: 1,
      flagged: 1 >= flagAt ? 1 : 0,
      last_case_id: c.row.id,
      updated_at: iso(at),
    };
    this.spots.push(created);
    return { id: created.id, count: 1, flagged: 1 >= flagAt };
  }

  // ---- writing ----------------------------------------------------------------------------------------------------

  private event(c: SimCase | number, at: number, actor: WorldUser | null, action: string, from: string | null, to: string | null, extra: { note?: string | null; data?: unknown; deadline?: string | null } = {}) {
    this.events.push({
      seq: this.seq++,
      caseId: typeof c === 'number' ? c : c.row.id,
      at,
      actor,
      action,
      from,
      to,
      note: extra.note ?? null,
      data: extra.data,
      deadline: extra.deadline ?? null,
    });
  }

  private snapshot(c: SimCase, at: number) {
    c.timeline.push({ at, status: c.row.status as CaseState, unitPath: c.row.unit_path, closedAt: c.row.closed_at ? Date.parse(c.row.closed_at) : null });
  }

  /** The deadline job, as if it had run all along: overdue, reminder and escalation levels up to `at`. */
  private runDeadlineJob(c: SimCase, at: number) {
    const row = c.row;
    if (!RUNNING.includes(row.status as CaseState) || !row.deadline || !row.dispatched_at) return;
    const unit = c.category.timeLimit!.unit;
    const deadline = Date.parse(row.deadline);
    const fraction = elapsedFraction(this.cal, row.dispatched_at, deadline, at, unit);
    const reminders = this.world.settings.reminderFractions.filter((f) => fraction >= f).length;
    row.reminder_level = Math.max(row.reminder_level, reminders);
    if (at > deadline) {
      row.overdue = 1;
      const pastHours = this.span(deadline, at, unit) / HOUR_MS;
      row.escalation_level = Math.max(row.escalation_level, this.world.settings.escalationHours.filter((h) => pastHours >= h).length);
    }
  }

  /** Intake of one problem, as intake.ts does it. */
  private intake(input: {
    at: number;
    actor: WorldUser;
    source: CaseSource;
    level?: string | null;
    ref?: string | null;
    category: CategoryForCase;
    script: CategoryScript;
    anchor: WorldPoint;
    where: string;
    lng: number;
    lat: number;
    place: WorldPlace;
    description: string;
    address: string | null;
    reporterName?: string | null;
    reporterPhone?: string | null;
    mergeInto?: SimCase | null;
    dispatch?: boolean;
    unitId?: number | null;
    holdIn?: CaseState | null;
  }): SimCase {
    const { at, actor, category, place } = input;
    const atIso = iso(at);
    const id = this.nextCaseId++;
    const pointId = this.matchPoint(input.lng, input.lat);
    const mergeTarget = input.mergeInto ?? null;
    const duplicates = mergeTarget ? [] : this.nearbyOpen(category.code, input.lng, input.lat, at, actor);
    const reboundOf = mergeTarget ? null : this.closedNear(category.code, input.lng, input.lat, at);
    const routing = this.route(category.code, pointId, place);
    let unit = routing.unit;
    if (input.dispatch && input.unitId) unit = this.world.orgs.get(input.unitId) ?? unit;
    const routingNote = routing.level ? `${routing.level}${routing.ruleId ? `#${routing.ruleId}` : ''}` : null;
    let status: CaseState = 'reported';
    let deadline: string | null = null;
    let deadlineWarning: string | null = null;
    if (mergeTarget) status = 'merged';
    else if (input.dispatch) {
      status = 'dispatched';
      const d = computeDeadline(this.cal, at, category.timeLimit!);
      deadline = d.deadline.toISOString();
      deadlineWarning = d.warnings.map((w) => w.messageZh).join('；') || null;
    }
    const description = input.description.trim();
    const row: CaseRow = {
      id,
      case_no: caseNumber(id, new Date(at)),
      status,
      version: 1,
      source: input.source,
      source_level: input.level ?? null,
      source_ref: input.ref ?? null,
      category_code: category.code,
      category_kind: category.kind,
      description,
      address: input.address?.trim() || null,
      lat: input.lat,
      lng: input.lng,
      point_id: pointId,
      grid_id: place.gridId,
      micro_grid_id: place.microGridId,
      community_id: place.communityId,
      street_id: place.streetId,
      org_path: place.gridPath,
      reporter_id: actor.id,
      reporter_name: input.reporterName ?? actor.displayName,
      reporter_phone: input.reporterPhone ?? null,
      unit_id: unit?.id ?? null,
      unit_path: unit?.path ?? null,
      routing_rule_id: routing.ruleId,
      routing_note: routingNote,
      deadline,
      deadline_warning: deadlineWarning,
      dispatched_at: status === 'dispatched' ? atIso : null,
      ...FRESH_CASE,
      is_rebound: reboundOf ? 1 : 0,
      rebound_of_id: reboundOf?.row.id ?? null,
      rebound_unit_id: reboundOf?.row.unit_id ?? null,
      merged_into_id: mergeTarget?.row.id ?? null,
      idempotency_key: null,
      created_by: actor.id,
      created_at: atIso,
      updated_at: atIso,
    };
    const c: SimCase = {
      row,
      createdMs: at,
      category,
      script: input.script,
      anchor: input.anchor,
      where: input.where,
      timeline: [],
      lastAt: at,
      halted: false,
      holdIn: input.holdIn ?? null,
    };
    this.event(c, at, actor, 'report', null, 'reported', {
      note: description.slice(0, 200),
      data: { source: input.source, sourceLevel: input.level ?? null, pointId, routing: { unitId: routing.unit?.id ?? null, level: routing.level, ruleId: routing.ruleId }, duplicates: duplicates.map((d) => d.row.id) },
    });
    if (status === 'dispatched') {
      this.event(c, at, actor, 'file', 'reported', 'filed');
      this.event(c, at, actor, 'dispatch', 'filed', 'dispatched', { data: { unitId: unit!.id, unitName: unit!.name, routing: routingNote }, deadline });
    }
    if (reboundOf) {
      const spot = this.bumpSpot(c, at);
      this.event(c, at, actor, 'rebound', null, null, {
        data: { ofCaseId: reboundOf.row.id, ofCaseNo: reboundOf.row.case_no, unitId: reboundOf.row.unit_id, spotId: spot.id, spotCount: spot.count, flagged: spot.flagged },
      });
    }
    if (mergeTarget) {
      this.event(c, at, actor, 'merge', 'reported', 'merged', { data: { targetCaseId: mergeTarget.row.id, targetCaseNo: mergeTarget.row.case_no } });
      this.bumpMerged(mergeTarget, at);
      this.event(mergeTarget, at, actor, 'merged_in', null, null, { data: { caseId: id, source: input.source } });
    }
    this.snapshot(c, at);
    this.cases.push(c);
    let buckets = this.byCategory.get(category.code);
    if (!buckets) this.byCategory.set(category.code, (buckets = new Buckets<SimCase>()));
    buckets.add(c, [row.lng, row.lat, row.lng, row.lat]);
    return c;
  }

  private bumpMerged(target: SimCase, at: number) {
    target.row.merged_count += 1;
    target.row.version += 1;
    if (Date.parse(target.row.updated_at) < at) target.row.updated_at = iso(at);
  }

  /**
   * One transition, as transitions.ts applies it. Returns false (and takes nothing) when the moment lies after
   * `now`, when the case has been halted, or when a showcase case would leave the state it is kept in.
   */
  private act(c: SimCase, action: CaseAction, actor: WorldUser, wanted: number, input: TransitionInput = {}): boolean {
    if (c.halted) return false;
    const at = Math.max(Math.round(wanted), c.lastAt + MINUTE_MS);
    if (at > this.nowMs) {
      c.halted = true;
      return false;
    }
    // What transitions.ts reads from the row as it was (the row object itself changes below).
    const r0 = c.row;
    const before = {
      id: r0.id,
      case_no: r0.case_no,
      status: r0.status,
      version: r0.version,
      source: r0.source,
      category_code: r0.category_code,
      point_id: r0.point_id,
      grid_id: r0.grid_id,
      micro_grid_id: r0.micro_grid_id,
      community_id: r0.community_id,
      street_id: r0.street_id,
      org_path: r0.org_path,
      unit_id: r0.unit_id,
      unit_path: r0.unit_path,
      deadline: r0.deadline,
      pending_extension: r0.pending_extension,
      handled_on_time: r0.handled_on_time,
      return_count: r0.return_count,
      extension_count: r0.extension_count,
      rework_count: r0.rework_count,
      reopen_count: r0.reopen_count,
    };
    const plan = planTransition(before.status as CaseState, action, actor.role, input, { source: before.source });
    if (!plan.ok) throw new Error(`demo case ${before.id}: ${action} by ${actor.role} from ${before.status} refused (${plan.reason} ${plan.field ?? ''})`);
    if (c.holdIn && before.status === c.holdIn && plan.to !== before.status) {
      c.halted = true;
      return false;
    }
    if (UNIT_ACTIONS.includes(action) && !OFFICE_ROLES.includes(actor.role) && (!before.unit_path || !actor.orgPath.startsWith(before.unit_path))) {
      throw new Error(`demo case ${before.id}: ${actor.username} is not staff of the unit for ${action}`);
    }
    this.runDeadlineJob(c, at);
    const row = c.row;
    const atIso = iso(at);
    const fx = plan.effects;
    const data: Record<string, unknown> = {};
    let deadlinePatched = false;
    row.status = plan.to;
    row.updated_at = atIso;
    if (fx.assignsUnit) {
      let unitId = input.unitId !== undefined && input.unitId !== null && input.unitId !== '' ? Number(input.unitId) : null;
      let routing: string | null = 'manual';
      if (unitId === null) {
        const place = { gridId: before.grid_id, microGridId: before.micro_grid_id, communityId: before.community_id, streetId: before.street_id, gridPath: before.org_path };
        const r = this.route(before.category_code, before.point_id, place);
        unitId = r.unit?.id ?? before.unit_id;
        routing = r.level ? `${r.level}${r.ruleId ? `#${r.ruleId}` : ''}` : null;
        row.routing_rule_id = r.ruleId;
      }
      const unit = this.world.orgs.get(unitId!)!;
      row.unit_id = unit.id;
      row.unit_path = unit.path;
      row.routing_note = routing;
      row.dispatched_at = atIso;
      data.unitId = unit.id;
      data.unitName = unit.name;
      data.routing = routing;
    }
    if (fx.clearsUnit) {
      data.returnedBy = before.unit_id;
      row.unit_id = null;
      row.unit_path = null;
    }
    if (fx.needsDeadline) {
      const d = computeDeadline(this.cal, at, c.category.timeLimit!);
      row.deadline = d.deadline.toISOString();
      row.deadline_warning = d.warnings.map((w) => w.messageZh).join('；') || null;
      row.overdue = 0;
      row.reminder_level = 0;
      row.escalation_level = 0;
      deadlinePatched = true;
    }
    if (fx.clearsDeadline) {
      row.deadline = null;
      row.overdue = 0;
      deadlinePatched = true;
    }
    if (action === 'request_extension') {
      let asked: string | null = input.newDeadline ?? null;
      if (!asked && input.extensionHours && before.deadline) {
        asked = computeDeadline(this.cal, before.deadline, { unit: 'work_hours', value: input.extensionHours }).deadline.toISOString();
      }
      if (asked && before.deadline && asked <= before.deadline) throw new Error(`demo case ${before.id}: extension not later than the deadline`);
      row.pending_extension = JSON.stringify({ newDeadline: asked, extensionHours: input.extensionHours ?? null, mark: input.mark ?? null, reason: input.reason ?? null, requestedAt: atIso });
      data.newDeadline = asked;
    }
    if (fx.extendsDeadline) {
      const pending = before.pending_extension ? (JSON.parse(before.pending_extension) as { newDeadline: string | null }) : null;
      const granted = input.newDeadline ?? pending?.newDeadline ?? null;
      if (!granted) throw new Error(`demo case ${before.id}: nothing to approve`);
      const deadline = new Date(granted).toISOString();
      row.deadline = deadline;
      row.overdue = deadline < atIso ? 1 : 0;
      row.reminder_level = 0;
      row.extension_count = before.extension_count + 1;
      row.pending_extension = null;
      data.newDeadline = deadline;
      deadlinePatched = true;
    }
    if (action === 'deny_extension') row.pending_extension = null;
    if (fx.mark) row.mark = fx.mark;
    if (fx.countsAsReturn) row.return_count = before.return_count + 1;
    if (fx.handled) {
      row.handled_at = atIso;
      row.handled_on_time = before.deadline ? (atIso <= before.deadline ? 1 : 0) : 1;
      data.measures = input.measures;
    }
    if (fx.rework) row.rework_count = before.rework_count + 1;
    if (fx.closes) {
      row.closed_at = atIso;
      row.closed_on_time = before.handled_on_time ?? (before.deadline ? (atIso <= before.deadline ? 1 : 0) : 1);
      row.checker_id = actor.id;
    }
    if (action === 'pass_check' || action === 'fail_check') row.checker_id = actor.id;
    if (fx.reopened) {
      row.reopen_count = before.reopen_count + 1;
      row.closed_at = null;
      row.closed_on_time = null;
      row.handled_at = null;
      row.handled_on_time = null;
    }
    if (fx.supervised) {
      row.supervised = 1;
      row.supervised_at = atIso;
    }
    if (fx.merges) {
      const target = this.cases.find((x) => x.row.id === Number(input.targetCaseId));
      const snap = target ? this.snapshotAt(target, at) : null;
      if (!target || !snap || ['closed', 'rejected', 'merged'].includes(snap.status)) throw new Error(`demo case ${before.id}: merge target not open`);
      row.merged_into_id = target.row.id;
      this.bumpMerged(target, at);
      this.event(target, at, actor, 'merged_in', null, null, { data: { caseId: before.id, caseNo: before.case_no, source: before.source } });
      data.targetCaseId = target.row.id;
    }
    row.version = before.version + 1;
    if (input.mark) data.mark = input.mark;
    if (fx.rework) data.rework = true;
    this.event(c, at, actor, action, before.status, plan.to, {
      note: input.reason ?? input.note ?? input.measures ?? null,
      data: Object.keys(data).length ? data : undefined,
      deadline: deadlinePatched ? row.deadline : before.deadline,
    });
    c.lastAt = at;
    this.snapshot(c, at);
    return true;
  }

  // ---- one problem's life -----------------------------------------------------------------------------------------

  private drawPlan(a: Arrival, c: SimCase, rng: Rng): Plan {
    const limit = c.category.timeLimit!;
    const limitHours = limit.unit === 'work_days' ? limit.value * 8 : limit.value;
    const script = c.script;
    const show = a.showcase;
    if (show) {
      return {
        rejectAtVerify: false,
        rejectAtFiling: false,
        returnOnce: show.holdIn === 'returned',
        skipStart: false,
        late: !!show.late,
        reworks: 0,
        extension: show.holdIn === 'extension_requested' ? { mark: show.extensionMark ?? null, approve: true } : null,
        hang: show.holdIn === 'hung' ? { resume: false } : null,
        supervise: !!show.supervise,
        reopen: false,
        inspectorChecks: false,
      };
    }
    const extensionChance = limitHours >= 8 ? 0.09 : limitHours > 4 ? 0.04 : 0.012;
    const hangChance = script.hangReasons ? 0.015 : 0;
    const late = rng.chance(0.11);
    const reworks = rng.chance(0.085) ? (rng.chance(0.16) ? 2 : 1) : 0;
    return {
      rejectAtVerify: rng.chance(0.1),
      rejectAtFiling: a.source !== 'leader' && rng.chance(0.02),
      returnOnce: rng.chance(0.06),
      skipStart: rng.chance(0.12),
      late,
      reworks,
      extension: rng.chance(extensionChance) ? { mark: rng.weighted([null, 'commitment', 'coordination'] as const, (m) => (m === null ? 4 : m === 'commitment' ? 3.5 : 2.5)), approve: rng.chance(0.75) } : null,
      hang: rng.chance(hangChance) ? { resume: rng.chance(0.75) } : null,
      supervise: rng.chance(a.source === 'leader' ? 0.5 : a.level === 'city' ? 0.15 : late ? 0.05 : 0.003),
      reopen: rng.chance(0.008),
      inspectorChecks: rng.chance(a.source === 'supervision' ? 0.45 : 0.18),
    };
  }

  /** The share of the time limit a unit takes: well inside it, or late. */
  private handlingShare(late: boolean, rng: Rng): number {
    return late ? rng.float(1.05, 2.4) : Math.min(0.97, rng.chance(0.7) ? rng.float(0.2, 0.7) : rng.float(0.05, 0.97));
  }

  private live(a: Arrival, c: SimCase, rng: Rng) {
    const plan = this.drawPlan(a, c, rng);
    const gridWorker = () => this.gridWorker(c.row.grid_id, rng);

    // 核实 → 立案, or 立案 by the dispatcher.
    if (c.row.status === 'reported') {
      if (a.source === 'hotline' || a.source === 'media') {
        const worker = gridWorker() ?? this.dispatcher(rng);
        const verifyNote = worker.role === 'grid_worker' ? rng.pick(['已接单，前往现场核实', '收到，马上到现场查看', '']) : '';
        if (!this.act(c, 'verify', worker, this.work(c.lastAt, rng.float(10, 180)), verifyNote ? { note: verifyNote } : {})) return;
        if (plan.rejectAtVerify && !a.showcase) {
          this.act(c, 'reject', worker, this.work(c.lastAt, rng.float(20, 120)), { reason: rng.pick(VERIFY_REJECT_REASONS) });
          return;
        }
        if (!this.act(c, 'file', worker, this.work(c.lastAt, rng.float(15, 120)), { note: worker.role === 'grid_worker' ? '经现场核实，情况属实' : undefined })) return;
      } else {
        const dispatcher = this.dispatcher(rng);
        if (plan.rejectAtFiling && !a.showcase) {
          this.act(c, 'reject', dispatcher, this.work(c.lastAt, rng.float(5, 90)), { reason: rng.pick(FILE_REJECT_REASONS) });
          return;
        }
        if (!this.act(c, 'file', dispatcher, this.work(c.lastAt, rng.float(5, 90)))) return;
      }
      if (!this.dispatchCase(c, this.work(c.lastAt, rng.float(1, 20)), rng)) return;
    }

    // 退回 → 重新派遣.
    if (plan.returnOnce) {
      const staff = this.staff(c.row.unit_id, rng);
      const alternative = this.alternativeUnit(c, rng);
      if (staff && alternative) {
        if (!this.act(c, 'return', staff, this.work(c.lastAt, rng.float(10, 90)), { reason: this.returnReason(c, alternative) })) return;
        if (!this.act(c, 'dispatch', this.dispatcher(rng), this.work(c.lastAt, rng.float(10, 60)), { unitId: alternative.id })) return;
      }
    }
    if (!this.handle(c, plan, rng, true)) return;

    // 回头看: a few closed cases come back.
    if (plan.reopen && c.row.status === 'closed') {
      const who = (rng.chance(0.6) ? this.anyOf('citizen_patrol', rng) : null) ?? this.anyOf('leader', rng) ?? this.anyOf('citizen_patrol', rng);
      if (!who) return;
      const at = this.work(c.lastAt + rng.float(1, 6) * DAY_MS, rng.float(10, 120));
      if (!this.act(c, 'reopen', who, at, { reason: who.role === 'citizen_patrol' ? REOPEN_REASONS[0] : REOPEN_REASONS[1] })) return;
      this.handle(c, { ...plan, returnOnce: false, extension: null, hang: null, supervise: false, reworks: 0, late: rng.chance(0.2), skipStart: false }, rng, false);
    }
  }

  /** 派遣 by the 责任清单; by hand when the list names a unit nobody works for. */
  private dispatchCase(c: SimCase, at: number, rng: Rng): boolean {
    const place = { gridId: c.row.grid_id, microGridId: c.row.micro_grid_id, communityId: c.row.community_id, streetId: c.row.street_id, gridPath: c.row.org_path };
    const routed = this.route(c.row.category_code, c.row.point_id, place).unit;
    const input: TransitionInput = {};
    if (!routed || !this.staffByUnit.get(routed.id)?.length) {
      const fallback = this.staffedUnitFor(c.row.community_id, c.row.category_code, c.anchor.guardOrgId);
      if (!fallback) {
        c.halted = true;
        return false;
      }
      input.unitId = fallback.id;
    }
    return this.act(c, 'dispatch', this.dispatcher(rng), at, input);
  }

  /** A unit with staff that can take the case: its community, else the category's default department. */
  private staffedUnitFor(communityId: number, code: string, guardOrgId: number | null): WorldOrg | null {
    const candidates = [communityId, this.world.defaultUnits.get(code) ?? null, guardOrgId];
    for (const id of candidates) if (id !== null && this.staffByUnit.get(id)?.length) return this.world.orgs.get(id) ?? null;
    return null;
  }

  /** Where a returned case goes instead: the community for a department's return, else the default department or the guard. */
  private alternativeUnit(c: SimCase, rng: Rng): WorldOrg | null {
    const current = c.row.unit_id;
    const options = [this.world.defaultUnits.get(c.row.category_code) ?? null, c.anchor.guardOrgId, c.row.community_id]
      .filter((id): id is number => id !== null && id !== current && !!this.staffByUnit.get(id)?.length)
      .map((id) => this.world.orgs.get(id)!)
      .filter((o) => !!o);
    if (!options.length) return null;
    const community = options.find((o) => o.kind === 'community');
    const current_ = current !== null ? this.world.orgs.get(current) : undefined;
    if (current_ && current_.kind !== 'community' && community) return community;
    return rng.pick(options);
  }

  private returnReason(c: SimCase, to: WorldOrg): string {
    const name = to.kind === 'community' ? to.name : (to.shortName ?? to.name);
    if (to.kind === 'community') return `该问题位于${placeName(c.anchor)}，属社区属地管理范围，应由${name}负责`;
    if (to.kind === 'property_company') return `该点位由${name}管理，应由物业公司负责整改`;
    return `该问题不属于本单位职责，属于${name}职责范围，请重新派遣`;
  }

  /**
   * 处置 → 反馈 → 核查 until closed (or cut off by `now`). Starts in dispatched or processing; `first` is false after
   * a reopen, which skips the one-off detours.
   */
  private handle(c: SimCase, plan: Plan, rng: Rng, first: boolean): boolean {
    const script = c.script;
    const limit = c.category.timeLimit!;
    const text = (list: readonly string[]) => fillTemplate(rng.pick(list), rng, c.where, placeName(c.anchor));
    let segmentStart = c.lastAt;
    let handledAt = this.addLimit(segmentStart, limit, this.handlingShare(plan.late, rng));
    const staff = () => this.staff(c.row.unit_id, rng);

    if (c.row.status === 'dispatched' && !(plan.skipStart && first && !plan.extension && !plan.hang && !plan.supervise)) {
      const worker = staff();
      if (!worker) return false;
      const share = rng.float(0.05, 0.35);
      const startAt = Math.min(handledAt - MINUTE_MS, c.lastAt + Math.max(MINUTE_MS * 3, share * (handledAt - c.lastAt)));
      if (!this.act(c, 'start', worker, this.atWork(startAt, rng))) return false;
    }

    if (first && plan.extension && c.row.status === 'processing') {
      const worker = staff()!;
      const reasons = script.extensionReasons ?? GENERIC_EXTENSION_REASONS;
      const requestAt = this.work(c.lastAt, rng.float(10, 60));
      const input: TransitionInput = { reason: fillTemplate(rng.pick(reasons), rng, c.where, placeName(c.anchor)) };
      if (plan.extension.mark === 'commitment') {
        const base = Math.max(Date.parse(c.row.deadline!), requestAt);
        input.newDeadline = iso(this.workdayEnd(base, rng.int(3, 8)));
        input.mark = 'commitment';
      } else {
        input.extensionHours = rng.pick([8, 16, 24, 40]);
        if (plan.extension.mark) input.mark = plan.extension.mark;
      }
      if (!this.act(c, 'request_extension', worker, requestAt, input)) return false;
      const decider = rng.chance(0.35) ? (this.anyOf('leader', rng) ?? this.dispatcher(rng)) : this.dispatcher(rng);
      const decideAt = this.work(c.lastAt, rng.float(30, 180));
      if (plan.extension.approve) {
        if (!this.act(c, 'approve_extension', decider, decideAt, rng.chance(0.4) ? { note: '同意延期，请在新时限内整改到位' } : {})) return false;
        const newDeadline = Date.parse(c.row.deadline!);
        const room = this.workBetween(c.lastAt, newDeadline);
        handledAt = plan.late ? this.work(newDeadline, rng.float(30, 600)) : this.work(c.lastAt, Math.max(5, (room / MINUTE_MS) * rng.float(0.2, 0.9)));
      } else {
        if (!this.act(c, 'deny_extension', decider, decideAt, { reason: rng.pick(DENY_REASONS) })) return false;
        handledAt = Math.max(handledAt, this.work(c.lastAt, rng.float(30, 240)));
      }
    }

    if (first && plan.hang && c.row.status === 'processing') {
      const decider = rng.chance(0.5) ? this.dispatcher(rng) : (this.anyOf('leader', rng) ?? this.dispatcher(rng));
      const reasons = script.hangReasons ?? GENERIC_HANG_REASONS;
      if (!this.act(c, 'hang', decider, this.work(c.lastAt, rng.float(60, 600)), { reason: rng.pick(reasons) })) return false;
      if (!plan.hang.resume) {
        c.halted = true;
        return false;
      }
      const worker = staff()!;
      const resumeAt = this.work(c.lastAt + rng.float(8, 30) * DAY_MS, rng.float(5, 90));
      if (!this.act(c, 'start', worker, resumeAt, { note: '条件已具备，恢复处置' })) return false;
      segmentStart = c.lastAt;
      handledAt = this.addLimit(segmentStart, limit, this.handlingShare(plan.late, rng));
    }

    if (first && plan.supervise) {
      const leader = this.anyOf('leader', rng);
      if (leader) {
        const deadline = c.row.deadline ? Date.parse(c.row.deadline) : c.lastAt;
        const at = plan.late ? this.work(Math.max(deadline, c.lastAt), rng.float(30, 240)) : this.work(c.lastAt, rng.float(10, 90));
        if (!this.act(c, 'supervise', leader, at, { note: rng.pick(SUPERVISE_NOTES) })) return false;
        // A 督办 gets the unit moving.
        if (handledAt <= c.lastAt) handledAt = this.work(c.lastAt, rng.float(30, 240));
        else handledAt = Math.min(handledAt, this.work(c.lastAt, rng.float(60, 480)));
      }
    }

    for (let round = 0; ; round += 1) {
      const worker = staff();
      if (!worker) return false;
      if (!this.act(c, 'feedback', worker, Math.max(handledAt, c.lastAt + 5 * MINUTE_MS), { measures: text(script.measures), photoIds: PHOTO_PLACEHOLDER })) return false;
      const checker = (plan.inspectorChecks ? this.anyOf('inspector', rng) : null) ?? this.gridWorker(c.row.grid_id, rng) ?? this.dispatcher(rng);
      const checkAt = this.work(c.lastAt, rng.float(20, 300));
      if (round < plan.reworks && first) {
        if (!this.act(c, 'fail_check', checker, checkAt, { reason: text(script.failReasons) })) return false;
        handledAt = this.addLimit(c.lastAt, limit, this.handlingShare(rng.chance(0.12), rng));
        continue;
      }
      return this.act(c, 'pass_check', checker, checkAt);
    }
  }

  // ---- arrivals ---------------------------------------------------------------------------------------------------

  private dayTime(day: number, hour: number): number {
    return beijingDayStartMs(day) + Math.round(hour * HOUR_MS);
  }

  private arrivalHour(source: CaseSource, rng: Rng): number {
    switch (source) {
      case 'hotline':
        return rng.chance(0.85) ? rng.float(8, 18) : rng.chance(0.5) ? rng.float(7, 8) : rng.float(18, 21.5);
      case 'citizen_patrol':
        return rng.chance(0.6) ? rng.float(8.5, 11.5) : rng.float(15, 17.5);
      case 'patrol':
        return rng.chance(0.95) ? (rng.chance(0.68) ? rng.float(8.3, 11.8) : rng.float(14.2, 17.8)) : rng.chance(0.5) ? rng.float(7.3, 8) : rng.float(18, 19.5);
      default:
        return rng.chance(0.6) ? rng.float(8.5, 11.7) : rng.float(14.3, 17.5);
    }
  }

  private categoryFor(source: CaseSource, rng: Rng): string {
    const weights = SOURCE_WEIGHTS[source];
    const codes = [...this.world.categories.keys()];
    const base = (code: string) => SCRIPT_BY_CODE.get(code)!.weight;
    if (weights && codes.some((code) => (weights[code] ?? 0) > 0)) return rng.weighted(codes, (code) => weights[code] ?? 0);
    return rng.weighted(codes, base);
  }

  private planArrivals(): Arrival[] {
    const rng = this.rng.fork('arrivals');
    const arrivals: Omit<Arrival, 'order'>[] = [];
    const push = (a: Omit<Arrival, 'order'>) => {
      if (a.at > this.startMs && a.at < this.nowMs) arrivals.push(a);
    };
    const firstDay = beijingDayNumber(this.startMs);
    const today = beijingDayNumber(this.nowMs);
    const workdays: number[] = [];
    for (let day = firstDay; day <= today; day += 1) if (this.cal.isWorkdayNumber(day)) workdays.push(day);
    const scale = (today - firstDay + 1) / DEMO_HISTORY_DAYS;

    // 督查通报: each notice brings a burst of problems entered in one sitting.
    const noticeRng = this.rng.fork('notices');
    const office = this.byRole.get('office') ?? this.byRole.get('admin') ?? [];
    const notices: { at: number; level: 'city' | 'district' | 'street'; problems: Omit<Arrival, 'order'>[] }[] = [];
    for (const [level, count] of [['city', 5], ['district', 9], ['street', 13]] as const) {
      for (const day of noticeRng.shuffle(workdays).slice(0, Math.max(1, Math.round(count * scale)))) {
        if (!office.length) break;
        const enteredBy = noticeRng.pick(office);
        let at = this.dayTime(day, noticeRng.chance(0.6) ? noticeRng.float(9, 10.5) : noticeRng.float(14.5, 16.3));
        const problems: Omit<Arrival, 'order'>[] = [];
        for (let i = noticeRng.int(5, 15); i > 0; i -= 1) {
          problems.push({ at, source: 'supervision', level, enteredBy, categoryCode: this.categoryFor('supervision', noticeRng), intent: 'normal' });
          at += noticeRng.int(25, 110) * 1000;
        }
        notices.push({ at: problems[0].at, level, problems });
      }
    }

    // The street's own finds, citizens' calls and the patrol group's reports, day by day.
    for (let day = firstDay; day <= today; day += 1) {
      const workday = this.cal.isWorkdayNumber(day);
      const count = workday ? rng.int(28, 44) : rng.int(7, 15);
      for (let i = 0; i < count; i += 1) {
        const source: CaseSource = workday
          ? rng.weighted(['patrol', 'citizen_patrol', 'hotline', 'office', 'media', 'leader'] as const, (s) => ({ patrol: 55, citizen_patrol: 12, hotline: 18, office: 10, media: 2, leader: 2 })[s])
          : rng.weighted(['patrol', 'hotline', 'citizen_patrol'] as const, (s) => ({ patrol: 55, hotline: 35, citizen_patrol: 10 })[s]);
        const roll = rng.next();
        const intent: Intent = roll < 0.025 ? 'rebound' : roll < 0.06 && ['patrol', 'citizen_patrol', 'hotline'].includes(source) ? 'duplicate' : 'normal';
        push({ at: this.dayTime(day, this.arrivalHour(source, rng)), source, categoryCode: this.categoryFor(source, rng), intent });
      }
    }

    // 反弹点: a few spots where the same problem keeps coming back.
    const chronicRng = this.rng.fork('chronic');
    const chronicPlan: [string, string][] = [
      ['1401', 'market'],
      ['1402', 'bus_stop'],
      ['1201', 'old_residential'],
      ['1101', 'back_street'],
      ['1109', 'old_residential'],
      ['1404', 'market'],
      ['1401', 'main_road'],
      ['1201', 'back_street'],
    ];
    for (const [code, type] of chronicPlan) {
      const points = this.pointsByType.get(type);
      if (!points?.length || !this.world.categories.has(code)) continue;
      let spot: Chronic | null = null;
      for (let attempt = 0; attempt < 10 && !spot; attempt += 1) {
        const anchor = chronicRng.pick(points);
        const [lng, lat] = this.sampleNear(anchor, chronicRng);
        if (this.world.locate(lng, lat)) spot = { code, anchor, lng, lat, where: spotAt(anchor, chronicRng) };
      }
      if (!spot) continue;
      for (let day = firstDay + chronicRng.int(3, 15); day < today; day += chronicRng.int(7, 15)) {
        const source = chronicRng.weighted(['patrol', 'citizen_patrol', 'hotline'] as const, (s) => ({ patrol: 5, citizen_patrol: 2, hotline: 2 })[s]);
        push({ at: this.dayTime(day, this.arrivalHour(source, chronicRng)), source, categoryCode: code, intent: 'chronic', chronic: spot });
      }
    }

    for (const a of this.planShowcases(workdays, today)) {
      // A showcase notice is a 专项督查 notice with a single problem.
      if (a.source === 'supervision') notices.push({ at: a.at, level: 'street', problems: [{ ...a, level: 'street', enteredBy: office.length ? rng.pick(office) : undefined }] });
      else push(a);
    }

    // Notice numbers run per issuer and year, in date order: 张创城督〔2026〕37号.
    const issuer = { city: '淄创城督', district: '张创城督', street: `${STREET_SHORT_NAME}创城督` } as const;
    const rate = { city: 1 / 9, district: 1 / 4, street: 1 / 3.5 } as const;
    const numbers = new Map<string, number>();
    notices.sort((a, b) => a.at - b.at);
    for (const notice of notices) {
      const date = beijingDate(notice.at);
      const year = Number(date.slice(0, 4));
      const dayOfYear = beijingDayNumber(notice.at) - beijingDayNumber(Date.UTC(year, 0, 1) - 8 * HOUR_MS) + 1;
      const key = `${notice.level}:${year}`;
      const number = Math.max((numbers.get(key) ?? 0) + noticeRng.int(1, 2), Math.floor(dayOfYear * rate[notice.level]));
      numbers.set(key, number);
      for (const problem of notice.problems) push({ ...problem, ref: `${issuer[notice.level]}〔${year}〕${number}号` });
    }

    const ordered = arrivals.map((a, order) => ({ ...a, order }));
    ordered.sort((a, b) => a.at - b.at || a.order - b.order);
    return ordered;
  }

  /** A moment some minutes before now, moved to the evening before when that would be the middle of the night. */
  private recentDaytime(minutesLo: number, minutesHi: number, rng: Rng): number {
    const at = this.nowMs - rng.int(minutesLo, minutesHi) * MINUTE_MS;
    const hour = (at - beijingDayStartMs(beijingDayNumber(at))) / HOUR_MS;
    if (hour >= 7 && hour < 21.5) return at;
    const day = beijingDayNumber(at) - (hour < 7 ? 1 : 0);
    return this.dayTime(day, rng.float(19, 21));
  }

  /** Open cases that the demo users' workbenches show whatever `now` is. */
  private planShowcases(workdays: number[], today: number): Omit<Arrival, 'order'>[] {
    const rng = this.rng.fork('showcases');
    const past = workdays.filter((d) => d < today);
    const wd = (k: number) => past[past.length - k];
    if (past.length < 12) return [];
    const user = (name: string) => this.world.users.find((u) => u.username === name);
    const gridUser = user('grid') ?? this.byRole.get('grid_worker')?.[0];
    const communityUser = user('community') ?? this.byRole.get('unit')?.find((u) => this.world.orgs.get(u.orgId)?.kind === 'community');
    const unitUser = user('unit') ?? this.byRole.get('unit')?.find((u) => this.world.orgs.get(u.orgId)?.kind === 'department');
    const out: Omit<Arrival, 'order'>[] = [];
    const add = (day: number, hours: [number, number], source: CaseSource, showcase: Showcase) => {
      const categoryCode = showcase.categories.find((code) => this.world.categories.has(code));
      if (!categoryCode || day === undefined) return;
      out.push({ at: this.dayTime(day, rng.float(hours[0], hours[1])), source, categoryCode, intent: 'showcase', showcase });
    };
    if (gridUser) {
      const gridId = gridUser.orgId;
      const inGrid = { gridId, categories: ['1401', '1109', '1407', '1101', '1201'] };
      out.push({ at: this.recentDaytime(20, 90, rng), source: 'hotline', categoryCode: '1407', intent: 'showcase', showcase: { ...inGrid, categories: ['1407', '1101'], holdIn: 'reported' } });
      out.push({ at: this.recentDaytime(100, 300, rng), source: 'hotline', categoryCode: '1109', intent: 'showcase', showcase: { ...inGrid, categories: ['1109', '1101'], holdIn: 'reported' } });
      add(wd(1), [15, 16.5], 'hotline', { ...inGrid, categories: ['1401', '1101'], holdIn: 'verifying' });
      add(wd(2), [9, 10.5], 'patrol', { gridId, categories: ['1101', '1201'], holdIn: 'feedback' });
      add(wd(3), [14.5, 16], 'patrol', { gridId, categories: ['1201', '1402'], holdIn: 'feedback' });
    }
    if (communityUser) {
      const unitId = communityUser.orgId;
      const mine = ['1201', '1101', '1402', '1407', '1104', '1107', '1108'];
      add(wd(1), [14.5, 16.5], 'office', { unitId, categories: mine, holdIn: 'dispatched' });
      add(wd(1), [9, 10.5], 'supervision', { unitId, categories: ['1201', '1101'], holdIn: 'dispatched' });
      add(wd(3), [9, 11], 'patrol', { unitId, categories: mine, holdIn: 'processing', late: true });
      add(wd(1), [9, 10], 'patrol', { unitId, categories: ['1201', '1107'], holdIn: 'processing' });
      add(wd(4), [9, 11], 'patrol', { unitId, categories: ['1109', '1110', '1201'], holdIn: 'extension_requested', extensionMark: 'commitment' });
    }
    if (unitUser) {
      const unitId = unitUser.orgId;
      const theirs = ['1401', '1404', '1406', '1403', '1202', '0202'];
      add(wd(1), [9, 10.5], 'supervision', { unitId, categories: theirs, holdIn: 'dispatched' });
      add(wd(1), [14.5, 16], 'office', { unitId, categories: ['0202', '0201', '1401'], holdIn: 'dispatched' });
      add(wd(2), [9, 11], 'patrol', { unitId, categories: theirs, holdIn: 'dispatched' });
      add(wd(3), [9, 10.5], 'patrol', { unitId, categories: theirs, holdIn: 'processing', late: true, supervise: true });
      add(wd(2), [14.5, 16], 'citizen_patrol', { unitId, categories: theirs, holdIn: 'processing', late: true });
      add(wd(1), [9, 10], 'office', { unitId, categories: ['0202', '0201', '1404'], holdIn: 'processing' });
      add(wd(5), [9, 11], 'patrol', { unitId, categories: ['0202', '0201', '1401'], holdIn: 'extension_requested', extensionMark: 'coordination' });
    }
    add(wd(1), [14.5, 16], 'patrol', { categories: ['1101', '1201', '1401'], holdIn: 'filed' });
    add(wd(2), [15, 16.5], 'citizen_patrol', { categories: ['1402', '1404'], holdIn: 'filed' });
    add(wd(2), [9, 10.5], 'patrol', { categories: ['1401', '1404', '1101'], holdIn: 'returned' });
    add(wd(1), [9, 10.5], 'office', { categories: ['1201', '1402'], holdIn: 'returned' });
    add(wd(9), [9, 11], 'patrol', { categories: ['1109', '0201', '1102'], holdIn: 'hung' });
    add(wd(6), [14.5, 16], 'hotline', { categories: ['1110', '1109', '1404'], holdIn: 'hung' });
    add(wd(1), [9, 10], 'media', { categories: ['1401', '1101'], holdIn: 'verifying' });
    add(wd(3), [9, 11], 'leader', { categories: ['1101', '1401'], holdIn: 'processing', late: true, supervise: true });
    return out;
  }

  // ---- taking one arrival in -------------------------------------------------------------------------------------

  private reporterFor(a: Arrival, place: WorldPlace, rng: Rng): WorldUser | null {
    switch (a.source) {
      case 'patrol':
        return this.gridWorker(place.gridId, rng) ?? this.anyOf('inspector', rng);
      case 'citizen_patrol':
        return this.anyOf('citizen_patrol', rng) ?? this.anyOf('office', rng);
      case 'hotline':
        return this.dispatcher(rng);
      case 'supervision':
        return a.enteredBy ?? this.anyOf('office', rng);
      case 'office':
      case 'media':
        return this.anyOf('office', rng) ?? this.dispatcher(rng);
      case 'leader':
        return this.anyOf('leader', rng) ?? this.anyOf('office', rng);
      default:
        return this.dispatcher(rng);
    }
  }

  private describe(a: Arrival, problem: string, at: number, rng: Rng): { description: string; ref: string | null; reporterName: string | null; reporterPhone: string | null } {
    switch (a.source) {
      case 'hotline': {
        const date = beijingDate(at).replace(/-/g, '');
        const n = (this.hotlineSeq.get(date) ?? rng.int(80, 400)) + rng.int(3, 40);
        this.hotlineSeq.set(date, n);
        const person = randomPersonName(rng);
        const name = rng.chance(0.35) ? `${person.surname}${rng.chance(0.5) ? '先生' : '女士'}` : person.displayName;
        return { description: `市民来电反映：${problem}，希望尽快处理。`, ref: `12345-${date}-${String(n).padStart(4, '0')}`, reporterName: name, reporterPhone: randomMobile(rng) };
      }
      case 'media': {
        const outlet = rng.pick(MEDIA_OUTLETS);
        return { description: `${outlet}报道：${problem}。`, ref: `${outlet} ${beijingDate(at)}`, reporterName: null, reporterPhone: null };
      }
      case 'leader':
        return { description: `街道领导检查时指出：${problem}，要求立即整改。`, ref: null, reporterName: null, reporterPhone: null };
      case 'citizen_patrol':
        return { description: `市民巡访团巡访发现：${problem}`, ref: null, reporterName: null, reporterPhone: null };
      case 'supervision':
        return { description: problem, ref: a.ref ?? null, reporterName: null, reporterPhone: null };
      default:
        return { description: problem, ref: null, reporterName: null, reporterPhone: null };
    }
  }

  private addressOf(anchor: WorldPoint): string | null {
    if (!anchor.address) return null;
    if (['residential', 'old_residential', 'market', 'park_square', 'construction_site', 'urban_fringe', 'school_area', 'hospital'].includes(anchor.typeCode)) return `${anchor.address}${placeName(anchor)}`;
    return anchor.address;
  }

  /** Picks where it happens; a normal problem avoids being a rebound or duplicate by accident when it can. */
  private place(a: Arrival, rng: Rng): Placement | null {
    if (a.intent === 'chronic' && a.chronic) {
      const spot = a.chronic;
      const [lng, lat] = this.jitter(spot.lng, spot.lat, rng, 0, 6);
      const place = this.world.locate(lng, lat);
      if (place) return { code: spot.code, anchor: spot.anchor, where: spot.where, lng, lat, place, mergeInto: null };
    }
    if (a.intent === 'rebound' || a.intent === 'duplicate') {
      const t = a.at;
      // Newest first; cases are kept in the order they were reported.
      const recent: SimCase[] = [];
      const oldest = t - (a.intent === 'rebound' ? 45 * DAY_MS : 36 * HOUR_MS);
      for (let i = this.cases.length - 1; i >= 0 && recent.length < 60 && this.cases[i].createdMs >= oldest; i -= 1) {
        const c = this.cases[i];
        const snap = this.snapshotAt(c, t);
        if (!snap) continue;
        const fits =
          a.intent === 'rebound'
            ? snap.status === 'closed' && snap.closedAt !== null && snap.closedAt >= t - 25 * DAY_MS && snap.closedAt <= t - 6 * HOUR_MS
            : c.createdMs <= t - 10 * MINUTE_MS && OPEN_STATES.includes(snap.status);
        if (fits) recent.push(c);
      }
      if (recent.length) {
        const earlier = rng.pick(recent);
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const [lng, lat] = this.jitter(earlier.row.lng, earlier.row.lat, rng, 3, 20);
          const place = this.world.locate(lng, lat);
          if (place) return { code: earlier.row.category_code, anchor: earlier.anchor, where: earlier.where, lng, lat, place, mergeInto: a.intent === 'duplicate' ? earlier : null };
        }
      }
    }
    const show = a.showcase;
    const codes = show ? show.categories.filter((code) => this.world.categories.has(code)) : [a.categoryCode];
    if (!codes.length) return null;
    let fallback: Placement | null = null;
    const tries = show ? 80 : 16;
    for (let attempt = 0; attempt < tries; attempt += 1) {
      const code = rng.pick(codes);
      const anchor = this.anchorFor(code, rng, show?.gridId !== undefined ? (p) => p.gridId === show.gridId : undefined);
      const [lng, lat] = this.sampleNear(anchor, rng);
      const place = this.world.locate(lng, lat);
      if (!place || (show?.gridId !== undefined && place.gridId !== show.gridId)) continue;
      if (show?.unitId !== undefined && this.route(code, this.matchPoint(lng, lat), place).unit?.id !== show.unitId) continue;
      const candidate = { code, anchor, where: spotAt(anchor, rng), lng, lat, place, mergeInto: null };
      fallback ??= candidate;
      if (this.closedNear(code, lng, lat, a.at)) continue;
      if (this.nearbyOpen(code, lng, lat, a.at, null).length && (show || rng.chance(0.8))) continue;
      return candidate;
    }
    return show ? null : fallback;
  }

  private take(a: Arrival, index: number) {
    const rng = this.rng.fork(`case:${index}`);
    const where = this.place(a, rng);
    if (!where) return;
    const category = this.world.categories.get(where.code);
    const script = SCRIPT_BY_CODE.get(where.code);
    if (!category || !script) return;
    const actor = this.reporterFor(a, where.place, rng);
    if (!actor) return;
    let problem = fillTemplate(rng.pick(script.problems), rng, where.where, placeName(where.anchor));
    if (a.intent === 'rebound' || a.intent === 'chronic') problem = rng.chance(0.5) ? `${problem}（此处此前已整改，现再次出现）` : problem;
    const text = this.describe(a, problem, a.at, rng);
    // Reporters who see an open case of the same problem right there usually join it (合并) instead of filing anew.
    const mergeAtIntake = where.mergeInto && (a.source === 'patrol' || a.source === 'citizen_patrol') && rng.chance(0.7) ? where.mergeInto : null;
    const dispatchNow = a.source === 'office' || a.source === 'supervision';
    let unitId: number | null = null;
    if (dispatchNow && !mergeAtIntake) {
      const routed = this.route(where.code, this.matchPoint(where.lng, where.lat), where.place).unit;
      if (!routed || !this.staffByUnit.get(routed.id)?.length) {
        const fallback = this.staffedUnitFor(where.place.communityId, where.code, where.anchor.guardOrgId);
        if (!fallback) return;
        unitId = fallback.id;
      }
    }
    const c = this.intake({
      at: a.at,
      actor,
      source: a.source,
      level: a.level ?? null,
      ref: text.ref,
      category,
      script,
      anchor: where.anchor,
      where: where.where,
      lng: where.lng,
      lat: where.lat,
      place: where.place,
      description: text.description,
      address: this.addressOf(where.anchor),
      reporterName: text.reporterName,
      reporterPhone: text.reporterPhone,
      mergeInto: mergeAtIntake,
      dispatch: dispatchNow && !mergeAtIntake,
      unitId,
      holdIn: a.showcase?.holdIn ?? null,
    });
    if (c.row.status === 'merged') return;
    if (a.showcase?.holdIn === 'reported') {
      c.halted = true;
      return;
    }
    // A duplicate that was not joined at once: the dispatcher merges it while it is still open.
    if (where.mergeInto && c.row.status === 'reported') {
      const at = this.work(c.lastAt, rng.float(10, 60));
      const snap = this.snapshotAt(where.mergeInto, at);
      if (snap && !['closed', 'rejected', 'merged'].includes(snap.status) && at <= this.nowMs) {
        this.act(c, 'merge', this.dispatcher(rng), at, { targetCaseId: where.mergeInto.row.id });
        return;
      }
    }
    this.live(a, c, rng);
  }

  run(): DemoCaseHistory {
    const arrivals = this.planArrivals();
    arrivals.forEach((a, index) => this.take(a, index));
    for (const c of this.cases) this.runDeadlineJob(c, this.nowMs);
    const events = [...this.events].sort((a, b) => a.at - b.at || a.seq - b.seq);
    const firstEvent = this.world.firstIds.eventId;
    return {
      cases: this.cases.map((c) => c.row),
      events: events.map<CaseEventRow>((e, i) => ({
        id: firstEvent + i,
        case_id: e.caseId,
        at: iso(e.at),
        actor_id: e.actor?.id ?? null,
        actor_name: e.actor?.displayName ?? null,
        actor_org: e.actor?.orgName ?? null,
        action: e.action,
        from_status: e.from,
        to_status: e.to,
        note: e.note,
        data: e.data === undefined ? null : JSON.stringify(e.data),
        deadline: e.deadline,
      })),
      spots: this.spots,
    };
  }
}

/** The history for a world, deterministic for a seed and `now` (pure: no I/O). */
export function simulateDemoCases(world: DemoCaseWorld, opts: SimulateOptions): DemoCaseHistory {
  return new Simulation(world, opts).run();
}

// ---------------------------------------------------------------------------------------------------------------
// Writing it

export interface DemoCasesResult {
  cases: number;
  events: number;
  reboundSpots: number;
  /** Milliseconds spent reading the world and simulating, and writing the rows. */
  simulateMs: number;
  insertMs: number;
}

export interface DemoCasesOptions {
  now?: Date;
  seed?: number;
  days?: number;
  streetId?: number;
}

/**
 * Simulates the history and writes it with multi-row inserts. Call it inside the demo's transaction (`db` is the
 * open transaction): every read goes through it. Returns null when the street has no points or people.
 */
export async function loadDemoCases(db: Executor, options: DemoCasesOptions = {}): Promise<DemoCasesResult | null> {
  const t0 = performance.now();
  await seedBaseline(db);
  const world = await loadDemoCaseWorld(db, options.streetId);
  if (!world || !world.categories.size) return null;
  const history = simulateDemoCases(world, { now: options.now ?? new Date(), seed: options.seed, days: options.days });
  const t1 = performance.now();
  await insertDemoHistory(db, history);
  return { cases: history.cases.length, events: history.events.length, reboundSpots: history.spots.length, simulateMs: Math.round(t1 - t0), insertMs: Math.round(performance.now() - t1) };
}

/** Bulk insert with explicit ids (so links between rows hold), then move PostgreSQL's sequences past them. */
export async function insertDemoHistory(db: Executor, history: DemoCaseHistory): Promise<void> {
  forgetCaseCounts(); // rows written behind the case repository's back: cached lists must not survive them
  // Parameters per statement stay well under SQLite's 32,766 and PostgreSQL's 65,535.
  for (let i = 0; i < history.cases.length; i += 500) await db.insertInto('cases').values(history.cases.slice(i, i + 500)).execute();
  for (let i = 0; i < history.events.length; i += 2500) await db.insertInto('case_events').values(history.events.slice(i, i + 2500)).execute();
  for (let i = 0; i < history.spots.length; i += 500) await db.insertInto('rebound_spots').values(history.spots.slice(i, i + 500)).execute();
  if (isPostgres(db)) {
    for (const table of ['cases', 'case_events', 'rebound_spots']) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${sql.table(table)}), 1))`.execute(db);
    }
  }
}
