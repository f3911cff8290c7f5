import { describe, expect, it } from 'vitest';
import { POINT_TYPE_SEED } from '../places.js';
import { checkStandard, checklistFor, compareCodes, itemNodeCode, nodeLevelOf, parentNodeCode, checkItem, checkNode } from './model.js';
import { STANDARD_SEED_ITEMS, STANDARD_SEED_NODES } from './seed.js';
import { scoreItem } from './rules.js';

const known = new Set(POINT_TYPE_SEED.map((t) => t.code));

describe('seed standard', () => {
  it('is a valid standard of at least 40 items', () => {
    expect(STANDARD_SEED_ITEMS.length).toBeGreaterThanOrEqual(40);
    expect(checkStandard(STANDARD_SEED_NODES, STANDARD_SEED_ITEMS, known)).toEqual([]);
  });

  it('has field checklists for at least 6 point types, including the ones domain.md names', () => {
    const types = new Set(STANDARD_SEED_ITEMS.flatMap((i) => i.pointTypes));
    expect(types.size).toBeGreaterThanOrEqual(6);
    for (const t of ['main_road', 'commercial_street', 'market', 'residential', 'old_residential', 'construction_site', 'back_street', 'park_square']) {
      expect(checklistFor(STANDARD_SEED_ITEMS, t).length, t).toBeGreaterThanOrEqual(3);
    }
  });

  it('uses every method and every rule kind', () => {
    expect(new Set(STANDARD_SEED_ITEMS.flatMap((i) => i.methods))).toEqual(new Set(['field', 'questionnaire', 'document']));
    expect(new Set(STANDARD_SEED_ITEMS.map((i) => i.rule.kind))).toEqual(new Set(['pass_fail', 'per_missing', 'per_occurrence']));
  });

  it('scores the market examples of domain.md as the office expects', () => {
    const byText = (s: string) => STANDARD_SEED_ITEMS.find((i) => i.text.includes(s))!;
    expect(scoreItem(byText('公益广告不少于5处').rule, { count: 3 }).earned).toBe(6);
    expect(scoreItem(byText('无乱扔垃圾').rule, { occurrences: 2, fixedOnSpot: 2 }).earned).toBe(4);
    expect(scoreItem(byText('公平秤').rule, { passed: false }).earned).toBe(0);
  });

  it('gives every field checklist a whole score: a perfect point earns all its points', () => {
    for (const t of known) {
      const list = checklistFor(STANDARD_SEED_ITEMS, t);
      for (const item of list) expect(scoreItem(item.rule, { passed: true, count: 10000, occurrences: 0 }).earned).toBe(item.rule.points);
    }
  });
});

describe('codes and checks', () => {
  it.each<[string, number | null, string | null]>([
    ['1', 1, null],
    ['1.2', 2, '1'],
    ['1.2.13', 3, '1.2'],
    ['1.2.3.4', null, '1.2.3'],
    ['0.1', null, '0'],
    ['a', null, null],
  ])('node code %s', (code, level, parent) => {
    expect(nodeLevelOf(code)).toBe(level);
    expect(parentNodeCode(code)).toBe(parent);
  });

  it.each<[string, string | null]>([
    ['3.2.1-4', '3.2.1'],
    ['3.2-4', null],
    ['3.2.1-0', null],
    ['3.2.1', null],
  ])('item code %s', (code, node) => expect(itemNodeCode(code)).toBe(node));

  it('orders codes naturally', () => {
    expect(['1.10', '1.2', '1.2.1-10', '1.2.1-9', '2'].sort(compareCodes)).toEqual(['1.2', '1.2.1-9', '1.2.1-10', '1.10', '2']);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['bad code', { code: '1-1' }, 'code'],
    ['no text', { text: ' ' }, 'text'],
    ['no method', { methods: [] }, 'methods'],
    ['unknown method', { methods: ['phone'] }, 'methods'],
    ['twice a method', { methods: ['field', 'field'] }, 'methods'],
    ['field without point types', { pointTypes: [] }, 'pointTypes'],
    ['questionnaire with point types', { methods: ['questionnaire'] }, 'pointTypes'],
    ['unknown point type', { pointTypes: ['moon'] }, 'pointTypes'],
    ['bad rule', { rule: { kind: 'pass_fail', points: -1 } }, 'rule.points'],
  ])('item check: %s', (_n, patch, field) => {
    const base = { code: '1.1.1-1', text: '无乱扔垃圾', methods: ['field'], pointTypes: ['market'], rule: { kind: 'pass_fail', points: 2 } };
    expect(checkItem({ ...base, ...patch } as never, known)[0]?.field).toBe(field);
  });

  it('node check and standard consistency', () => {
    expect(checkNode({ level: 2, code: '1', name: 'x' })[0]?.field).toBe('level');
    expect(checkNode({ code: '1', name: '' })[0]?.field).toBe('name');
    const problems = checkStandard([{ level: 2, code: '1.1', name: 'x' }], [{ code: '1.1.1-1', text: 't', methods: ['document'], pointTypes: [], rule: { kind: 'pass_fail', points: 1 } }]);
    expect(problems.map((p) => p.reason)).toEqual(['node 1.1 has no parent 1', 'item 1.1.1-1 needs the 测评内容 1.1.1']);
  });
});
