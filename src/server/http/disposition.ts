// The Content-Disposition of a download or an inline file: an ASCII name for old clients and the real name in
// UTF-8 (RFC 6266 / 5987), safe for any name (Chinese titles, quotes, parentheses).

/** `attachment; filename="ascii fallback"; filename*=UTF-8''…`; `fallback` replaces the derived ASCII name. */
export function contentDisposition(name: string, opts: { disposition?: 'attachment' | 'inline'; fallback?: string } = {}): string {
  const fallback = (opts.fallback ?? name).replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${opts.disposition ?? 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
