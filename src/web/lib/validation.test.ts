import { describe, expect, it } from 'vitest';
import { rowReportCsv } from './csv.js';
import { isStrongPassword } from './forms.js';
import { safeNext, validTileUrl } from './validation.js';

describe('safeNext', () => {
  it.each([
    [null, '/'],
    ['/points?type=bus_stop', '/points?type=bus_stop'],
    ['//evil.example/x', '/'],
    ['https://evil.example', '/'],
    ['/login?next=/x', '/'],
  ])('%s → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe('validTileUrl', () => {
  it.each([
    ['', true],
    ['https://tile.openstreetmap.org/{z}/{x}/{y}.png', true],
    ['https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}', true],
    ['ftp://x/{z}/{x}/{y}', false],
    ['https://tile.example/{z}/{x}.png', false],
    ['javascript:alert(1)//{z}{x}{y}', false],
  ])('%s → %s', (url, ok) => {
    expect(validTileUrl(url)).toBe(ok);
  });
});

describe('isStrongPassword', () => {
  it.each([
    ['wenming-demo', false],
    ['abc12345', true],
    ['12345678', false],
    ['abc123', false],
  ])('%s → %s', (password, ok) => {
    expect(isStrongPassword(password)).toBe(ok);
  });
});

describe('rowReportCsv', () => {
  it('writes a BOM, a header and quoted cells', () => {
    const csv = rowReportCsv([{ row: 2, column: '名称', reason: 'a "quoted", reason' }], ['行', '列', '原因']);
    expect(csv).toBe('\uFEFF行,列,原因\r\n2,名称,"a ""quoted"", reason"\r\n');
  });
});
