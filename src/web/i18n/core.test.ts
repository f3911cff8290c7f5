import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { en } from './en.js';
import { zh } from './zh.js';
import { errorMessage, format, pickLabel, translate } from './core.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('use the same placeholders in both languages', () => {
    const differing = (Object.keys(zh) as (keyof typeof zh)[]).filter(
      (key) => placeholders(en[key]).join() !== placeholders(zh[key]).join(),
    );
    expect(differing).toEqual([]);
  });

  it('have no empty messages', () => {
    for (const [key, value] of [...Object.entries(zh), ...Object.entries(en)]) expect(value.trim(), key).not.toBe('');
  });
});

describe('format', () => {
  it.each([
    ['共 {count} 条', { count: 3 }, '共 3 条'],
    ['{a}-{b}', { a: 'x' }, 'x-'],
    ['no params', undefined, 'no params'],
    ['{n}', { n: 0 }, '0'],
  ])('%s', (template, params, expected) => {
    expect(format(template, params)).toBe(expected);
  });
});

describe('translate and pickLabel', () => {
  it('picks the language', () => {
    expect(translate('zh-CN', 'nav.map')).toBe('地图');
    expect(translate('en-US', 'nav.map')).toBe('Map');
  });
  it.each([
    ['zh-CN', { zh: '网格', en: 'Grid' }, '网格'],
    ['en-US', { zh: '网格', en: 'Grid' }, 'Grid'],
    ['en-US', { nameZh: '公交站点', nameEn: 'Bus stop' }, 'Bus stop'],
    ['zh-CN', { nameZh: '公交站点', nameEn: 'Bus stop' }, '公交站点'],
    ['zh-CN', null, ''],
  ] as const)('%s %j', (lang, item, expected) => {
    expect(pickLabel(lang, item)).toBe(expected);
  });
});

describe('errorMessage', () => {
  it("prefers the server's message, already in the UI language", () => {
    const error = new ApiError({ status: 423, code: 'AUTH_LOCKED', message: '账号已临时锁定，请 15 分钟后再试' });
    expect(errorMessage('zh-CN', error)).toBe('账号已临时锁定，请 15 分钟后再试');
  });

  it('falls back to the dictionary by code', () => {
    expect(errorMessage('en-US', new ApiError({ status: 409, code: 'CONFLICT' }))).toBe(en['error.CONFLICT']);
    expect(errorMessage('zh-CN', new ApiError({ status: 0, code: 'NETWORK_ERROR' }))).toBe(zh['error.NETWORK_ERROR']);
  });

  it('says how long to wait when the rate limiter gave Retry-After', () => {
    const error = new ApiError({ status: 429, code: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } });
    expect(errorMessage('zh-CN', error)).toBe('请求过于频繁，请 30 秒后再试');
  });

  it('names unknown codes instead of hiding them', () => {
    expect(errorMessage('en-US', new ApiError({ status: 418, code: 'TEAPOT' }))).toContain('TEAPOT');
  });

  it('handles errors that are not ApiErrors', () => {
    expect(errorMessage('zh-CN', new Error('boom'))).toBe(format(zh['error.unknown'], { code: '' }));
  });
});
