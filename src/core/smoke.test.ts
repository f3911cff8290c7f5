import { describe, expect, it } from 'vitest';
import { checkOrgCode } from './org.js';
import { maskPhone, can } from './roles.js';

describe('org codes', () => {
  it.each([
    ['grid', '370303010001001', '370303010001', null],
    ['grid', '37030301000100', '370303010001', 'a grid code has 15 digits, not 14'],
    ['grid', '37030301000100A', '370303010001', 'a code has digits only'],
    ['grid', '370303010002001', '370303010001', "the code must start with the parent's code 370303010001"],
    ['community', '370303010000', '370303010', 'the last three digits cannot be 000'],
    ['department', null, '370303010', null],
  ] as const)('%s %s', (kind, code, parent, expected) => {
    expect(checkOrgCode(kind, code, parent)).toBe(expected);
  });
});

describe('roles', () => {
  it('masks phones', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
  });
  it('grants by role', () => {
    expect(can('office', 'org.write')).toBe(true);
    expect(can('unit', 'org.write')).toBe(false);
  });
});
