// Outbound webhook: each notice (one case event and its recipients) is POSTed as JSON to the URL the office set,
// signed with HMAC-SHA256 so an SMS or WeChat gateway can trust it. Delivery runs as a job, never on the request
// path; a failure throws and the jobs table retries it with growing pauses.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor, Deps, Executor } from '../../lib/context.js';
import { settingsRepo } from '../admin/repo.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import { assertCan } from '../../lib/scope.js';
import { Problem } from '../../errors.js';
import { jobRepo } from '../../jobs/repo.js';

export const WEBHOOK_JOB = 'webhook.deliver';
export const WEBHOOK_SETTINGS_KEY = 'webhook';
export const SIGNATURE_HEADER = 'x-wenming-signature';
export const TIMESTAMP_HEADER = 'x-wenming-timestamp';
export const DELIVERY_HEADER = 'x-wenming-delivery';
/** Worker back-off doubles per attempt (2 s … 512 s): ten attempts cover a gateway that is away ~17 minutes. */
export const WEBHOOK_MAX_ATTEMPTS = 10;
const TIMEOUT_MS = 10_000;

export interface WebhookSettings {
  url: string | null;
  secret: string | null;
  /** Notice kinds (event actions) to relay; empty relays every kind. */
  kinds: string[];
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { url: null, secret: null, kinds: [] };

export async function webhookSettings(db: Executor): Promise<WebhookSettings> {
  const saved = await settingsRepo.get<Partial<WebhookSettings>>(db, WEBHOOK_SETTINGS_KEY);
  return { ...DEFAULT_WEBHOOK_SETTINGS, ...(saved ?? {}) };
}

/** What the settings screen shows: never the secret itself. */
export function presentWebhookSettings(s: WebhookSettings) {
  return { url: s.url, kinds: s.kinds, secretSet: !!s.secret, secretHint: s.secret ? `…${s.secret.slice(-4)}` : null };
}

export interface WebhookSettingsInput {
  url: string | null;
  /** Omitted: keep the current secret. */
  secret?: string;
  kinds: string[];
}

export async function putWebhookSettings(deps: Deps, actor: Actor, input: WebhookSettingsInput) {
  assertCan(actor.user, 'settings.write');
  const current = await webhookSettings(deps.db);
  const url = input.url?.trim() || null;
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Problem('VALIDATION_FAILED', { field: 'url', reason: 'is not a URL' });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Problem('VALIDATION_FAILED', { field: 'url', reason: 'must be http or https' });
    if (parsed.username || parsed.password) throw new Problem('VALIDATION_FAILED', { field: 'url', reason: 'must not carry credentials; the signature authenticates' });
  }
  const secret = input.secret !== undefined ? input.secret : current.secret;
  if (url && !secret) throw new Problem('VALIDATION_FAILED', { field: 'secret', reason: 'is required to sign deliveries' });
  const next: WebhookSettings = { url, secret: secret ?? null, kinds: [...new Set(input.kinds)] };
  await deps.db.transaction().execute(async (trx) => {
    await settingsRepo.put(trx, WEBHOOK_SETTINGS_KEY, next, actor.user.id, nowIso());
    await audit(trx, actor, {
      action: 'settings.webhook',
      targetType: 'settings',
      targetId: WEBHOOK_SETTINGS_KEY,
      orgPath: actor.user.orgPath,
      detail: { url, kinds: next.kinds, secretChanged: input.secret !== undefined },
    });
  });
  return presentWebhookSettings(next);
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the shared secret. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header. */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhook(secret, body));
  const got = Buffer.from(header);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

export interface WebhookNotice {
  /** Stable per notice: receivers deduplicate retried deliveries by it. */
  id: string;
  kind: string;
  title: string;
  body: string | null;
  at: string;
  case: { id: number; caseNo: string } | null;
  recipients: { userId: number; username: string; displayName: string; phone: string | null }[];
}

export function wantsKind(settings: WebhookSettings, kind: string) {
  return !!settings.url && !!settings.secret && (settings.kinds.length === 0 || settings.kinds.includes(kind));
}

/** Queues one delivery inside the fan-out's transaction; the dedupe key keeps a re-run from queueing it twice. */
export function enqueueWebhook(db: Executor, notice: WebhookNotice, now: string) {
  return jobRepo.enqueue(db, { kind: WEBHOOK_JOB, payload: notice, runAt: now, dedupeKey: `${WEBHOOK_JOB}:${notice.id}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS, now });
}

/** One delivery attempt; throws on anything but a 2xx so the job is retried. */
export async function deliverWebhook(deps: Deps, notice: WebhookNotice, fetchImpl: typeof fetch = fetch): Promise<{ delivered: boolean; status?: number }> {
  const settings = await webhookSettings(deps.db);
  // Switched off (or the secret removed) since the notice was queued: drop it rather than send it unsigned.
  if (!settings.url || !settings.secret) return { delivered: false };
  const sentAt = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ ...notice, sentAt });
  const res = await fetchImpl(settings.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Wenming-Webhook/1',
      [SIGNATURE_HEADER]: signWebhook(settings.secret, body),
      [TIMESTAMP_HEADER]: String(sentAt),
      [DELIVERY_HEADER]: notice.id,
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.body?.cancel().catch(() => {});
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook ${new URL(settings.url).host} answered HTTP ${res.status}`);
  return { delivered: true, status: res.status };
}
