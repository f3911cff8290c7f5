import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, queryString, request, resolvePath, setCsrfToken, setLanguageSource, setUnauthorizedHandler, toApiError } from './client.js';

describe('toApiError', () => {
  it.each([
    ['our catalogue body', 401, { code: 'AUTH_INVALID_CREDENTIALS', message: '用户名或密码错误' }, 'AUTH_INVALID_CREDENTIALS', true],
    ['field and details are kept', 400, { code: 'VALIDATION_FAILED', message: 'x', field: 'name', details: { a: 1 } }, 'VALIDATION_FAILED', true],
    ['rate limiter body without our code', 429, { statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded' }, 'RATE_LIMITED', false],
    ["Fastify's own FST_ codes are not trusted", 400, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'Unsupported' }, 'BAD_REQUEST', false],
    ['empty 502 from a proxy', 502, undefined, 'INTERNAL', false],
    ['locked', 423, {}, 'AUTH_LOCKED', false],
  ])('%s', (_name, status, body, code, serverMessage) => {
    const error = toApiError(status, body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.serverMessage).toBe(serverMessage);
  });

  it('keeps field and details of a validation error', () => {
    const error = toApiError(400, { code: 'VALIDATION_FAILED', message: 'bad', field: 'name', details: { a: 1 } });
    expect(error.field).toBe('name');
    expect(error.details).toEqual({ a: 1 });
  });

  it('turns Retry-After into details when the body has none', () => {
    expect(toApiError(429, {}, '42').details).toEqual({ retryAfterSeconds: 42 });
  });

  it('exposes the per-row report of a failed import', () => {
    const rows = [{ row: 3, column: '编码', reason: '编码须为 12 位' }];
    expect(toApiError(400, { code: 'IMPORT_FAILED', message: 'x', details: { rows } }).importRows).toEqual(rows);
    expect(toApiError(400, { code: 'BAD_REQUEST', message: 'x' }).importRows).toEqual([]);
  });
});

describe('queryString', () => {
  it.each([
    [undefined, ''],
    [{}, ''],
    [{ q: '', type: null, page: undefined }, ''],
    [{ page: 2, pageSize: 50 }, '?page=2&pageSize=50'],
    [{ q: '文明 路', ok: true }, `?q=${encodeURIComponent('文明').replace(/%20/g, '+')}+${encodeURIComponent('路')}&ok=true`],
  ])('%j → %s', (query, expected) => {
    expect(queryString(query)).toBe(expected);
  });
});

describe('resolvePath', () => {
  it.each([
    ['/orgs', '/api/v1/orgs'],
    ['/api-keys', '/api/v1/api-keys'],
    ['/api/openapi.json', '/api/openapi.json'],
    ['/healthz', '/healthz'],
  ])('%s → %s', (path, expected) => {
    expect(resolvePath(path)).toBe(expected);
  });
});

describe('request', () => {
  const calls: { url: string; init: RequestInit }[] = [];
  let reply: () => Response | Promise<Response>;
  const onUnauthorized = vi.fn();

  beforeEach(() => {
    calls.length = 0;
    onUnauthorized.mockReset();
    setUnauthorizedHandler(onUnauthorized);
    setLanguageSource(() => 'en-US');
    setCsrfToken('token-1');
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return reply();
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('sends the language on every call and the CSRF token only on writes', async () => {
    reply = () => json(200, { ok: true });
    await api.get('/orgs', { page: 1 });
    await api.post('/orgs', { name: 'x' });
    const [get, post] = calls;
    expect(get.url).toBe('/api/v1/orgs?page=1');
    expect((get.init.headers as Record<string, string>)['Accept-Language']).toBe('en-US');
    expect((get.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    expect((post.init.headers as Record<string, string>)['x-csrf-token']).toBe('token-1');
    expect((post.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(post.init.body).toBe(JSON.stringify({ name: 'x' }));
    expect(post.init.credentials).toBe('same-origin');
  });

  it('sends uploads as multipart without a JSON content type', async () => {
    reply = () => json(200, { imported: 2 });
    const result = await api.upload<{ imported: number }>('/orgs/import', new Blob(['x']), 'orgs.xlsx');
    expect(result.imported).toBe(2);
    expect(calls[0].init.body).toBeInstanceOf(FormData);
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });

  it('sends people to the login page on 401, except for calls that expect it', async () => {
    reply = () => json(401, { code: 'AUTH_REQUIRED', message: 'Please sign in' });
    await expect(api.get('/orgs')).rejects.toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(request('POST', '/auth/login', { body: {}, allowUnauthorized: true })).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('reports a network failure as NETWORK_ERROR', async () => {
    reply = () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(api.get('/me')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('reports an HTML page where JSON was expected as BAD_REPLY', async () => {
    reply = () => new Response('<html></html>', { status: 200 });
    await expect(api.get('/me')).rejects.toMatchObject({ code: 'BAD_REPLY' });
  });
});
