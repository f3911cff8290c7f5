// Request and response shapes of the 材料审核 API. Every number is bounded and every string has a maxLength.
import { Type, type TSchema } from 'typebox';
import { EVIDENCE_FILE_KINDS, EVIDENCE_STATUSES, EVIDENCE_VERDICTS, MAX_REVIEW_COMMENT } from '../../../core/evidence.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const RowVersion = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'the submission version you read; 409 when it moved on' });
const Period = Type.String({ minLength: 1, maxLength: 40, description: 'assessment period: a year (2026) or a label; default this year' });
const StandardCode = Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'which standard (default national)' });
const Status = Type.Union(EVIDENCE_STATUSES.map((s) => Type.Literal(s)), { description: 'none 缺材料 · pending 待审核 · meets 符合 · fails 不符合' });

export const IdParams = Type.Object({ id: Id });

export const Counts = Type.Object({
  total: Type.Integer(),
  none: Type.Integer(),
  pending: Type.Integer(),
  meets: Type.Integer(),
  fails: Type.Integer(),
  submittedPercent: Type.Number({ description: 'items with evidence ÷ total, %' }),
  metPercent: Type.Number({ description: 'items judged 符合 ÷ total, %' }),
});

const Org = Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() });

export const Submission = Type.Object({
  id: Type.Integer(),
  standardCode: Type.String(),
  itemCode: Type.String(),
  orgId: Type.Integer(),
  period: Type.String(),
  status: Status,
  fileCount: Type.Integer(),
  reviewComment: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  reviewerName: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

const File = Type.Object({
  id: Type.Integer(),
  kind: Type.Union(EVIDENCE_FILE_KINDS.map((k) => Type.Literal(k)), { description: 'what the bytes are, whatever the name said' }),
  name: Type.String({ description: 'the name it was uploaded under' }),
  downloadName: Type.String({ description: 'the name it downloads under (extension of its real kind)' }),
  bytes: Type.Integer(),
  servedBytes: Type.Integer(),
  sha256: Type.String(),
  uploaderName: Nullable(Type.String()),
  createdAt: Type.String(),
  url: Type.String(),
});

const Event = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorName: Nullable(Type.String()),
  action: Type.String({ description: 'upload · remove_file · review' }),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  detail: Type.Unknown(),
});

export const SubmissionDetail = Type.Object({
  submission: Submission,
  org: Nullable(Org),
  item: Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), text: Type.String(), points: Type.Number(), ruleText: Type.String() })),
  files: Type.Array(File),
  events: Type.Array(Event, { description: 'newest first' }),
});

export const UploadResult = Type.Object({
  ...SubmissionDetail.properties,
  added: Type.Integer({ description: 'files stored by this upload' }),
  duplicates: Type.Array(Type.String(), { description: 'names of files skipped because the submission already holds the same content' }),
});

export const Coverage = Type.Object({
  standard: Type.Object({ versionId: Type.Integer(), standardCode: Type.String(), versionNo: Type.Integer(), title: Type.String() }),
  org: Org,
  period: Type.String(),
  lacking: Type.Boolean(),
  counts: Counts,
  nodes: Type.Array(Type.Object({ id: Type.Integer(), parentId: Nullable(Type.Integer()), level: Type.Integer(), code: Type.String(), name: Type.String() })),
  rows: Type.Array(
    Type.Object({
      itemId: Type.Integer(),
      code: Type.String(),
      nodeId: Type.Integer(),
      text: Type.String(),
      points: Type.Number(),
      ruleText: Type.String(),
      status: Status,
      submission: Nullable(Submission),
    }),
  ),
});

export const OrgList = Type.Object({ period: Type.String(), items: Type.Array(Type.Object({ ...Org.properties, counts: Counts })) });
export const PeriodList = Type.Object({ default: Type.String(), items: Type.Array(Type.String()) });

export const CoverageQuery = Type.Object({
  orgId: Type.Optional(Id),
  period: Type.Optional(Period),
  lacking: Type.Optional(Type.Boolean({ description: 'only items still lacking evidence: none or 不符合' })),
  standardCode: Type.Optional(StandardCode),
});
export const OrgsQuery = Type.Object({ period: Type.Optional(Period), standardCode: Type.Optional(StandardCode) });
export const UploadQuery = Type.Object({ itemId: Id, orgId: Id, period: Type.Optional(Period) });
export const VersionQuery = Type.Object({ version: RowVersion });
export const FileQuery = Type.Object({ inline: Type.Optional(Type.Boolean({ description: 'show a PDF or image in the browser instead of downloading it' })) });

export const ReviewBody = Type.Object({
  version: RowVersion,
  verdict: Type.Union(EVIDENCE_VERDICTS.map((v) => Type.Literal(v)), { description: 'meets 符合 · fails 不符合' }),
  comment: Type.Optional(Nullable(Type.String({ maxLength: MAX_REVIEW_COMMENT, description: 'required for 不符合' }))),
});
