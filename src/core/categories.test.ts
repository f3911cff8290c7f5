import { describe, expect, it } from 'vitest';
import {
  CATEGORY_SEED,
  categoryLevel,
  checkCategoryCode,
  checkCategoryDraft,
  checkDefaultUnitType,
  describeDefaultUnitType,
  effectiveTimeLimit,
  formatTimeLimit,
  parentCodeOf,
  parseDefaultUnitType,
  type CategoryDraft,
} from './categories.js';
import { validateTimeLimit } from './calendar/index.js';

describe('category codes', () => {
  it.each([
    ['01', 'major', null, null],
    ['0101', 'minor', '01', null],
    ['1499', 'minor', '14', null],
    ['00', 'major', null, 'a 大类 code cannot be 00'],
    ['1400', 'minor', '14', 'the last two digits of a 小类 code cannot be 00'],
    ['1', null, null, 'a code has 2 digits (大类) or 4 digits (小类)'],
    ['014', null, null, 'a code has 2 digits (大类) or 4 digits (小类)'],
    ['01a1', null, null, 'a code has 2 digits (大类) or 4 digits (小类)'],
    ['010101', null, null, 'a code has 2 digits (大类) or 4 digits (小类)'],
  ])('%s: level %s, parent %s, problem %s', (code, level, parent, problem) => {
    expect(categoryLevel(code)).toBe(level);
    expect(parentCodeOf(code)).toBe(parent);
    expect(checkCategoryCode(code)).toBe(problem);
  });
});

describe('default responsible unit type', () => {
  it.each([
    ['community', { type: 'community' }],
    ['guard', { type: 'guard' }],
    ['department:城管', { type: 'org', orgKind: 'department', name: '城管' }],
    ['property_company: 华通 ', { type: 'org', orgKind: 'property_company', name: '华通' }],
    ['stationed_unit:医院', { type: 'org', orgKind: 'stationed_unit', name: '医院' }],
    ['department', null],
    ['department:', null],
    ['grid:1', null],
    ['street:城管', null],
    ['department:a:b', null],
    ['', null],
    [null, null],
  ])('%j parses to %j', (text, parsed) => {
    expect(parseDefaultUnitType(text)).toEqual(parsed);
  });

  it.each([
    [null, true],
    ['', true],
    ['community', true],
    ['department:城管', true],
    ['department', false],
    ['x'.repeat(61), false],
  ])('%j is acceptable: %s', (text, ok) => {
    expect(checkDefaultUnitType(text) === null).toBe(ok);
  });

  it.each([
    ['department:城管', 'zh-CN', '街道部门：城管'],
    ['guard', 'zh-CN', '点位包保单位'],
    [null, 'zh-CN', '网格属地社区（兜底）'],
    ['community', 'en-US', 'community of the location'],
    ['property_company:华通', 'en-US', 'property company "华通"'],
  ] as const)('%j reads as %s in %s', (text, lang, label) => {
    expect(describeDefaultUnitType(text, lang)).toBe(label);
  });
});

describe('formatTimeLimit', () => {
  it.each([
    [{ unit: 'work_hours', value: 4 }, 'zh-CN', '4 个工作时'],
    [{ unit: 'work_hours', value: 0.5 }, 'zh-CN', '0.5 个工作时'],
    [{ unit: 'work_days', value: 20 }, 'zh-CN', '20 个工作日'],
    [{ unit: 'clock_hours', value: 6 }, 'zh-CN', '6 小时（全天候）'],
    [{ unit: 'work_hours', value: 1 }, 'en-US', '1 work hour'],
    [{ unit: 'work_days', value: 2 }, 'en-US', '2 work days'],
    [{ unit: 'clock_hours', value: 6 }, 'en-US', '6 hours round the clock'],
    [null, 'zh-CN', '未设定'],
  ] as const)('%j in %s → %s', (limit, lang, text) => {
    expect(formatTimeLimit(limit, lang)).toBe(text);
  });

  it('falls back to the 大类 limit', () => {
    expect(effectiveTimeLimit(null, { unit: 'work_days', value: 1 })).toEqual({ unit: 'work_days', value: 1 });
    expect(effectiveTimeLimit({ unit: 'work_hours', value: 2 }, { unit: 'work_days', value: 1 })).toEqual({ unit: 'work_hours', value: 2 });
    expect(effectiveTimeLimit(null, null)).toBeNull();
  });
});

describe('checkCategoryDraft', () => {
  const ok: CategoryDraft = { kind: 'event', code: '1401', nameZh: '机动车乱停放', timeLimit: { unit: 'work_hours', value: 2 }, urgent: false, defaultUnitType: null };
  it.each([
    [{}, []],
    [{ code: '14', timeLimit: null }, []],
    [{ code: '1400' }, ['code']],
    [{ nameZh: '  ' }, ['nameZh']],
    [{ timeLimit: null }, ['timeLimit']],
    [{ timeLimit: { unit: 'work_hours', value: 0 } }, ['timeLimit.value']],
    [{ timeLimit: { unit: 'work_days', value: 251 } }, ['timeLimit.value']],
    [{ timeLimit: { unit: 'fortnights', value: 1 } }, ['timeLimit.unit']],
    [{ urgent: true }, ['timeLimit.unit']],
    [{ urgent: true, timeLimit: { unit: 'clock_hours', value: 6 } }, []],
    [{ urgent: true, code: '14', timeLimit: null }, ['timeLimit']],
    [{ defaultUnitType: 'somebody' }, ['defaultUnitType']],
  ] as const)('%j → problems in %j', (patch, fields) => {
    const problems = checkCategoryDraft({ ...ok, ...(patch as Partial<CategoryDraft>) });
    expect(problems.map((p) => p.field)).toEqual(fields);
  });
});

describe('CATEGORY_SEED', () => {
  const byName = (zh: string) => CATEGORY_SEED.find((c) => c.zh === zh);

  it('has unique codes, and every 小类 sits under a 大类 of its own kind', () => {
    const codes = CATEGORY_SEED.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CATEGORY_SEED) {
      const parent = parentCodeOf(c.code);
      if (!parent) continue;
      const major = CATEGORY_SEED.find((m) => m.code === parent);
      expect(major, c.code).toBeDefined();
      expect(major!.kind, c.code).toBe(c.kind);
    }
  });

  it('passes the same checks as an office edit', () => {
    for (const c of CATEGORY_SEED) {
      const problems = checkCategoryDraft({ kind: c.kind, code: c.code, nameZh: c.zh, timeLimit: c.limit ?? null, urgent: c.urgent ?? false, defaultUnitType: c.defaultUnit ?? null });
      expect(problems, c.code).toEqual([]);
      if (c.limit) expect(validateTimeLimit(c.limit)).toBeNull();
      expect(c.filing.length, c.code).toBeGreaterThan(3);
      expect(c.closing.length, c.code).toBeGreaterThan(3);
    }
  });

  it('holds the 大类 of domain.md', () => {
    const majors = (kind: string) => CATEGORY_SEED.filter((c) => c.kind === kind && categoryLevel(c.code) === 'major').map((c) => c.zh);
    expect(majors('event')).toEqual(['市容环境', '宣传广告', '施工管理', '街面秩序', '突发事件']);
    expect(majors('component')).toEqual(['公用设施', '道路交通', '市容环境', '园林绿化', '房屋土地', '其他']);
  });

  it.each([
    ['暴露垃圾', { unit: 'work_hours', value: 4 }, false],
    ['道路不洁', { unit: 'work_hours', value: 2 }, false],
    ['街头张贴小广告', { unit: 'work_days', value: 1 }, false],
    ['机动车乱停放', { unit: 'work_hours', value: 2 }, false],
    ['非机动车乱停放', { unit: 'work_hours', value: 2 }, false],
    ['违法搭建（制止）', { unit: 'work_hours', value: 4 }, false],
    ['违法搭建（拆除）', { unit: 'work_days', value: 20 }, false],
    ['井盖缺损', { unit: 'clock_hours', value: 6 }, true],
  ])('%s has the limit of domain.md', (zh, limit, urgent) => {
    const c = byName(zh);
    expect(c?.limit).toEqual(limit);
    expect(c?.urgent ?? false).toBe(urgent);
  });

  it.each([
    '积存垃圾渣土', '绿地脏乱', '无照游商', '店外经营/占道经营', '散发小广告', '未经批准设置广告牌', '露天烧烤', '乱堆物料', '沿街晾挂',
    '飞线充电', '楼道堆物', '不文明养犬', '公益广告缺失/破损', '路灯不亮', '盲道占用',
  ])('includes %s with a limit', (zh) => {
    expect(byName(zh)?.limit).toBeDefined();
  });
});
