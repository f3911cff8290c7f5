import { describe, expect, it } from 'vitest';
import { categoryResolver, parseBeijingTime, parseCoordinate, parseDate, parseDayKind, parseFlag, parseLevel, parsePhone } from './parse.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

describe('parseBeijingTime', () => {
  it.each([
    ['2026-05-08 09:30', '2026-05-08T01:30:00.000Z'],
    ['2026/5/8 9:30', '2026-05-08T01:30:00.000Z'],
    ['2026年5月8日 09:30', '2026-05-08T01:30:00.000Z'],
    ['2026年5月8日', '2026-05-07T16:00:00.000Z'],
    ['2026.05.08 09:30:15', '2026-05-08T01:30:15.000Z'],
    ['20260508', '2026-05-07T16:00:00.000Z'],
    // ExcelJS reads a date cell as if it were UTC; the wall clock in it is Beijing time.
    ['2026-05-08T09:30:00.000Z', '2026-05-08T01:30:00.000Z'],
    // A date cell formatted as a number: Excel serial days (46150 = 2026-05-08).
    ['46150.5', '2026-05-08T04:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseBeijingTime(text, NOW)).toEqual({ ok: true, value: iso });
  });

  it.each(['yesterday', '2026-02-30 09:00', '2026-05-08 25:00', '1999-12-31', '2026-06-03 10:00', ''])('refuses %j', (text) => {
    expect(parseBeijingTime(text, NOW).ok).toBe(false);
  });
});

describe('parseDate', () => {
  it.each([
    ['2027-01-01', '2027-01-01'],
    ['2027/1/1', '2027-01-01'],
    ['2027年2月6日', '2027-02-06'],
    ['20271001', '2027-10-01'],
    ['2027-01-01T00:00:00.000Z', '2027-01-01'],
  ])('reads %s', (text, date) => expect(parseDate(text)).toEqual({ ok: true, value: date }));

  it.each(['2027-02-29', '2027-13-01', '1999-01-01', 'next monday', '27-01-01'])('refuses %s', (text) => expect(parseDate(text).ok).toBe(false));
});

describe('small cells', () => {
  it.each([
    ['市级', 'city'],
    ['市', 'city'],
    ['区级', 'district'],
    ['区级通报', 'district'],
    ['街道', 'street'],
    ['Street', 'street'],
  ])('level %s → %s', (text, level) => expect(parseLevel(text)).toEqual({ ok: true, value: level }));

  it('refuses an unknown level', () => expect(parseLevel('省级').ok).toBe(false));

  it.each([
    ['上班', 'workday'],
    ['补班', 'workday'],
    ['workday', 'workday'],
    ['放假', 'holiday'],
    ['休', 'holiday'],
    ['Holiday', 'holiday'],
  ])('day kind %s → %s', (text, kind) => expect(parseDayKind(text)).toEqual({ ok: true, value: kind }));

  it('refuses an unknown day kind', () => expect(parseDayKind('rest').ok).toBe(false));

  it.each([
    ['true', true],
    ['是', true],
    ['0', false],
    ['no', false],
    ['maybe', null],
    [undefined, null],
  ])('flag %j → %j', (text, flag) => expect(parseFlag(text)).toBe(flag));

  it.each([
    ['118.0523', 118.0523],
    ['-33.5', -33.5],
  ])('coordinate %s', (text, v) => expect(parseCoordinate(text, -180, 180)).toEqual({ ok: true, value: v }));

  it.each(['118,05', '200', 'east', '1e2'])('refuses coordinate %s', (text) => expect(parseCoordinate(text, -180, 180).ok).toBe(false));

  it.each([
    ['139 1234 5678', '13912345678'],
    ['0533-1234567', '05331234567'],
    ['+86 13912345678', '+8613912345678'],
  ])('phone %s → %s', (text, phone) => expect(parsePhone(text)).toEqual({ ok: true, value: phone }));

  it.each(['call me', '12', '1391234567812345678901'])('refuses phone %s', (text) => expect(parsePhone(text).ok).toBe(false));
});

describe('categoryResolver', () => {
  const resolve = categoryResolver(
    [
      { code: '14', nameZh: '街面秩序', nameEn: 'Street order', minor: false, active: true },
      { code: '1401', nameZh: '机动车乱停放', nameEn: 'Disorderly car parking', minor: true, active: true },
      { code: '1402', nameZh: '非机动车乱停放', nameEn: 'Disorderly bicycle parking', minor: true, active: true },
      { code: '1105', nameZh: '违法搭建（制止）', nameEn: 'Illegal construction (stop)', minor: true, active: true },
      { code: '1106', nameZh: '违法搭建（拆除）', nameEn: 'Illegal construction (removal)', minor: true, active: true },
      { code: '1201', nameZh: '街头张贴小广告', nameEn: 'Illegal small ads posted', minor: true, active: true },
      { code: '1502', nameZh: '树木倒伏（紧急）', nameEn: 'Fallen tree', minor: true, active: true },
      { code: '1199', nameZh: '旧类别', nameEn: 'Old', minor: true, active: false },
    ],
    [
      { keyword: '单车', categoryCode: '1402' },
      { keyword: '停车', categoryCode: '1401' },
    ],
  );

  it.each([
    ['1401', '1401'],
    ['1401 机动车乱停放', '1401'],
    ['机动车乱停放', '1401'],
    ['Disorderly car parking', '1401'],
    ['违法搭建(制止)', '1105'],
    ['树木倒伏', '1502'],
    ['城市管理-乱停车', '1401'],
    ['共享单车乱停车', '1402'],
  ])('%s → %s', (text, code) => expect(resolve(text)).toEqual({ ok: true, value: code }));

  it.each([
    ['14', '大类'],
    ['9999', 'unknown category code'],
    ['1199', 'inactive'],
    ['噪音扰民', 'unknown category'],
    ['违法搭建', '多个小类'],
  ])('refuses %s (%s)', (text, why) => {
    const r = resolve(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(why);
  });

  it('uses only keywords when asked (a guess from free text)', () => {
    expect(resolve('1401', { keywordsOnly: true }).ok).toBe(false);
    expect(resolve('门口总有人乱停车', { keywordsOnly: true })).toEqual({ ok: true, value: '1401' });
  });
});
