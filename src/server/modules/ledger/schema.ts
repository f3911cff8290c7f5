import { Type } from 'typebox';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const csv = (pattern: string, description: string) => Type.String({ maxLength: 400, pattern, description });

/** Filters of both ledger exports. Values are checked again in service.ts (dates that exist, ids that exist). */
export const LedgerExportQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '发现时间 from this Beijing date (inclusive), e.g. 2026-11-01' })),
  to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '发现时间 up to this Beijing date (inclusive); default today' })),
  communityId: Type.Optional(Id),
  unitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'responsible unit; cases sent to units under it count too' })),
  source: Type.Optional(csv('^[a-z_]+(,[a-z_]+)*$', 'comma-separated sources: patrol, office, supervision, hotline, citizen_patrol, inspection, citizen, media, leader')),
  status: Type.Optional(csv('^[^,]{1,10}(,[^,]{1,10})*$', '整改结果, comma-separated: 已整改, 整改中, 挂账 (or done, open, hung)')),
  categoryCode: Type.Optional(csv('^\\d{2,4}(,\\d{2,4})*$', 'comma-separated 2-digit 大类 or 4-digit 小类 codes')),
  photos: Type.Optional(Type.Boolean({ description: 'xlsx only: embed before/after thumbnails (default true)' })),
});
