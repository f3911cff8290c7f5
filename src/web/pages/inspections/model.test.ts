import { describe, expect, it } from 'vitest';
import type { ScoringRule } from '../../../core/standards/rules.js';
import type { ChecklistItem, QueuedItem } from '../../lib/offline/types.js';
import {
  checkinMeters, cleanObservation, defaultObservation, failuresOf, formatDelta, formatDistance, formProblems, groupByPath, needsPhoto, newKey, percent, previewScore,
} from './model.js';

const passFail: ScoringRule = { kind: 'pass_fail', points: 2 };
const perMissing: ScoringRule = { kind: 'per_missing', points: 4, required: 2, step: 2 };
const perOccurrence: ScoringRule = { kind: 'per_occurrence', points: 3, step: 1, fixedOnSpotFactor: 0.5 };

const checklist: ChecklistItem[] = [
  { id: 1, code: '1.1.1-1', text: 'a', rule: perOccurrence, ruleText: '', points: 3, nodePath: '社会文明程度 / 公共秩序 / 道路交通秩序' },
  { id: 2, code: '1.2.1-7', text: 'b', rule: perMissing, ruleText: '', points: 4, nodePath: '社会文明程度 / 宣传氛围 / 公益广告设置' },
  { id: 3, code: '1.1.1-2', text: 'c', rule: passFail, ruleText: '', points: 2, nodePath: '社会文明程度 / 公共秩序 / 道路交通秩序' },
];

const obs = (code: string, o: Partial<QueuedItem>): QueuedItem => ({ code, photoKeys: [], ...o });

describe('the phone form', () => {
  it('groups the checklist by its node path in the kit order', () => {
    expect(groupByPath(checklist).map((g) => [g.path, g.items.map((i) => i.code)])).toEqual([
      ['社会文明程度 / 公共秩序 / 道路交通秩序', ['1.1.1-1', '1.1.1-2']],
      ['社会文明程度 / 宣传氛围 / 公益广告设置', ['1.2.1-7']],
    ]);
  });

  it('starts every item as fine', () => {
    expect(defaultObservation(passFail)).toMatchObject({ passed: true });
    expect(defaultObservation(perMissing)).toMatchObject({ count: 2 });
    expect(defaultObservation(perOccurrence)).toMatchObject({ occurrences: 0 });
    for (const item of checklist) expect(failuresOf(item.rule, defaultObservation(item.rule))).toBe(0);
  });

  it('counts failures per rule kind', () => {
    expect(failuresOf(passFail, { passed: false })).toBe(1);
    expect(failuresOf(perMissing, { count: 0 })).toBe(2);
    expect(failuresOf(perMissing, { count: 5 })).toBe(0);
    expect(failuresOf(perOccurrence, { occurrences: 3 })).toBe(3);
    expect(failuresOf(perOccurrence, { occurrences: 3, notApplicable: true })).toBe(0);
  });

  it('asks for a photo only while a failure is left unfixed', () => {
    expect(needsPhoto(passFail, obs('x', { passed: false }))).toBe(true);
    expect(needsPhoto(passFail, obs('x', { passed: false, fixedOnSpot: 1 }))).toBe(false);
    expect(needsPhoto(perOccurrence, obs('x', { occurrences: 2, fixedOnSpot: 1 }))).toBe(true);
    expect(needsPhoto(perMissing, obs('x', { count: 2 }))).toBe(false);
  });

  it('sends only the fields a rule uses, fixed-on-the-spot clamped, no photos or note on a passed item', () => {
    expect(cleanObservation(passFail, obs('a', { passed: true, count: 3, fixedOnSpot: 1, note: 'x', photoKeys: ['p'] }))).toEqual({ code: 'a', passed: true, fixedOnSpot: 0, photoKeys: [] });
    expect(cleanObservation(perOccurrence, obs('b', { occurrences: 2, fixedOnSpot: 5, note: ' 乱停 ', photoKeys: ['p'] }))).toEqual({ code: 'b', occurrences: 2, fixedOnSpot: 2, note: '乱停', photoKeys: ['p'] });
    expect(cleanObservation(perMissing, obs('c', { notApplicable: true, count: 0 }))).toEqual({ code: 'c', notApplicable: true, photoKeys: [] });
  });

  it('refuses to save failed items without a photo and values out of range', () => {
    const observations = {
      '1.1.1-1': obs('1.1.1-1', { occurrences: 1 }),
      '1.2.1-7': obs('1.2.1-7', { count: -1 }),
      '1.1.1-2': obs('1.1.1-2', { passed: false, photoKeys: ['ph'] }),
    };
    expect(formProblems(checklist, observations)).toEqual([
      { code: '1.1.1-1', kind: 'photo' },
      { code: '1.2.1-7', kind: 'invalid', detail: expect.stringContaining('count') },
    ]);
  });

  it('previews the score the server will compute', () => {
    const observations = {
      '1.1.1-1': obs('1.1.1-1', { occurrences: 2, fixedOnSpot: 1 }),
      '1.2.1-7': obs('1.2.1-7', { count: 1 }),
      '1.1.1-2': obs('1.1.1-2', { passed: true }),
    };
    // per occurrence: −1 unfixed, −0.5 fixed → 1.5/3; per missing: 1 missing → 2/4; pass → 2/2.
    expect(previewScore(checklist, observations)).toMatchObject({ earned: 5.5, possible: 9 });
    expect(previewScore(checklist, { ...observations, '1.2.1-7': obs('1.2.1-7', { count: 1.5 }) })).toBeNull();
  });
});

describe('display helpers', () => {
  it('formats rates, changes and distances', () => {
    expect(percent(0.9283)).toBe('92.8%');
    expect(percent(null)).toBe('—');
    expect(formatDelta(0.0183)).toBe('+1.8');
    expect(formatDelta(-0.02)).toBe('−2.0');
    expect(formatDelta(0.0001)).toBe('0.0');
    expect(formatDelta(null)).toBeNull();
    expect(formatDistance(35.4, 'zh-CN')).toBe('35 米');
    expect(formatDistance(1630, 'zh-CN')).toBe('1.6 公里');
    expect(formatDistance(1630, 'en-US')).toBe('1.6 km');
  });

  it('measures a check-in to the point’s shape like the server (0 inside a compound)', () => {
    const compound = {
      lat: 36.8,
      lng: 118.03,
      geometry: { type: 'Polygon' as const, coordinates: [[[118.029, 36.799], [118.031, 36.799], [118.031, 36.801], [118.029, 36.801], [118.029, 36.799]]] },
    };
    expect(checkinMeters(compound, { lat: 36.8005, lng: 118.0295 })).toBe(0);
    expect(checkinMeters({ lat: 36.8, lng: 118.03 }, { lat: 36.8009, lng: 118.03 })).toBeGreaterThan(95);
    expect(checkinMeters({ lat: 36.8, lng: 118.03 }, { lat: 36.8009, lng: 118.03 })).toBeLessThan(105);
  });

  it('makes idempotency keys the server accepts', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newKey()));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_\-:.]{8,64}$/);
  });
});
