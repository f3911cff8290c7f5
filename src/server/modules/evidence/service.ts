// Use cases of 材料审核 (document review). The street office and communities upload evidence for every 测评标准
// whose methods include 材料审核; a reviewer (office, admin, leader) marks each submission 符合/不符合 with a comment;
// the coverage view lists every such item of the current standard with its status for one org and period.
// Every change writes an evidence event (the history) and an audit row in the same transaction.
import { createHash } from 'node:crypto';
import type { Actor, Deps, Executor } from '../../lib/context.js';
import { Problem, conflict, notFound } from '../../errors.js';
import { assertCan, inScope } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import type { StandardItemRow, StandardNodeRow, StandardVersionRow } from '../../db/schema.js';
import { compareCodes, type NodeLevel } from '../../../core/standards/index.js';
import {
  EVIDENCE_ORG_KINDS,
  coverageCounts,
  defaultPeriod,
  isLacking,
  isValidPeriod,
  reviewProblem,
  statusAfterFilesChange,
  type CoverageCounts,
  type EvidenceFileKind,
  type EvidenceStatus,
  type EvidenceVerdict,
} from '../../../core/evidence.js';
import type {
  EvidenceCoverage,
  EvidenceFileView,
  EvidenceOrgList,
  EvidenceOrgView,
  EvidencePeriodList,
  EvidenceSubmissionDetail,
  EvidenceSubmissionView,
  EvidenceUploadResult,
} from '../../../core/evidence-views.js';
import { standardRepo } from '../standards/repo.js';
import { DEFAULT_STANDARD_CODE, itemOf, presentItem } from '../standards/service.js';
import { isUniqueViolation } from '../categories/repo.js';
import { checkAndSanitize } from '../photos/image.js';
import { evidenceRepo, type EvidenceOrg, type FileWithUploader, type SubmissionWithReviewer } from './repo.js';
import type { EvidenceSubmissionRow } from './tables.js';
import { KIND_MIME, downloadName, isImageKind, sniffEvidence } from './filetype.js';
import { fileSize, newStorageKey, originalPath, removeEvidenceFiles, servedPath, writeAtomically } from './storage.js';

// ---- presenters ------------------------------------------------------------------------------------------------
// The view shapes live in src/core/evidence-views.ts, shared with the web.

export const fileUrl = (id: number) => `/api/v1/evidence/files/${id}`;

export function presentSubmission(row: SubmissionWithReviewer | (EvidenceSubmissionRow & { reviewer_name?: string | null })): EvidenceSubmissionView {
  return {
    id: row.id,
    standardCode: row.standard_code,
    itemCode: row.item_code,
    orgId: row.org_id,
    period: row.period,
    status: row.status as EvidenceStatus,
    fileCount: row.file_count,
    reviewComment: row.review_comment,
    reviewedAt: row.reviewed_at,
    reviewerName: row.reviewer_name ?? null,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function presentFile(row: FileWithUploader): EvidenceFileView {
  const kind = row.kind as EvidenceFileKind;
  return {
    id: row.id,
    kind,
    name: row.original_name,
    downloadName: downloadName(row.original_name, kind),
    bytes: row.bytes,
    servedBytes: row.served_bytes,
    sha256: row.sha256,
    uploaderName: row.uploader_name,
    createdAt: row.created_at,
    url: fileUrl(row.id),
  };
}

const presentOrg = (o: EvidenceOrg): EvidenceOrgView => ({ id: o.id, name: o.name, kind: o.kind });

// ---- scope -------------------------------------------------------------------------------------------------------

/** An org that hands in materials (street or community) inside the actor's subtree; anything else is "not found". */
async function orgInScope(db: Executor, actor: Actor, orgId: number): Promise<EvidenceOrg> {
  const org = await evidenceRepo.orgById(db, orgId);
  if (!org || !(EVIDENCE_ORG_KINDS as readonly string[]).includes(org.kind) || !inScope(actor.user, org.path)) throw notFound(`org ${orgId}`);
  return org;
}

/** The org a page opens on: the actor's own when it submits materials, else the first one in scope. */
async function defaultOrg(db: Executor, actor: Actor): Promise<EvidenceOrg> {
  const orgs = await evidenceRepo.scopedOrgs(db, actor.user.orgPath);
  const own = orgs.find((o) => o.id === actor.user.orgId);
  const org = own ?? orgs[0];
  if (!org) throw notFound('a street or community in your scope');
  return org;
}

function checkPeriod(period: string | undefined): string {
  if (period === undefined || period === '') return defaultPeriod();
  if (!isValidPeriod(period)) throw new Problem('VALIDATION_FAILED', { field: 'period', reason: 'a year such as 2026 or a label of letters, digits and spaces (at most 40)' });
  return period;
}

// ---- the current standard's 材料审核 items ------------------------------------------------------------------------

interface DocumentStandard {
  version: StandardVersionRow;
  nodes: StandardNodeRow[];
  /** Items whose methods include 材料审核, in code order. */
  items: StandardItemRow[];
}

async function documentStandard(db: Executor, standardCode: string): Promise<DocumentStandard> {
  const version = await standardRepo.current(db, standardCode);
  if (!version) throw notFound(`published standard ${standardCode}`);
  const [nodes, items] = await Promise.all([standardRepo.nodes(db, version.id), standardRepo.items(db, version.id)]);
  return {
    version,
    nodes,
    items: items.filter((i) => itemOf(i).methods.includes('document')).sort((a, b) => compareCodes(a.code, b.code)),
  };
}

function countsFor(items: StandardItemRow[], statusByCode: Map<string, EvidenceStatus>): CoverageCounts {
  return coverageCounts(items.map((i) => statusByCode.get(i.code) ?? 'none'));
}

// ---- reads -------------------------------------------------------------------------------------------------------

/** The streets and communities the actor works with, each with its coverage in the period. */
export async function listEvidenceOrgs(deps: Deps, actor: Actor, input: { period?: string; standardCode?: string }): Promise<EvidenceOrgList> {
  assertCan(actor.user, 'evidence.read');
  const period = checkPeriod(input.period);
  const standardCode = input.standardCode ?? DEFAULT_STANDARD_CODE;
  const std = await documentStandard(deps.db, standardCode);
  const [orgs, statuses] = await Promise.all([
    evidenceRepo.scopedOrgs(deps.db, actor.user.orgPath),
    evidenceRepo.statusesInScope(deps.db, standardCode, actor.user.orgPath, period),
  ]);
  const byOrg = new Map<number, Map<string, EvidenceStatus>>();
  for (const s of statuses) {
    const m = byOrg.get(s.org_id) ?? new Map<string, EvidenceStatus>();
    m.set(s.item_code, s.status as EvidenceStatus);
    byOrg.set(s.org_id, m);
  }
  return {
    period,
    items: orgs.map((o) => ({ ...presentOrg(o), counts: countsFor(std.items, byOrg.get(o.id) ?? new Map()) })),
  };
}

/** Periods that have submissions in the actor's scope, newest first, and the default one (this year). */
export async function listPeriods(deps: Deps, actor: Actor): Promise<EvidencePeriodList> {
  assertCan(actor.user, 'evidence.read');
  const current = defaultPeriod();
  const periods = await evidenceRepo.periodsInScope(deps.db, actor.user.orgPath);
  return { default: current, items: periods.includes(current) ? periods : [current, ...periods] };
}

export interface CoverageInput {
  orgId?: number;
  period?: string;
  lacking?: boolean;
  standardCode?: string;
}

/** Every 材料审核 item of the current standard with its status for one org and period, counts over all of them. */
export async function getCoverage(deps: Deps, actor: Actor, input: CoverageInput): Promise<EvidenceCoverage> {
  assertCan(actor.user, 'evidence.read');
  const period = checkPeriod(input.period);
  const org = input.orgId ? await orgInScope(deps.db, actor, input.orgId) : await defaultOrg(deps.db, actor);
  const standardCode = input.standardCode ?? DEFAULT_STANDARD_CODE;
  const std = await documentStandard(deps.db, standardCode);
  const subs = await evidenceRepo.submissionsOf(deps.db, standardCode, org.id, period);
  const subByCode = new Map(subs.map((s) => [s.item_code, s]));
  const all = std.items.map((item) => {
    const sub = subByCode.get(item.code);
    const status = (sub?.status ?? 'none') as EvidenceStatus;
    const view = presentItem(item, actor.lang);
    return {
      itemId: item.id,
      code: item.code,
      nodeId: item.node_id,
      text: view.text,
      points: view.points,
      ruleText: view.ruleText,
      status,
      submission: sub ? presentSubmission(sub) : null,
    };
  });
  const counts = coverageCounts(all.map((r) => r.status));
  const rows = input.lacking ? all.filter((r) => isLacking(r.status)) : all;
  // The tree nodes above the listed items, for grouping (Ⅰ 测评项目 → Ⅱ 指标 → Ⅲ 测评内容).
  const nodeById = new Map(std.nodes.map((n) => [n.id, n]));
  const used = new Set<number>();
  for (const r of rows) {
    for (let n = nodeById.get(r.nodeId); n && !used.has(n.id); n = n.parent_id ? nodeById.get(n.parent_id) : undefined) used.add(n.id);
  }
  const nodes = std.nodes
    .filter((n) => used.has(n.id))
    .sort((a, b) => compareCodes(a.code, b.code))
    .map((n) => ({ id: n.id, parentId: n.parent_id, level: n.level as NodeLevel, code: n.code, name: n.name }));
  return {
    standard: { versionId: std.version.id, standardCode, versionNo: std.version.version_no, title: std.version.title },
    org: presentOrg(org),
    period,
    lacking: input.lacking === true,
    counts,
    nodes,
    rows,
  };
}

async function submissionInScope(db: Executor, actor: Actor, id: number): Promise<SubmissionWithReviewer> {
  const row = await evidenceRepo.submissionById(db, id);
  if (!row || !inScope(actor.user, row.org_path)) throw notFound(`evidence submission ${id}`);
  return row;
}

/** One submission with its org, its item (as in the current standard), files and history (newest first). */
export async function getSubmission(deps: Deps, actor: Actor, id: number): Promise<EvidenceSubmissionDetail> {
  assertCan(actor.user, 'evidence.read');
  const row = await submissionInScope(deps.db, actor, id);
  const [org, files, events, current] = await Promise.all([
    evidenceRepo.orgById(deps.db, row.org_id),
    evidenceRepo.filesOf(deps.db, id),
    evidenceRepo.eventsOf(deps.db, id),
    standardRepo.current(deps.db, row.standard_code),
  ]);
  const itemRow = current ? (await standardRepo.items(deps.db, current.id)).find((i) => i.code === row.item_code) : undefined;
  const item = itemRow ? presentItem(itemRow, actor.lang) : null;
  return {
    submission: presentSubmission(row),
    org: org ? presentOrg(org) : null,
    item: item ? { id: item.id, code: item.code, text: item.text, points: item.points, ruleText: item.ruleText } : null,
    files: files.map(presentFile),
    events: events.map((e) => ({
      id: e.id,
      at: e.at,
      actorName: e.actor_display ?? e.actor_name,
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      comment: e.comment,
      detail: e.detail ? (JSON.parse(e.detail) as unknown) : null,
    })),
  };
}

// ---- upload ------------------------------------------------------------------------------------------------------

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export interface UploadInput {
  itemId: number;
  orgId: number;
  period?: string;
  files: UploadedFile[];
}

interface PreparedFile {
  name: string;
  kind: EvidenceFileKind;
  data: Buffer;
  served: Buffer;
  sha256: string;
}

/** The client's file name, kept for display: path separators and control characters become `_`. */
const cleanName = (name: string) =>
  [...(name || 'evidence')].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '/' || ch === '\\' ? '_' : ch)).join('').slice(-200);

/** Checks one file by size and content; images are decoded and re-encoded without EXIF for the served copy. */
export async function prepareEvidenceFile(deps: Pick<Deps, 'config'>, file: UploadedFile): Promise<PreparedFile> {
  const maxBytes = deps.config.evidenceMaxBytes;
  if (file.data.length > maxBytes) throw new Problem('FILE_TOO_LARGE', {}, { maxBytes });
  const sniffed = sniffEvidence(file.data);
  if ('reason' in sniffed) throw new Problem('UNSUPPORTED_FILE', { reason: sniffed.reason }, { detected: sniffed.detected });
  const served = isImageKind(sniffed.kind) ? (await checkAndSanitize(file.data, { maxPixels: deps.config.photoMaxPixels })).full : file.data;
  return { name: cleanName(file.filename), kind: sniffed.kind, data: file.data, served, sha256: createHash('sha256').update(file.data).digest('hex') };
}

/** A document-review item of the current standard, by id. */
async function documentItem(db: Executor, itemId: number): Promise<{ item: StandardItemRow; version: StandardVersionRow }> {
  const item = await standardRepo.itemById(db, itemId);
  const version = item ? await standardRepo.versionById(db, item.version_id) : undefined;
  if (!item || !version || version.status !== 'published' || !itemOf(item).methods.includes('document')) {
    throw new Problem('VALIDATION_FAILED', { field: 'itemId', reason: 'not a 材料审核 (document review) item of the current standard' });
  }
  return { item, version };
}

class StaleRead extends Error {}

/**
 * Adds files to the submission of (item, org, period), creating it on first upload. Every file is checked before
 * any is stored (all or nothing; a bad one names itself in details.file/index). A file already in the submission
 * (same SHA-256) is skipped. New material puts the submission back to 待审核, including after 不符合.
 */
export async function uploadEvidence(deps: Deps, actor: Actor, input: UploadInput): Promise<EvidenceUploadResult> {
  assertCan(actor.user, 'evidence.upload');
  const period = checkPeriod(input.period);
  const org = await orgInScope(deps.db, actor, input.orgId);
  const { item, version } = await documentItem(deps.db, input.itemId);
  if (!input.files.length) throw new Problem('BAD_REQUEST', { reason: 'no file in the upload' });

  const prepared: PreparedFile[] = [];
  for (const [index, file] of input.files.entries()) {
    try {
      const p = await prepareEvidenceFile(deps, file);
      if (!prepared.some((q) => q.sha256 === p.sha256)) prepared.push(p);
    } catch (err) {
      if (err instanceof Problem) throw new Problem(err.code, err.params, { ...(err.details as object | undefined), file: file.filename, index });
      throw err;
    }
  }

  // Files first (random keys), rows after: a failed transaction leaves orphan files, never a row without a file.
  const now = new Date();
  const stored = prepared.map((p) => ({ ...p, key: newStorageKey(now) }));
  const dir = deps.config.uploadDir;
  const cleanup = () => Promise.all(stored.map((s) => removeEvidenceFiles(dir, s.key, s.kind))).catch(() => undefined);
  try {
    for (const s of stored) {
      await writeAtomically(originalPath(dir, s.key, s.kind), s.data);
      if (isImageKind(s.kind)) await writeAtomically(servedPath(dir, s.key, s.kind), s.served);
    }
  } catch (err) {
    await cleanup();
    throw err;
  }

  const key = { standardCode: version.standard_code, orgId: org.id, period, itemCode: item.code };
  let result: { id: number; added: typeof stored } | null = null;
  try {
    for (let attempt = 0; attempt < 5 && !result; attempt++) {
      try {
        result = await deps.db.transaction().execute(async (trx) => {
          const at = nowIso();
          const sub =
            (await evidenceRepo.submissionByKey(trx, key)) ??
            (await evidenceRepo.insertSubmission(trx, {
              standard_code: key.standardCode,
              item_code: key.itemCode,
              org_id: org.id,
              org_path: org.path,
              period,
              status: 'none',
              file_count: 0,
              created_at: at,
              updated_at: at,
              version: 1,
            }));
          const known = await evidenceRepo.hashesOf(trx, sub.id);
          const added = stored.filter((s) => !known.has(s.sha256));
          if (!added.length) return { id: sub.id, added };
          const fileCount = sub.file_count + added.length;
          const to = statusAfterFilesChange(fileCount);
          if (!(await evidenceRepo.updateSubmission(trx, sub.id, sub.version, { status: to, file_count: fileCount, submitted_at: at, updated_at: at }))) throw new StaleRead();
          const ids = await evidenceRepo.insertFiles(
            trx,
            added.map((s) => ({
              submission_id: sub.id,
              kind: s.kind,
              original_name: s.name,
              bytes: s.data.length,
              served_bytes: s.served.length,
              sha256: s.sha256,
              storage_key: s.key,
              uploaded_by: actor.user.id,
              created_at: at,
            })),
          );
          const files = added.map((s, i) => ({ id: ids[i], name: s.name, kind: s.kind, bytes: s.data.length, sha256: s.sha256 }));
          await evidenceRepo.insertEvent(trx, {
            submission_id: sub.id,
            at,
            actor_id: actor.user.id,
            actor_name: actor.user.username,
            action: 'upload',
            from_status: sub.status,
            to_status: to,
            comment: null,
            detail: JSON.stringify({ files }),
          });
          await audit(trx, actor, {
            action: 'evidence.upload',
            targetType: 'evidence_submission',
            targetId: sub.id,
            orgPath: org.path,
            detail: { itemCode: key.itemCode, period, from: sub.status, to, files },
          });
          return { id: sub.id, added };
        });
      } catch (err) {
        // Another upload to the same submission got there first (its first insert, or a version bump): read again.
        if (err instanceof StaleRead || isUniqueViolation(err)) continue;
        throw err;
      }
    }
    if (!result) throw conflict();
  } catch (err) {
    await cleanup();
    throw err;
  }
  // Files of duplicates were written for nothing: drop them.
  const skipped = stored.filter((s) => !result!.added.includes(s));
  await Promise.all(skipped.map((s) => removeEvidenceFiles(dir, s.key, s.kind))).catch(() => undefined);
  deps.notify('evidence.changed', { submissionId: result.id });
  const detail = await getSubmission(deps, actor, result.id);
  return { ...detail, added: result.added.length, duplicates: skipped.map((s) => s.name) };
}

// ---- remove a file -----------------------------------------------------------------------------------------------

/** Removes one file; `version` is the submission's. The submission needs review again (or has no material left). */
export async function removeEvidenceFile(deps: Deps, actor: Actor, fileId: number, version: number): Promise<EvidenceSubmissionDetail> {
  assertCan(actor.user, 'evidence.upload');
  const removed = await deps.db.transaction().execute(async (trx) => {
    const file = await evidenceRepo.fileById(trx, fileId);
    if (!file || !inScope(actor.user, file.org_path)) throw notFound(`evidence file ${fileId}`);
    const sub = (await evidenceRepo.submissionById(trx, file.submission_id))!;
    if (sub.version !== version) throw conflict();
    const fileCount = Math.max(0, sub.file_count - 1);
    const to = statusAfterFilesChange(fileCount);
    const at = nowIso();
    if (!(await evidenceRepo.updateSubmission(trx, sub.id, version, { status: to, file_count: fileCount, updated_at: at }))) throw conflict();
    await evidenceRepo.deleteFile(trx, fileId);
    const detail = { file: { id: file.id, name: file.original_name, kind: file.kind, sha256: file.sha256 } };
    await evidenceRepo.insertEvent(trx, {
      submission_id: sub.id,
      at,
      actor_id: actor.user.id,
      actor_name: actor.user.username,
      action: 'remove_file',
      from_status: sub.status,
      to_status: to,
      comment: null,
      detail: JSON.stringify(detail),
    });
    await audit(trx, actor, { action: 'evidence.remove_file', targetType: 'evidence_submission', targetId: sub.id, orgPath: sub.org_path, detail: { itemCode: sub.item_code, period: sub.period, ...detail } });
    return { submissionId: sub.id, key: file.storage_key, kind: file.kind as EvidenceFileKind };
  });
  await removeEvidenceFiles(deps.config.uploadDir, removed.key, removed.kind).catch(() => undefined);
  deps.notify('evidence.changed', { submissionId: removed.submissionId });
  return getSubmission(deps, actor, removed.submissionId);
}

// ---- review ------------------------------------------------------------------------------------------------------

export interface ReviewInput {
  version: number;
  verdict: EvidenceVerdict;
  comment?: string | null;
}

/** 符合 / 不符合 with a comment (required for 不符合). A verdict may be changed later; each one is in the history. */
export async function reviewSubmission(deps: Deps, actor: Actor, id: number, input: ReviewInput): Promise<EvidenceSubmissionDetail> {
  assertCan(actor.user, 'evidence.review');
  const comment = input.comment?.trim() || null;
  await deps.db.transaction().execute(async (trx) => {
    const sub = await submissionInScope(trx, actor, id);
    if (sub.version !== input.version) throw conflict();
    const problem = reviewProblem(sub.status as EvidenceStatus, input.verdict, comment);
    if (problem === 'no-material') throw new Problem('ILLEGAL_TRANSITION', {}, { reason: 'there is no material to review' });
    if (problem) throw new Problem('VALIDATION_FAILED', problem);
    const at = nowIso();
    if (!(await evidenceRepo.updateSubmission(trx, id, input.version, { status: input.verdict, review_comment: comment, reviewed_by: actor.user.id, reviewed_at: at, updated_at: at }))) {
      throw conflict();
    }
    await evidenceRepo.insertEvent(trx, {
      submission_id: id,
      at,
      actor_id: actor.user.id,
      actor_name: actor.user.username,
      action: 'review',
      from_status: sub.status,
      to_status: input.verdict,
      comment,
      detail: JSON.stringify({ verdict: input.verdict, fileCount: sub.file_count }),
    });
    await audit(trx, actor, { action: 'evidence.review', targetType: 'evidence_submission', targetId: id, orgPath: sub.org_path, detail: { itemCode: sub.item_code, period: sub.period, from: sub.status, verdict: input.verdict, comment } });
  });
  deps.notify('evidence.changed', { submissionId: id });
  return getSubmission(deps, actor, id);
}

// ---- download ----------------------------------------------------------------------------------------------------

export interface ServedEvidence {
  path: string;
  size: number;
  mime: string;
  name: string;
  kind: EvidenceFileKind;
}

/** The file readers download: images as their EXIF-stripped JPEG copy, other kinds as uploaded. */
export async function openEvidenceFile(deps: Deps, actor: Actor, id: number): Promise<ServedEvidence> {
  assertCan(actor.user, 'evidence.read');
  const file = await evidenceRepo.fileById(deps.db, id);
  if (!file || !inScope(actor.user, file.org_path)) throw notFound(`evidence file ${id}`);
  const kind = file.kind as EvidenceFileKind;
  const path = servedPath(deps.config.uploadDir, file.storage_key, kind);
  const size = await fileSize(path);
  if (size === null) throw notFound(`evidence file ${id}`);
  return { path, size, mime: isImageKind(kind) ? 'image/jpeg' : KIND_MIME[kind], name: downloadName(file.original_name, kind), kind };
}
