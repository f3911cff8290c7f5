// 材料审核 (document review): the evidence an org (the street office or a community) submits for each 测评标准 whose
// methods include 材料审核, per assessment period, and the reviewer's verdict. Pure rules shared by server and web.

/** Where a submission stands. `none`: nothing submitted (or every file removed again). */
export const EVIDENCE_STATUSES = ['none', 'pending', 'meets', 'fails'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export const EVIDENCE_STATUS_LABELS: Record<EvidenceStatus, { zh: string; en: string }> = {
  none: { zh: '缺材料', en: 'No evidence' },
  pending: { zh: '待审核', en: 'Pending review' },
  meets: { zh: '符合', en: 'Meets' },
  fails: { zh: '不符合', en: 'Does not meet' },
};

export const EVIDENCE_VERDICTS = ['meets', 'fails'] as const;
export type EvidenceVerdict = (typeof EVIDENCE_VERDICTS)[number];

/** Org kinds that submit materials: the 街道 (street office) and its 社区 (communities). */
export const EVIDENCE_ORG_KINDS = ['street', 'community'] as const;

/** File kinds accepted as evidence, decided from the bytes, never from the name. */
export const EVIDENCE_FILE_KINDS = ['pdf', 'jpeg', 'png', 'webp', 'docx', 'xlsx'] as const;
export type EvidenceFileKind = (typeof EVIDENCE_FILE_KINDS)[number];

/** An assessment period: a year ("2026") or a free label ("2026年上半年", "2026 复审"). */
export const PERIOD_PATTERN = /^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff _.\-()（）]{0,39}$/;
export const MAX_REVIEW_COMMENT = 500;
export const MAX_FILES_PER_UPLOAD = 5;

export function isValidPeriod(period: string): boolean {
  return PERIOD_PATTERN.test(period) && period.trim() === period;
}

/** The default period: the current year in China time. */
export function defaultPeriod(now: Date = new Date()): string {
  return String(new Date(now.getTime() + 8 * 3600_000).getUTCFullYear());
}

/**
 * The status after the files of a submission changed. New material always needs a (new) review: a resubmission
 * after 不符合 goes back to pending, and so does an addition after 符合. No file left: `none`.
 */
export function statusAfterFilesChange(fileCount: number): EvidenceStatus {
  return fileCount > 0 ? 'pending' : 'none';
}

/** A verdict needs material to judge; 不符合 needs a reason the submitter can act on. */
export function reviewProblem(status: EvidenceStatus, verdict: EvidenceVerdict, comment: string | null | undefined): { field: string; reason: string } | 'no-material' | null {
  if (status === 'none') return 'no-material';
  if (verdict === 'fails' && !comment?.trim()) return { field: 'comment', reason: 'give the reason for 不符合 (what is missing)' };
  return null;
}

export interface CoverageCounts {
  total: number;
  none: number;
  pending: number;
  meets: number;
  fails: number;
  /** Items with any evidence submitted (pending, meets or fails) ÷ total, in percent (one decimal). */
  submittedPercent: number;
  /** Items judged 符合 ÷ total, in percent (one decimal). */
  metPercent: number;
}

const percent = (part: number, total: number) => (total ? Math.round((part / total) * 1000) / 10 : 0);

export function coverageCounts(statuses: readonly EvidenceStatus[]): CoverageCounts {
  const c = { total: statuses.length, none: 0, pending: 0, meets: 0, fails: 0 };
  for (const s of statuses) c[s]++;
  return { ...c, submittedPercent: percent(c.total - c.none, c.total), metPercent: percent(c.meets, c.total) };
}

/** "Still lacking evidence": nothing submitted, or judged 不符合 and waiting for better material. */
export const isLacking = (status: EvidenceStatus) => status === 'none' || status === 'fails';
