// What a use case receives: the database handle (or the open transaction) and the acting user.
import type { Kysely, Transaction } from 'kysely';
import type { Role } from '../../core/roles.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/database.js';
import type { Lang } from '../errors.js';

export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  orgId: number;
  orgName: string;
  orgKind: string;
  /** Materialized path of the user's org node: the root of everything the user may see. */
  orgPath: string;
  locale: string | null;
  mustChangePassword: boolean;
}

export type Executor = Kysely<Database> | Transaction<Database>;

export interface Deps {
  db: Kysely<Database>;
  dialect: DialectName;
  config: Config;
  /** Wakes listeners (SSE, worker) after a commit; a no-op until the real-time area plugs in. */
  notify(topic: string, payload?: unknown): void;
}

export interface Actor {
  user: AuthUser;
  ip: string | null;
  lang: Lang;
}
