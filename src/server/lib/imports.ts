// Shared machinery for spreadsheet imports: read an uploaded .xlsx, map its header row to known columns (Chinese
// or English headers), collect every row error (row number, column, reason), and import all-or-nothing.
import ExcelJS from 'exceljs';
import type { FastifyRequest } from 'fastify';
import { Problem } from '../errors.js';

export interface ColumnSpec {
  key: string;
  /** Accepted header texts; the first is the one written into templates. */
  headers: string[];
  required?: boolean;
}

export interface RowError {
  row: number;
  column: string;
  reason: string;
}

export interface SheetRow {
  row: number;
  values: Record<string, string>;
}

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20000;

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString();
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return v.result === undefined || v.result === null ? '' : String(v.result);
    if ('hyperlink' in v) return String((v as { text?: string }).text ?? '');
    return '';
  }
  return String(v).trim();
}

/** Reads the first worksheet. Throws IMPORT_FAILED with row errors when the header lacks required columns. */
export async function readSheet(buffer: Buffer, columns: ColumnSpec[]): Promise<SheetRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new Problem('UNSUPPORTED_FILE', { reason: 'not a readable .xlsx workbook' });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new Problem('UNSUPPORTED_FILE', { reason: 'the workbook has no sheet' });
  const header = ws.getRow(1);
  const colIndex = new Map<string, number>();
  header.eachCell((cell, col) => {
    const text = cellText(cell.value).replace(/\s|\*/g, '');
    const spec = columns.find((c) => c.headers.some((h) => h.replace(/\s|\*/g, '').toLowerCase() === text.toLowerCase()));
    if (spec && !colIndex.has(spec.key)) colIndex.set(spec.key, col);
  });
  const missing = columns.filter((c) => c.required && !colIndex.has(c.key));
  if (missing.length) {
    throw new Problem('IMPORT_FAILED', { count: 1 }, {
      rows: missing.map((c) => ({ row: 1, column: c.headers[0], reason: '缺少该列 / missing column' })),
    });
  }
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    const values: Record<string, string> = {};
    let any = false;
    for (const c of columns) {
      const idx = colIndex.get(c.key);
      const text = idx ? cellText(r.getCell(idx).value) : '';
      values[c.key] = text;
      if (text) any = true;
    }
    if (any) rows.push({ row: rowNumber, values });
  });
  if (rows.length > MAX_IMPORT_ROWS) throw new Problem('BAD_REQUEST', { reason: `at most ${MAX_IMPORT_ROWS} rows per import` });
  return rows;
}

/** Collects errors; `fail()` throws them all at once so nothing is half-imported. */
export class RowErrors {
  readonly list: RowError[] = [];
  add(row: number, column: string, reason: string) {
    this.list.push({ row, column, reason });
  }
  requireValue(r: SheetRow, key: string, column: string): string | null {
    const v = r.values[key];
    if (!v) {
      this.add(r.row, column, '必填 / required');
      return null;
    }
    return v;
  }
  get empty() {
    return this.list.length === 0;
  }
  throwIfAny() {
    if (this.list.length) {
      throw new Problem('IMPORT_FAILED', { count: new Set(this.list.map((e) => e.row)).size }, { rows: this.list.slice(0, 500) });
    }
  }
}

/** An .xlsx with just the header row, for the "download template" link. */
export async function templateWorkbook(columns: ColumnSpec[], sheetName: string, example?: string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(columns.map((c) => (c.required ? `${c.headers[0]}*` : c.headers[0])));
  ws.getRow(1).font = { bold: true };
  if (example) ws.addRow(example);
  ws.columns.forEach((col) => (col.width = 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The single uploaded file of a multipart request (field name free), size-limited. */
export async function readUpload(req: FastifyRequest, maxBytes = MAX_IMPORT_BYTES): Promise<{ filename: string; mimetype: string; data: Buffer }> {
  if (!req.isMultipart()) throw new Problem('BAD_REQUEST', { reason: 'expected a multipart/form-data upload' });
  try {
    const file = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!file) throw new Problem('BAD_REQUEST', { reason: 'no file in the upload' });
    const data = await file.toBuffer();
    if (file.file.truncated) throw new Problem('FILE_TOO_LARGE');
    return { filename: file.filename, mimetype: file.mimetype, data };
  } catch (err) {
    if (err instanceof Problem) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT') throw new Problem('FILE_TOO_LARGE');
    // busboy's complaints (bad boundary, truncated body) are the client's fault, not ours.
    throw new Problem('BAD_REQUEST', { reason: 'malformed multipart upload' });
  }
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
