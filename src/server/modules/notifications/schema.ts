import { Type, type TSchema } from 'typebox';
import { PageQuery } from '../../lib/paging.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const InboxQuery = Type.Object({
  /** true: unread only; false or absent: everything. */
  unread: Type.Optional(Type.Boolean()),
  ...PageQuery,
});

export const NotificationView = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'The case event behind it: dispatch, remind, overdue, escalate, supervise, feedback, fail_check, return, request_extension, approve_extension, deny_extension, reopen, pass_check, reject' }),
  title: Type.String(),
  body: Nullable(Type.String()),
  caseId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});

export const InboxPage = Type.Object({
  items: Type.Array(NotificationView),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  unread: Type.Integer(),
});

export const MarkReadBody = Type.Object({
  ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 500 })),
  all: Type.Optional(Type.Boolean()),
});

export const UnreadCount = Type.Object({ unread: Type.Integer() });

export const WebhookSettingsView = Type.Object({
  url: Nullable(Type.String()),
  kinds: Type.Array(Type.String()),
  secretSet: Type.Boolean(),
  secretHint: Nullable(Type.String()),
});

export const WebhookSettingsBody = Type.Object({
  url: Nullable(Type.String({ maxLength: 500, pattern: '^https?://' })),
  secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
  kinds: Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' }), { maxItems: 30 }),
});
