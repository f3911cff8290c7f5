// The one door to the server: cookies travel with every call, writes carry the session's CSRF token, the reply
// language follows the UI, and every failure becomes an ApiError the screens can show.

export const API_BASE = '/api/v1';

export interface ImportRowError {
  row: number;
  column: string;
  reason: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly details?: unknown;
  /** True when the server sent a message of its own (already in the UI language); false for our fallbacks. */
  readonly serverMessage: boolean;

  constructor(init: { status: number; code: string; message?: string; field?: string; details?: unknown }) {
    super(init.message ?? init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.details = init.details;
    this.serverMessage = Boolean(init.message);
  }

  /** Per-row problems of a failed import (`details.rows`), empty for any other error. */
  get importRows(): ImportRowError[] {
    const rows = (this.details as { rows?: unknown } | undefined)?.rows;
    return Array.isArray(rows) ? (rows as ImportRowError[]) : [];
  }
}

/** Codes the client invents when the server could not be asked or answered without a JSON body. */
export const CLIENT_CODES = { network: 'NETWORK_ERROR', badReply: 'BAD_REPLY' } as const;

const STATUS_FALLBACK_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'AUTH_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'FILE_TOO_LARGE',
  423: 'AUTH_LOCKED',
  429: 'RATE_LIMITED',
};

/** Turns any error reply into an ApiError; tolerant of bodies that are not our catalogue shape. */
export function toApiError(status: number, body: unknown, retryAfter?: string | null): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fallbackCode = STATUS_FALLBACK_CODES[status] ?? (status >= 500 ? 'INTERNAL' : CLIENT_CODES.badReply);
  // @fastify/rate-limit and Fastify's own errors use {statusCode, error, message}; only trust `code` when it is ours.
  const code = typeof b.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(b.code) && !b.code.startsWith('FST_') ? b.code : fallbackCode;
  const ours = typeof b.code === 'string' && code === b.code;
  const details = b.details ?? (retryAfter ? { retryAfterSeconds: Number(retryAfter) } : undefined);
  return new ApiError({
    status,
    code,
    message: ours && typeof b.message === 'string' && b.message ? b.message : undefined,
    field: typeof b.field === 'string' ? b.field : undefined,
    details,
  });
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds `?a=1&b=x`, leaving out empty values so filters that are cleared disappear from the URL. */
export function queryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

interface ClientState {
  csrfToken: string | null;
  language: () => string;
  onUnauthorized: () => void;
}

const state: ClientState = {
  csrfToken: null,
  language: () => 'zh-CN',
  onUnauthorized: () => undefined,
};

export function setCsrfToken(token: string | null) {
  state.csrfToken = token;
}
export function setLanguageSource(source: () => string) {
  state.language = source;
}
export function setUnauthorizedHandler(handler: () => void) {
  state.onUnauthorized = handler;
}

/** Paths are relative to /api/v1 unless they already name a server path (/api/…, /healthz). */
export function resolvePath(path: string): string {
  return /^\/(api\/|healthz\b)/.test(path) ? path : `${API_BASE}${path}`;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sent as multipart/form-data instead of JSON. */
  form?: FormData;
  /** Calls that expect 401 as an answer (login, the start-up session probe) must not bounce to the login page. */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': state.language(),
  };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;

  let response: Response;
  try {
    response = await fetch(`${resolvePath(path)}${queryString(options.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: CLIENT_CODES.network });
  }

  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const error = toApiError(response.status, parsed, response.headers.get('retry-after'));
    if (response.status === 401 && !options.allowUnauthorized) state.onUnauthorized();
    throw error;
  }
  if (text && parsed === undefined) throw new ApiError({ status: response.status, code: CLIENT_CODES.badReply });
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query'>) => request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, file: File | Blob, fileName?: string) => {
    const form = new FormData();
    form.append('file', file, fileName ?? (file instanceof File ? file.name : 'upload'));
    return request<T>('POST', path, { form });
  },
};

/**
 * Uploads files as multipart/form-data (field `file`) and reports progress (0–1). fetch() cannot report upload
 * progress, so this one call goes through XMLHttpRequest, with the same CSRF token, language and errors.
 */
export function uploadWithProgress<T>(path: string, files: (File | Blob)[], onProgress?: (fraction: number) => void, query?: Query): Promise<T> {
  const form = new FormData();
  for (const f of files) form.append('file', f, f instanceof File ? f.name : 'upload');
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${resolvePath(path)}${queryString(query)}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', state.language());
    if (state.csrfToken) xhr.setRequestHeader('x-csrf-token', state.csrfToken);
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError({ status: 0, code: CLIENT_CODES.network }));
    xhr.onload = () => {
      let parsed: unknown = undefined;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        if (parsed === undefined) reject(new ApiError({ status: xhr.status, code: CLIENT_CODES.badReply }));
        else resolve(parsed as T);
        return;
      }
      if (xhr.status === 401) state.onUnauthorized();
      reject(toApiError(xhr.status, parsed, xhr.getResponseHeader('retry-after')));
    };
    xhr.send(form);
  });
}

/** Absolute URL of a download (template, export) for use in <a href>. */
export function downloadUrl(path: string, query?: Query): string {
  return `${resolvePath(path)}${queryString(query)}`;
}
