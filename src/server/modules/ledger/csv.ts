// The ledger as CSV: UTF-8 with a BOM (so Excel reads the Chinese), RFC 4180 quoting, CRLF line ends, streamed.
// The photo columns hold how many photos there are.
import type { Writable } from 'node:stream';
import { LEDGER_COLUMNS, type LedgerColumnKey } from './labels.js';
import type { LedgerRow } from './service.js';
import { pace, writeChunk } from './stream.js';

export const CSV_BOM = '\uFEFF';

/**
 * One field per RFC 4180: quoted when it holds a comma, quote, CR or LF, with quotes doubled. A field that a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe: descriptions come from the public.
 */
export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (fields: (string | number | null | undefined)[]) => `${fields.map(csvField).join(',')}\r\n`;

function csvValue(key: LedgerColumnKey, r: LedgerRow): string | number {
  switch (key) {
    case 'beforePhotos':
      return r.beforeCount;
    case 'afterPhotos':
      return r.afterCount;
    default:
      return r[key];
  }
}

/** Writes the header and every page of rows to `out`, then ends it. */
export async function writeLedgerCsv(out: Writable, pages: AsyncIterable<LedgerRow[]>): Promise<void> {
  await writeChunk(out, CSV_BOM + csvLine(LEDGER_COLUMNS.map((c) => c.header)));
  for await (const page of pages) {
    let chunk = '';
    for (const r of page) chunk += csvLine(LEDGER_COLUMNS.map((c) => csvValue(c.key, r)));
    await writeChunk(out, chunk);
    await pace(out);
  }
  await new Promise<void>((resolve) => out.end(resolve));
}
