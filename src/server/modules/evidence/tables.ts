// Row types of the 材料审核 tables (migration 008_evidence), merged into the Database interface of db/schema.ts.
import type { Generated, Selectable } from 'kysely';

/** One submission: what an org handed in for one 测评标准 in one period, and the verdict on it. */
export interface EvidenceSubmissionTable {
  id: Generated<number>;
  standard_code: string;
  item_code: string;
  org_id: number;
  org_path: string;
  period: string;
  status: string;
  file_count: number;
  review_comment: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface EvidenceFileTable {
  id: Generated<number>;
  submission_id: number;
  kind: string;
  original_name: string;
  bytes: number;
  served_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: number | null;
  created_at: string;
}

/** History of a submission: uploads, removals and verdicts, written in the same transaction as the change. */
export interface EvidenceEventTable {
  id: Generated<number>;
  submission_id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  comment: string | null;
  detail: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    evidence_submissions: EvidenceSubmissionTable;
    evidence_files: EvidenceFileTable;
    evidence_events: EvidenceEventTable;
  }
}

export type EvidenceSubmissionRow = Selectable<EvidenceSubmissionTable>;
export type EvidenceFileRow = Selectable<EvidenceFileTable>;
export type EvidenceEventRow = Selectable<EvidenceEventTable>;
