// Small input rules the screens check before asking the server (which checks again).

/** Only same-site paths are followed after sign-in, so a crafted ?next= cannot send people elsewhere. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

/** An XYZ tile template: http(s), with {z}, {x} and {y}. Empty means "no basemap". */
export function validTileUrl(url: string): boolean {
  if (!url) return true;
  return /^https?:\/\/[^\s]+$/i.test(url) && url.includes('{z}') && url.includes('{x}') && url.includes('{y}');
}

