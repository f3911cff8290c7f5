// SQL of 材料审核: submissions (one per standard item code × org × period), their files and their events. Scoped
// reads filter by the org path prefix (lib/scope.ts); the service checks single rows against the actor's scope.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../lib/context.js';
import { subtreeRange } from '../../lib/scope.js';
import { EVIDENCE_ORG_KINDS } from '../../../core/evidence.js';
import type { EvidenceEventTable, EvidenceFileRow, EvidenceFileTable, EvidenceSubmissionRow, EvidenceSubmissionTable } from './tables.js';

export interface SubmissionKey {
  standardCode: string;
  orgId: number;
  period: string;
  itemCode: string;
}

export type SubmissionWithReviewer = EvidenceSubmissionRow & { reviewer_name: string | null };
export type FileWithUploader = EvidenceFileRow & { uploader_name: string | null };
export type FileWithSubmission = EvidenceFileRow & { org_path: string; submission_version: number };

export interface EvidenceOrg {
  id: number;
  kind: string;
  name: string;
  path: string;
}

const bump = { version: sql<number>`version + 1` };

/** Submissions with the name of whoever last judged them. */
const withReviewer = (db: Executor) =>
  db.selectFrom('evidence_submissions as s').leftJoin('users as u', 'u.id', 's.reviewed_by').selectAll('s').select('u.display_name as reviewer_name');

export const evidenceRepo = {
  orgById(db: Executor, id: number): Promise<EvidenceOrg | undefined> {
    return db.selectFrom('orgs').select(['id', 'kind', 'name', 'path']).where('id', '=', id).where('active', '=', 1).executeTakeFirst();
  },

  /** Active streets and communities in a subtree: the orgs that hand in materials, street first. */
  scopedOrgs(db: Executor, scopePath: string): Promise<EvidenceOrg[]> {
    const [lo, hi] = subtreeRange(scopePath);
    return db
      .selectFrom('orgs')
      .select(['id', 'kind', 'name', 'path'])
      .where('path', '>=', lo)
      .where('path', '<', hi)
      .where('kind', 'in', [...EVIDENCE_ORG_KINDS])
      .where('active', '=', 1)
      .orderBy('depth')
      .orderBy('sort')
      .orderBy('id')
      .execute();
  },

  submissionByKey(db: Executor, key: SubmissionKey): Promise<EvidenceSubmissionRow | undefined> {
    return db
      .selectFrom('evidence_submissions')
      .selectAll()
      .where('standard_code', '=', key.standardCode)
      .where('org_id', '=', key.orgId)
      .where('period', '=', key.period)
      .where('item_code', '=', key.itemCode)
      .executeTakeFirst();
  },

  submissionById(db: Executor, id: number): Promise<SubmissionWithReviewer | undefined> {
    return withReviewer(db)
      .where('s.id', '=', id)
      .executeTakeFirst();
  },

  async insertSubmission(db: Executor, values: Insertable<EvidenceSubmissionTable>): Promise<EvidenceSubmissionRow> {
    return db.insertInto('evidence_submissions').values(values).returningAll().executeTakeFirstOrThrow();
  },

  /** Optimistic update: false when the row's version moved on. */
  async updateSubmission(db: Executor, id: number, version: number, patch: Partial<Omit<EvidenceSubmissionRow, 'id' | 'version'>>): Promise<boolean> {
    const res = await db.updateTable('evidence_submissions').set({ ...patch, ...bump }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** Every submission of one org and period for a standard, with the reviewer's name. */
  submissionsOf(db: Executor, standardCode: string, orgId: number, period: string): Promise<SubmissionWithReviewer[]> {
    return withReviewer(db)
      .where('s.standard_code', '=', standardCode)
      .where('s.org_id', '=', orgId)
      .where('s.period', '=', period)
      .execute();
  },

  /** (org, item code, status) of every submission in a subtree and period, for per-org counts. */
  statusesInScope(db: Executor, standardCode: string, scopePath: string, period: string): Promise<{ org_id: number; item_code: string; status: string }[]> {
    const [lo, hi] = subtreeRange(scopePath);
    return db
      .selectFrom('evidence_submissions')
      .select(['org_id', 'item_code', 'status'])
      .where('standard_code', '=', standardCode)
      .where('period', '=', period)
      .where('org_path', '>=', lo)
      .where('org_path', '<', hi)
      .execute();
  },

  async periodsInScope(db: Executor, scopePath: string): Promise<string[]> {
    const [lo, hi] = subtreeRange(scopePath);
    const rows = await db
      .selectFrom('evidence_submissions')
      .select('period')
      .distinct()
      .where('org_path', '>=', lo)
      .where('org_path', '<', hi)
      .orderBy('period', 'desc')
      .limit(200)
      .execute();
    return rows.map((r) => r.period);
  },

  filesOf(db: Executor, submissionId: number): Promise<FileWithUploader[]> {
    return db
      .selectFrom('evidence_files as f')
      .leftJoin('users as u', 'u.id', 'f.uploaded_by')
      .selectAll('f')
      .select('u.display_name as uploader_name')
      .where('f.submission_id', '=', submissionId)
      .orderBy('f.id')
      .execute();
  },

  async hashesOf(db: Executor, submissionId: number): Promise<Set<string>> {
    const rows = await db.selectFrom('evidence_files').select('sha256').where('submission_id', '=', submissionId).execute();
    return new Set(rows.map((r) => r.sha256));
  },

  fileById(db: Executor, id: number): Promise<FileWithSubmission | undefined> {
    return db
      .selectFrom('evidence_files as f')
      .innerJoin('evidence_submissions as s', 's.id', 'f.submission_id')
      .selectAll('f')
      .select(['s.org_path', 's.version as submission_version'])
      .where('f.id', '=', id)
      .executeTakeFirst();
  },

  async insertFiles(db: Executor, rows: Insertable<EvidenceFileTable>[]): Promise<number[]> {
    if (!rows.length) return [];
    const out = await db.insertInto('evidence_files').values(rows).returning('id').execute();
    return out.map((r) => r.id);
  },

  async deleteFile(db: Executor, id: number): Promise<boolean> {
    const res = await db.deleteFrom('evidence_files').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  },

  async insertEvent(db: Executor, values: Insertable<EvidenceEventTable>): Promise<void> {
    await db.insertInto('evidence_events').values(values).execute();
  },

  eventsOf(db: Executor, submissionId: number) {
    return db
      .selectFrom('evidence_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .selectAll('e')
      .select('u.display_name as actor_display')
      .where('e.submission_id', '=', submissionId)
      .orderBy('e.id', 'desc')
      .execute();
  },
};
