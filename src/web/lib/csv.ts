import type { ImportRowError } from '../api/client.js';

/** A row report as CSV (with BOM so Excel opens the Chinese correctly), to hand back to whoever made the sheet. */
export function rowReportCsv(rows: ImportRowError[], headers: [string, string, string]): string {
  const cell = (v: unknown) => {
    const s = String(v ?? '');
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [headers.map(cell).join(','), ...rows.map((r) => [r.row, r.column, r.reason].map(cell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

