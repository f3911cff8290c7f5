// The outbox: case_events are the record of every step, and this job derives inbox rows (and webhook deliveries)
// from them after the fact. No use case changes for it, and a crash between a commit and the fan-out loses
// nothing: the cursor only moves in the transaction that writes what the events produced.
import type { Deps, Executor } from '../../lib/context.js';
import { cursorRepo } from '../../jobs/cursors.js';
import { notificationRepo, type FanoutEvent, type NewNotification, type OutboxEvent, type Person } from './repo.js';
import { DIRECTORY_ROLES, audiencesFor, messageFor, pickRecipients } from './rules.js';
import { enqueueWebhook, wantsKind, webhookSettings, type WebhookNotice, type WebhookSettings } from './webhook.js';

export const FANOUT_JOB = 'notifications.fanout';
export const FANOUT_CURSOR = 'notifications';

export interface FanoutOptions {
  /** Events per transaction. */
  batchSize?: number;
  /** Stop after this many batches; the next run goes on. */
  maxBatches?: number;
  now?: Date;
  /** Events older than this are passed over: a notice about last week is noise (e.g. a loaded history). */
  maxAgeHours?: number;
  /** How long stepped-over ids are watched for a late commit. */
  gapGraceMs?: number;
  /**
   * Between batches, leave the event loop to requests for this many times as long as the batch took (0: only let
   * the waiting requests through). A catch-up then takes at most 1 / (1 + share) of the loop instead of nearly all
   * of it, which is what kept intake's slowest answers waiting.
   */
  pauseShare?: number;
}

export interface FanoutResult {
  events: number;
  notifications: number;
  webhooks: number;
  userIds: number[];
}

const parse = (data: string | null): Record<string, unknown> | null => {
  if (!data) return null;
  try {
    const v = JSON.parse(data) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** The unit an event concerns: the one named in it (dispatch, reminders) or the case's current one. */
function unitIdOf(e: FanoutEvent, data: Record<string, unknown> | null): number | null {
  const named = data?.unitId;
  return typeof named === 'number' ? named : e.unit_id;
}

/** Runs batches until caught up (or maxBatches); announces the touched inboxes after each commit. */
export async function runFanout(deps: Deps, opts: FanoutOptions = {}): Promise<FanoutResult> {
  const total: FanoutResult = { events: 0, notifications: 0, webhooks: 0, userIds: [] };
  const maxBatches = opts.maxBatches ?? 50;
  const users = new Set<number>();
  for (let i = 0; i < maxBatches; i++) {
    const started = performance.now();
    const r = await fanoutBatch(deps, opts);
    total.events += r.events;
    total.notifications += r.notifications;
    total.webhooks += r.webhooks;
    r.userIds.forEach((u) => users.add(u));
    if (r.userIds.length) deps.notify('notifications.changed', { userIds: r.userIds });
    // Intake (every door: patrol, imports, Open311, the citizen page) announces nothing itself; new cases reach
    // open lists from here, a few seconds late. Transitions and the deadline job announce their own changes.
    if (r.reportedCaseIds.length) deps.notify('cases.changed', { caseIds: r.reportedCaseIds });
    if (!r.more) break;
    // SQLite calls run on the event loop: let waiting requests through between batches of a long catch-up.
    const pauseMs = (performance.now() - started) * (opts.pauseShare ?? 0);
    await new Promise<void>((resolve) => (pauseMs >= 1 ? setTimeout(resolve, pauseMs) : setImmediate(resolve)));
  }
  total.userIds = [...users];
  return total;
}

async function fanoutBatch(deps: Deps, opts: FanoutOptions): Promise<FanoutResult & { more: boolean; reportedCaseIds: number[] }> {
  const batchSize = opts.batchSize ?? 500;
  const now = opts.now ?? new Date();
  const nowText = now.toISOString();
  const oldest = new Date(now.getTime() - (opts.maxAgeHours ?? 24) * 3600_000).toISOString();
  const graceMs = opts.gapGraceMs ?? 10 * 60_000;
  const settings = await webhookSettings(deps.db);

  return deps.db.transaction().execute(async (trx) => {
    const cursor = await cursorRepo.lock(trx, FANOUT_CURSOR, nowText);

    // Ids stepped over earlier that may have committed since; ranges past their grace are forgotten.
    const gaps = await notificationRepo.gaps(trx, FANOUT_CURSOR);
    const expired = gaps.filter((g) => Date.parse(g.created_at) < now.getTime() - graceMs);
    const live = gaps.filter((g) => !expired.includes(g));
    const late = await notificationRepo.eventsInRanges(trx, live);

    const fresh = await notificationRepo.eventsAfter(trx, cursor, batchSize);
    const newGaps: { from: number; to: number; createdAt: string }[] = [];
    let expected = cursor + 1;
    for (const e of fresh) {
      if (e.id > expected) newGaps.push({ from: expected, to: e.id - 1, createdAt: nowText });
      expected = e.id + 1;
    }

    // Late events found inside a gap range split it; what is left of it stays watched.
    const lateIds = late.map((e) => e.id);
    const touched = live.filter((g) => lateIds.some((id) => id >= g.from_id && id <= g.to_id));
    const remainders: typeof newGaps = [];
    for (const g of touched) {
      let from = g.from_id;
      for (const id of lateIds.filter((x) => x >= g.from_id && x <= g.to_id).sort((a, b) => a - b)) {
        if (id > from) remainders.push({ from, to: id - 1, createdAt: g.created_at });
        from = id + 1;
      }
      if (from <= g.to_id) remainders.push({ from, to: g.to_id, createdAt: g.created_at });
    }
    await notificationRepo.deleteGaps(trx, [...expired, ...touched].map((g) => g.id));
    await notificationRepo.addGaps(trx, FANOUT_CURSOR, [...remainders, ...newGaps]);

    const events = [...late, ...fresh].filter((e) => e.at >= oldest);
    const produced = await produce(trx, events, settings, nowText);
    if (fresh.length) await cursorRepo.set(trx, FANOUT_CURSOR, fresh[fresh.length - 1].id, nowText);
    const reportedCaseIds = [...new Set(events.filter((e) => e.action === 'report').map((e) => e.case_id))];
    return { ...produced, events: late.length + fresh.length, more: fresh.length === batchSize, reportedCaseIds };
  });
}

/** Inbox rows and webhook deliveries for a batch of events; people are looked up once per batch. */
async function produce(trx: Executor, events: OutboxEvent[], settings: WebhookSettings, now: string) {
  const result = { notifications: 0, webhooks: 0, userIds: [] as number[] };
  if (!events.length) return result;
  const datas = new Map(events.map((e) => [e.id, parse(e.data)]));
  const notifying = events.filter((e) => audiencesFor(e.action, datas.get(e.id)!).length > 0);
  if (!notifying.length) return result;
  // Only events that notify somebody need their case: most (a report, its filing) do not.
  const facts = new Map((await notificationRepo.caseFacts(trx, [...new Set(notifying.map((e) => e.case_id))])).map((c) => [c.id, c]));
  const relevant: FanoutEvent[] = notifying.flatMap((e) => {
    const c = facts.get(e.case_id);
    return c ? [{ ...c, ...e }] : [];
  });

  const unitIds = new Set<number>();
  const streetIds = new Set<number>();
  const reporterIds = new Set<number>();
  for (const e of relevant) {
    const unitId = unitIdOf(e, datas.get(e.id)!);
    if (unitId) unitIds.add(unitId);
    streetIds.add(e.street_id);
    if (e.reporter_id) reporterIds.add(e.reporter_id);
  }
  const orgPaths = new Map((await notificationRepo.orgPaths(trx, [...unitIds, ...streetIds])).map((o) => [o.id, o.path]));
  // One look-up for everybody under the streets and units involved; a prefix covered by another is dropped.
  const prefixes = [...new Set([...orgPaths.values()])].sort();
  const roots = prefixes.filter((p, i) => !prefixes.slice(0, i).some((q) => p.startsWith(q)));
  const people = await notificationRepo.peopleUnder(trx, roots, DIRECTORY_ROLES);
  const reporters = new Map((await notificationRepo.peopleByIds(trx, [...reporterIds])).map((p) => [p.id, p]));

  const rows: NewNotification[] = [];
  const notices = new Map<number, { event: FanoutEvent; title: string; body: string; recipients: Person[] }>();
  for (const e of relevant) {
    const data = datas.get(e.id)!;
    const unitId = unitIdOf(e, data);
    const recipients = pickRecipients(
      {
        actor_id: e.actor_id,
        org_path: e.org_path,
        unit_path: e.unit_path,
        grid_id: e.grid_id,
        micro_grid_id: e.micro_grid_id,
        reporter_id: e.reporter_id,
        unitPath: unitId ? (orgPaths.get(unitId) ?? null) : null,
        streetPath: orgPaths.get(e.street_id) ?? null,
      },
      audiencesFor(e.action, data),
      people,
      e.reporter_id ? (reporters.get(e.reporter_id) ?? null) : null,
    );
    if (!recipients.length) continue;
    const { title, body } = messageFor(e, data);
    notices.set(e.id, { event: e, title, body, recipients });
    for (const r of recipients) rows.push({ user_id: r.id, kind: e.action, title, body: body || null, case_id: e.case_id, event_id: e.id, created_at: now });
  }
  const added = await notificationRepo.insertMany(trx, rows);
  result.notifications = added.length;
  result.userIds = [...new Set(added.map((a) => a.user_id))];

  // A notice goes to the webhook once, with the recipients that were new this time.
  const addedByEvent = new Map<number, Set<number>>();
  for (const a of added) {
    if (a.event_id === null) continue;
    let set = addedByEvent.get(a.event_id);
    if (!set) addedByEvent.set(a.event_id, (set = new Set()));
    set.add(a.user_id);
  }
  for (const [eventId, userIds] of addedByEvent) {
    const n = notices.get(eventId);
    if (!n || !wantsKind(settings, n.event.action)) continue;
    const notice: WebhookNotice = {
      id: `evt-${eventId}`,
      kind: n.event.action,
      title: n.title,
      body: n.body || null,
      at: n.event.at,
      case: { id: n.event.case_id, caseNo: n.event.case_no },
      recipients: n.recipients.filter((r) => userIds.has(r.id)).map((r) => ({ userId: r.id, username: r.username, displayName: r.display_name, phone: r.phone })),
    };
    if (await enqueueWebhook(trx, notice, now)) result.webhooks++;
  }
  return result;
}
