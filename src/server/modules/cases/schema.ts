import { Type, type TSchema } from 'typebox';
import { CASE_ACTIONS, CASE_MARKS, CASE_STATES } from '../../../core/cases/index.js';
import { PageQuery } from '../../lib/paging.js';
import { CASE_SOURCES, SOURCE_LEVELS } from './intake.js';
import { CASE_QUEUES } from './queries.js';

const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Phone = Type.String({ maxLength: 20, pattern: '^[0-9+\\-() ]*$' });

export const IntakeBody = Type.Object({
  source: lit(CASE_SOURCES),
  sourceLevel: Type.Optional(Nullable(lit(SOURCE_LEVELS))),
  sourceRef: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  categoryCode: Type.String({ pattern: '^\\d{4}$' }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  description: Type.String({ minLength: 2, maxLength: 2000 }),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  pointId: Type.Optional(Nullable(Id)),
  photoIds: Type.Optional(Type.Array(Id, { maxItems: 30 })),
  reporterName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  reporterPhone: Type.Optional(Nullable(Phone)),
  idempotencyKey: Type.Optional(Nullable(Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_\\-:.]+$' }))),
  mergeIntoId: Type.Optional(Nullable(Id)),
  dispatch: Type.Optional(Type.Boolean()),
  unitId: Type.Optional(Nullable(Id)),
});

export const TransitionBody = Type.Object({
  action: lit(CASE_ACTIONS),
  version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
  photoIds: Type.Optional(Type.Array(Id, { maxItems: 30 })),
  measures: Type.Optional(Type.String({ maxLength: 2000 })),
  extensionHours: Type.Optional(Type.Number({ minimum: 0.5, maximum: 2000 })),
  newDeadline: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  mark: Type.Optional(lit(CASE_MARKS)),
  unitId: Type.Optional(Nullable(Id)),
  targetCaseId: Type.Optional(Id),
});

const csv = (pattern: string) => Type.String({ maxLength: 400, pattern });

export const ListCasesQuery = Type.Object({
  queue: Type.Optional(lit(CASE_QUEUES)),
  status: Type.Optional(csv(`^(${CASE_STATES.join('|')})(,(${CASE_STATES.join('|')}))*$`)),
  source: Type.Optional(csv(`^(${CASE_SOURCES.join('|')})(,(${CASE_SOURCES.join('|')}))*$`)),
  categoryCode: Type.Optional(csv('^\\d{2,4}(,\\d{2,4})*$')),
  communityId: Type.Optional(Id),
  gridId: Type.Optional(Id),
  unitId: Type.Optional(Id),
  pointId: Type.Optional(Id),
  overdue: Type.Optional(Type.Boolean()),
  supervised: Type.Optional(Type.Boolean()),
  rebound: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
  to: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  sort: Type.Optional(lit(['deadline', 'created', 'updated'] as const)),
  ...PageQuery,
});

export const NearbyQuery = Type.Object({
  categoryCode: Type.String({ pattern: '^\\d{4}$' }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  radiusM: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })),
});

export const CaseIdParams = Type.Object({ id: Id });

export const CaseSummary = Type.Object(
  {
    id: Type.Integer(),
    caseNo: Type.String(),
    status: Type.String(),
    version: Type.Integer(),
    source: Type.String(),
    categoryCode: Type.String(),
    lat: Type.Number(),
    lng: Type.Number(),
    description: Type.String(),
    deadline: Nullable(Type.String()),
    unitId: Nullable(Type.Integer()),
    unitName: Nullable(Type.String()),
  },
  { additionalProperties: true },
);
