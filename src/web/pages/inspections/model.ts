// Pure helpers of the inspection screens: labels, the phone form's observations, distances, grouping. No React.
import { haversineMeters } from '../../../core/geo/measure.js';
import type { Geometry } from '../../../core/geo/types.js';
import { checkinDistance, FAR_CHECKIN_M } from '../../../core/inspections/checkin.js';
import { PLAN_KIND_LABELS, PLAN_KINDS, PLAN_STATUS_LABELS, PLAN_STATUSES } from '../../../core/inspections/kinds.js';
import { checkObservation, scorePoint, type Observation, type PointScore, type ScoringRule } from '../../../core/standards/index.js';
import type { ChecklistItem, PlanKind, PlanStatus, QueuedItem } from '../../lib/offline/types.js';

export { PLAN_KINDS, PLAN_STATUSES };

const KIND_COLOURS: Record<PlanKind, string> = { mock: 'magenta', supervision: 'volcano', citizen_patrol: 'cyan', revisit: 'purple' };
const STATUS_COLOURS: Record<PlanStatus, string> = { draft: 'default', active: 'processing', closed: 'success' };

export const KIND_LABELS: Record<PlanKind, { zh: string; en: string; color: string }> = Object.fromEntries(
  PLAN_KINDS.map((k) => [k, { ...PLAN_KIND_LABELS[k], color: KIND_COLOURS[k] }]),
) as Record<PlanKind, { zh: string; en: string; color: string }>;

export const STATUS_LABELS: Record<PlanStatus, { zh: string; en: string; color: string }> = Object.fromEntries(
  PLAN_STATUSES.map((k) => [k, { ...PLAN_STATUS_LABELS[k], color: STATUS_COLOURS[k] }]),
) as Record<PlanStatus, { zh: string; en: string; color: string }>;

/** Check-ins farther than this from the point are flagged (never blocked). Same threshold as the server. */
export const FAR_METERS = FAR_CHECKIN_M;

/** Distance of a check-in to the point as the server computes it: to the point's shape when the kit has it. */
export function checkinMeters(point: { lat: number; lng: number; geometry?: Geometry | null }, at: { lat: number; lng: number }): number {
  return checkinDistance({ lat: point.lat, lng: point.lng, geometry: point.geometry ?? null }, at).distanceM;
}

export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  return haversineMeters([a.lng, a.lat], [b.lng, b.lat]);
}

export function formatDistance(metres: number, lang: string): string {
  const zh = lang !== 'en-US';
  if (metres < 1000) return zh ? `${Math.round(metres)} 米` : `${Math.round(metres)} m`;
  const km = (metres / 1000).toFixed(metres < 10_000 ? 1 : 0);
  return zh ? `${km} 公里` : `${km} km`;
}

/** Colours of inspectors on the route map: distinct, in the order inspectors are listed. */
export const INSPECTOR_COLOURS = ['#d4380d', '#1677ff', '#389e0d', '#722ed1', '#d48806', '#08979c', '#c41d7f', '#5b8c00', '#0050b3', '#ad4e00'];
export const inspectorColour = (index: number) => (index < 0 ? '#8c8c8c' : INSPECTOR_COLOURS[index % INSPECTOR_COLOURS.length]);

/** "87.5%" or "—". */
export function percent(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

/** A change of rate in percentage points: "+3.2" / "−1.0" / "0.0"; null when there is nothing to compare. */
export function formatDelta(delta: number | null | undefined): string | null {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return null;
  const pts = delta * 100;
  const text = Math.abs(pts).toFixed(1);
  if (text === '0.0') return '0.0';
  return pts > 0 ? `+${text}` : `−${text}`;
}

/** The checklist in groups by its Ⅰ/Ⅱ/Ⅲ path, in the order the kit lists them. */
export function groupByPath(items: ChecklistItem[]): { path: string; items: ChecklistItem[] }[] {
  const groups: { path: string; items: ChecklistItem[] }[] = [];
  const byPath = new Map<string, { path: string; items: ChecklistItem[] }>();
  for (const item of items) {
    let group = byPath.get(item.nodePath);
    if (!group) {
      group = { path: item.nodePath, items: [] };
      byPath.set(item.nodePath, group);
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups;
}

/** The form starts from "all fine": passed, the required count found, no occurrences. The inspector marks problems. */
export function defaultObservation(rule: ScoringRule): QueuedItem {
  if (rule.kind === 'pass_fail') return { code: '', passed: true, fixedOnSpot: 0, photoKeys: [] };
  if (rule.kind === 'per_missing') return { code: '', count: rule.required, fixedOnSpot: 0, photoKeys: [] };
  return { code: '', occurrences: 0, fixedOnSpot: 0, photoKeys: [] };
}

/** How many failures an observation records (missing ones, occurrences, or 1 for a failed pass/fail item). */
export function failuresOf(rule: ScoringRule, obs: Pick<Observation, 'passed' | 'count' | 'occurrences' | 'notApplicable'>): number {
  if (obs.notApplicable) return 0;
  if (rule.kind === 'pass_fail') return obs.passed === false ? 1 : 0;
  if (rule.kind === 'per_missing') return typeof obs.count === 'number' ? Math.max(0, rule.required - obs.count) : 0;
  return typeof obs.occurrences === 'number' ? obs.occurrences : 0;
}

/** A failed item that was not wholly fixed on the spot becomes a case: it needs a photo. */
export function needsPhoto(rule: ScoringRule, obs: QueuedItem): boolean {
  const failures = failuresOf(rule, obs);
  return failures > 0 && (obs.fixedOnSpot ?? 0) < failures;
}

export function toObservation(obs: QueuedItem): Observation {
  return {
    ...(obs.passed !== undefined ? { passed: obs.passed } : {}),
    ...(obs.count !== undefined ? { count: obs.count } : {}),
    ...(obs.occurrences !== undefined ? { occurrences: obs.occurrences } : {}),
    ...(obs.fixedOnSpot ? { fixedOnSpot: obs.fixedOnSpot } : {}),
    ...(obs.notApplicable ? { notApplicable: true } : {}),
  };
}

/** Only the fields the rule kind uses, the fixed-on-the-spot count clamped to the failures. */
export function cleanObservation(rule: ScoringRule, obs: QueuedItem): QueuedItem {
  const out: QueuedItem = { code: obs.code, photoKeys: obs.photoKeys };
  if (obs.notApplicable) return { ...out, notApplicable: true, ...(obs.note ? { note: obs.note } : {}) };
  if (rule.kind === 'pass_fail') out.passed = obs.passed !== false;
  else if (rule.kind === 'per_missing') out.count = obs.count;
  else out.occurrences = obs.occurrences;
  const failures = failuresOf(rule, out);
  out.fixedOnSpot = Math.min(failures, Math.max(0, obs.fixedOnSpot ?? 0));
  if (!failures) out.photoKeys = [];
  if (obs.note?.trim() && failures) out.note = obs.note.trim();
  return out;
}

export interface FormProblem {
  code: string;
  kind: 'invalid' | 'photo';
  detail?: string;
}

/** What stops a save: observations out of range, and failed items without a photo. */
export function formProblems(items: ChecklistItem[], observations: Record<string, QueuedItem>): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const item of items) {
    const obs = observations[item.code];
    if (!obs) continue;
    const issues = checkObservation(item.rule, toObservation(obs));
    if (issues.length) problems.push({ code: item.code, kind: 'invalid', detail: issues.map((p) => `${p.field} ${p.reason}`).join('; ') });
    else if (needsPhoto(item.rule, obs) && obs.photoKeys.length === 0) problems.push({ code: item.code, kind: 'photo' });
  }
  return problems;
}

/** The point's score as the server will compute it, for the form's live preview; null while something is invalid. */
export function previewScore(items: ChecklistItem[], observations: Record<string, QueuedItem>): PointScore | null {
  const obs: Record<string, Observation> = {};
  for (const item of items) {
    const o = observations[item.code];
    if (!o) continue;
    if (checkObservation(item.rule, toObservation(o)).length) return null;
    obs[item.code] = toObservation(o);
  }
  return scorePoint(items, obs);
}

/** A client idempotency key: a random UUID (crypto.randomUUID needs a secure context; fall back to getRandomValues). */
export function newKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') {
    try {
      return c.randomUUID();
    } catch {
      // not a secure context (plain http on a LAN address)
    }
  }
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
