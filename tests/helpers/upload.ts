import ExcelJS from 'exceljs';

/** A workbook with one sheet holding the given rows (first row = header). */
export async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('s');
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A multipart/form-data body with one file field, for app.inject(). */
export function multipart(file: Buffer, filename = 'import.xlsx', contentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') {
  const boundary = '----wenmingtest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, file, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
