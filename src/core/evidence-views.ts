// The JSON shapes of the 材料审核 API (docs/evidence.md): what the server's evidence routes answer. The server builds
// them, the web reads them; both import them from here. Types only.
import type { CoverageCounts, EvidenceFileKind, EvidenceStatus } from './evidence.js';
import type { NodeLevel } from './standards/model.js';

/** A street or community that hands in materials. */
export interface EvidenceOrgView {
  id: number;
  name: string;
  kind: string;
}

export interface EvidenceOrgCoverage extends EvidenceOrgView {
  counts: CoverageCounts;
}

/** GET /evidence/orgs: the orgs in scope, each with its coverage in the period. */
export interface EvidenceOrgList {
  period: string;
  items: EvidenceOrgCoverage[];
}

/** GET /evidence/periods: periods with submissions in scope, newest first, and the default one (this year). */
export interface EvidencePeriodList {
  default: string;
  items: string[];
}

/** The evidence of one org for one standard item and period. */
export interface EvidenceSubmissionView {
  id: number;
  standardCode: string;
  itemCode: string;
  orgId: number;
  period: string;
  status: EvidenceStatus;
  fileCount: number;
  reviewComment: string | null;
  reviewedAt: string | null;
  reviewerName: string | null;
  submittedAt: string | null;
  updatedAt: string;
  version: number;
}

export interface EvidenceFileView {
  id: number;
  /** What the bytes are, whatever the name said. */
  kind: EvidenceFileKind;
  /** The name it was uploaded under. */
  name: string;
  /** The name it downloads under (extension of its real kind). */
  downloadName: string;
  bytes: number;
  servedBytes: number;
  sha256: string;
  uploaderName: string | null;
  createdAt: string;
  url: string;
}

export interface EvidenceEventView {
  id: number;
  at: string;
  actorName: string | null;
  /** upload · remove_file · review */
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  detail: unknown;
}

/** One 材料审核 item of the standard with its status for the org and period. */
export interface EvidenceCoverageRow {
  itemId: number;
  code: string;
  nodeId: number;
  text: string;
  points: number;
  ruleText: string;
  status: EvidenceStatus;
  submission: EvidenceSubmissionView | null;
}

/** A tree node above the listed items (Ⅰ 测评项目 → Ⅱ 指标 → Ⅲ 测评内容), for grouping. */
export interface EvidenceCoverageNode {
  id: number;
  parentId: number | null;
  level: NodeLevel;
  code: string;
  name: string;
}

/** GET /evidence/coverage. */
export interface EvidenceCoverage {
  standard: { versionId: number; standardCode: string; versionNo: number; title: string };
  org: EvidenceOrgView;
  period: string;
  lacking: boolean;
  /** Over all the items, also when only the lacking ones are listed. */
  counts: CoverageCounts;
  nodes: EvidenceCoverageNode[];
  rows: EvidenceCoverageRow[];
}

/** A submission with its org, its item (as in the current standard), files and history (newest first). */
export interface EvidenceSubmissionDetail {
  submission: EvidenceSubmissionView;
  org: EvidenceOrgView | null;
  item: { id: number; code: string; text: string; points: number; ruleText: string } | null;
  files: EvidenceFileView[];
  events: EvidenceEventView[];
}

/** POST /evidence/uploads. */
export interface EvidenceUploadResult extends EvidenceSubmissionDetail {
  /** Files stored by this upload. */
  added: number;
  /** Names of files skipped because the submission already holds the same content. */
  duplicates: string[];
}
