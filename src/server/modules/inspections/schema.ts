// Request shapes of the inspections API (docs/inspections.md). Every number is bounded and every string has a
// maxLength. Observation values are bounded loosely on purpose: a count out of the rule's range is one result's
// INVALID_OBSERVATION in the sync outcome, not a 400 for the whole batch.
import { Type, type TSchema } from 'typebox';
import { PLAN_ACTIONS, PLAN_KINDS, PLAN_STATUSES, MAX_SAMPLE_TOTAL } from '../../../core/inspections/index.js';
import { PageQuery } from '../../lib/paging.js';
import { MAX_SYNC_RESULTS } from './service.js';

const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const RowVersion = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'the row version you read; 409 when it moved on' });
const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD (Beijing)' });
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
const Loose = Type.Number({ minimum: -1_000_000, maximum: 1_000_000 });

export const IdParams = Type.Object({ id: Id });
export const PlanPointParams = Type.Object({ id: Id, pointId: Id });
export const VersionQuery = Type.Object({ version: RowVersion });

export const ListPlansQuery = Type.Object({
  kind: Type.Optional(lit(PLAN_KINDS)),
  status: Type.Optional(lit(PLAN_STATUSES)),
  ...PageQuery,
});

export const CreatePlanBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 100 }),
  kind: lit(PLAN_KINDS),
  startsOn: DateText,
  endsOn: DateText,
  note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  inspectorIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  basedOnPlanId: Type.Optional(Nullable(Id)),
  streetId: Type.Optional(Id),
});

export const UpdatePlanBody = Type.Object({
  version: RowVersion,
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  startsOn: Type.Optional(DateText),
  endsOn: Type.Optional(DateText),
  note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  inspectorIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
});

export const SampleBody = Type.Object({
  version: RowVersion,
  seed: Type.Optional(Type.String({ maxLength: 64 })),
  total: Type.Integer({ minimum: 1, maximum: MAX_SAMPLE_TOTAL }),
  minPerType: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SAMPLE_TOTAL })),
  shares: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Number({ minimum: 0, maximum: 1_000_000 }))),
  pointTypes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 50 })),
  communityIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200 })),
});

export const PickPointsBody = Type.Object({ version: RowVersion, pointIds: Type.Array(Id, { maxItems: 5000 }) });
export const AssignBody = Type.Object({ version: RowVersion, inspectorId: Id });
export const TransitionBody = Type.Object({ version: RowVersion, action: lit(PLAN_ACTIONS) });

export const ResultItemBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 20 }),
  passed: Type.Optional(Type.Boolean()),
  count: Type.Optional(Loose),
  occurrences: Type.Optional(Loose),
  fixedOnSpot: Type.Optional(Loose),
  notApplicable: Type.Optional(Type.Boolean()),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  photoIds: Type.Optional(Type.Array(Id, { maxItems: 30 })),
});

export const ResultBody = Type.Object({
  idempotencyKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_\\-:.]+$', description: 'client-made (a uuid); a replay answers duplicate' }),
  planId: Id,
  pointId: Id,
  checkin: Nullable(Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }), at: Instant })),
  inspectedAt: Instant,
  note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  items: Type.Array(ResultItemBody, { minItems: 1, maxItems: 200 }),
});

export const SyncBody = Type.Object({ results: Type.Array(ResultBody, { minItems: 1, maxItems: MAX_SYNC_RESULTS }) });

export const SyncResponse = Type.Object({
  outcomes: Type.Array(
    Type.Object({
      idempotencyKey: Type.String(),
      status: lit(['created', 'duplicate', 'error'] as const),
      resultId: Type.Optional(Type.Integer()),
      caseIds: Type.Optional(Type.Array(Type.Integer())),
      code: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
      field: Type.Optional(Type.String()),
    }),
  ),
});
