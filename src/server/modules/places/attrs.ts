// Type-specific attributes of a point (户数 for a compound, 长度 for a road…), checked against the point type's
// field list, which the campaign office may edit. Pure: the service and the importers share it.
import type { PointTypeField } from '../../../core/places.js';

export type AttrValue = number | string;
export type AttrErrors = { key: string; reason: string }[];

export interface AttrCheck {
  attrs: Record<string, AttrValue>;
  errors: AttrErrors;
}

/**
 * Keeps known fields with values of the right type and range; null or blank values are dropped. With `fromText`
 * (spreadsheet cells) numeric text is read as a number.
 */
export function checkAttrs(fields: readonly PointTypeField[], input: Record<string, unknown>, opts: { fromText?: boolean; typeName?: string } = {}): AttrCheck {
  const attrs: Record<string, AttrValue> = {};
  const errors: AttrErrors = [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const [key, raw] of Object.entries(input)) {
    if (raw === null || raw === undefined || raw === '') continue;
    const field = byKey.get(key);
    if (!field) {
      errors.push({ key: key.slice(0, 40), reason: `is not a field of ${opts.typeName ?? 'this point type'}` });
      continue;
    }
    let value: unknown = raw;
    if (field.type !== 'string' && opts.fromText && typeof raw === 'string') {
      const text = raw.trim();
      value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : raw;
    }
    if (field.type === 'string') {
      if (typeof value !== 'string') errors.push({ key, reason: 'must be text' });
      else if (value.length > 200) errors.push({ key, reason: 'must be at most 200 characters' });
      else attrs[key] = value.replaceAll('\u0000', '');
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push({ key, reason: 'must be a number' });
      continue;
    }
    if (field.type === 'integer' && !Number.isInteger(value)) {
      errors.push({ key, reason: 'must be a whole number' });
      continue;
    }
    if (field.min !== undefined && value < field.min) {
      errors.push({ key, reason: `must be at least ${field.min}` });
      continue;
    }
    if (field.max !== undefined && value > field.max) {
      errors.push({ key, reason: `must be at most ${field.max}` });
      continue;
    }
    attrs[key] = value;
  }
  return { attrs, errors };
}
