import { Type } from 'typebox';
import { MAX_HOTLINE_KEYWORDS } from './hotline-map.js';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Row = Type.Integer({ minimum: 1 });

/** Options of an import; also accepted as multipart form fields of the same name (a form field wins). */
export const SupervisionImportQuery = Type.Object({
  level: Type.Optional(Type.String({ maxLength: 10, description: '通报级别 for the whole file: city|district|street or 市级|区级|街道; a row\'s own 通报级别 wins' })),
  sourceRef: Type.Optional(Type.String({ maxLength: 100, description: '通报编号 for the whole file; a row\'s own 通报编号 wins' })),
  dispatch: Type.Optional(Type.String({ maxLength: 5, description: 'true (default): file and dispatch every problem by the 责任清单 at once; false: enter as reported' })),
  crs: Type.Optional(Type.String({ maxLength: 6, description: 'WGS84 (default) or GCJ02' })),
  dryRun: Type.Optional(Type.String({ maxLength: 5, description: 'true: check and report, import nothing' })),
});

export const HotlineImportQuery = Type.Object({
  crs: Type.Optional(Type.String({ maxLength: 6, description: 'WGS84 (default) or GCJ02' })),
  dryRun: Type.Optional(Type.String({ maxLength: 5, description: 'true: check and report, import nothing' })),
});

export const CaseImportReport = Type.Object({
  kind: Type.String(),
  dryRun: Type.Boolean(),
  imported: Type.Integer(),
  wouldImport: Type.Optional(Type.Integer()),
  caseIds: Type.Array(Type.Integer()),
  duplicates: Type.Array(
    Type.Object({
      row: Row,
      caseId: Nullable(Type.Integer()),
      of: Type.Array(Type.Object({ caseId: Nullable(Type.Integer()), caseNo: Nullable(Type.String()), row: Nullable(Type.Integer()), distanceM: Type.Number() })),
    }),
  ),
  rebounds: Type.Array(Type.Object({ row: Row, caseId: Nullable(Type.Integer()), ofCaseId: Type.Integer(), spotFlagged: Type.Boolean() })),
  alreadyImported: Type.Array(Type.Object({ row: Row, ref: Type.String(), caseId: Type.Integer() })),
  deadlineWarnings: Type.Array(Type.String()),
});

export const KeywordMapping = Type.Object({
  keyword: Type.String({ minLength: 1, maxLength: 20 }),
  categoryCode: Type.String({ pattern: '^\\d{4}$' }),
});

export const HotlineCategoryMap = Type.Object({
  entries: Type.Array(KeywordMapping, { maxItems: MAX_HOTLINE_KEYWORDS }),
});
