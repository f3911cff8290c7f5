import { describe, expect, it } from 'vitest';
import { checkAttrs } from './attrs.js';
import type { PointTypeField } from '../../../core/places.js';

const FIELDS: PointTypeField[] = [
  { key: 'households', zh: '户数', en: 'Households', type: 'integer', min: 0, max: 100000 },
  { key: 'lengthM', zh: '长度', en: 'Length', type: 'number', unit: 'm', min: 0 },
  { key: 'note', zh: '备注', en: 'Note', type: 'string' },
];

describe('checkAttrs', () => {
  it.each([
    [{ households: 12 }, {}, { households: 12 }],
    [{ lengthM: 12.5 }, {}, { lengthM: 12.5 }],
    [{ note: '南门' }, {}, { note: '南门' }],
    [{ households: null, lengthM: '' }, {}, {}],
    [{ households: '300' }, { fromText: true }, { households: 300 }],
    [{ lengthM: ' 12.5 ' }, { fromText: true }, { lengthM: 12.5 }],
    [{ note: '12' }, { fromText: true }, { note: '12' }],
  ])('keeps %j (%j) as %j', (input, opts, attrs) => {
    expect(checkAttrs(FIELDS, input, opts)).toEqual({ attrs, errors: [] });
  });

  it.each([
    [{ floors: 3 }, 'floors', 'is not a field of this point type'],
    [{ households: 1.5 }, 'households', 'must be a whole number'],
    [{ households: -1 }, 'households', 'must be at least 0'],
    [{ households: 100001 }, 'households', 'must be at most 100000'],
    [{ households: '300' }, 'households', 'must be a number'],
    [{ lengthM: Number.NaN }, 'lengthM', 'must be a number'],
    [{ lengthM: true }, 'lengthM', 'must be a number'],
    [{ note: 5 }, 'note', 'must be text'],
    [{ note: 'x'.repeat(201) }, 'note', 'must be at most 200 characters'],
  ])('rejects %j', (input, key, reason) => {
    const r = checkAttrs(FIELDS, input);
    expect(r.errors).toEqual([{ key, reason }]);
    expect(r.attrs).toEqual({});
  });

  it('names the type in its reason and reports every bad field', () => {
    const r = checkAttrs(FIELDS, { a: 1, households: -5, note: 'ok' }, { typeName: 'residential' });
    expect(r.errors).toEqual([
      { key: 'a', reason: 'is not a field of residential' },
      { key: 'households', reason: 'must be at least 0' },
    ]);
    expect(r.attrs).toEqual({ note: 'ok' });
  });
});
