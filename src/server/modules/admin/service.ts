// Settings, audit log, API keys and the public meta document the web app boots from.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Deps } from '../../lib/context.js';
import { Problem, notFound } from '../../errors.js';
import { assertCan } from '../../lib/scope.js';
import { audit } from '../../lib/audit.js';
import { nowIso } from '../../db/database.js';
import { ROLES, ROLE_LABELS } from '../../../core/roles.js';
import { ORG_KINDS, ORG_KIND_LABELS } from '../../../core/org.js';
import { apiKeyRepo, auditRepo, settingsRepo } from './repo.js';

export interface MapSettings {
  tileUrl: string | null;
  tileCrs: 'WGS84' | 'GCJ02';
}

export async function getMapSettings(deps: Deps): Promise<MapSettings> {
  const saved = await settingsRepo.get<MapSettings>(deps.db, 'map');
  return saved ?? { tileUrl: deps.config.tileUrl, tileCrs: deps.config.tileCoordSystem };
}

export async function putMapSettings(deps: Deps, actor: Actor, input: MapSettings) {
  assertCan(actor.user, 'settings.write');
  await deps.db.transaction().execute(async (trx) => {
    await settingsRepo.put(trx, 'map', input, actor.user.id, nowIso());
    await audit(trx, actor, { action: 'settings.map', targetType: 'settings', targetId: 'map', orgPath: actor.user.orgPath, detail: input });
  });
  return input;
}

export const DEMO_PASSWORD = 'wenming-demo';

export async function getMeta(deps: Deps) {
  const [pointTypes, demo, map] = await Promise.all([
    deps.db.selectFrom('point_types').selectAll().where('active', '=', 1).orderBy('sort').execute(),
    settingsRepo.get<{ users: { username: string; role: string; displayName: string }[] }>(deps.db, 'demo'),
    getMapSettings(deps),
  ]);
  const demoMode = deps.config.demo && !!demo;
  return {
    roles: ROLES.map((r) => ({ code: r, ...ROLE_LABELS[r] })),
    orgKinds: ORG_KINDS.map((k) => ({ code: k, ...ORG_KIND_LABELS[k] })),
    pointTypes: pointTypes.map((t) => ({ code: t.code, nameZh: t.name_zh, nameEn: t.name_en, geometryKind: t.geometry_kind, fields: JSON.parse(t.fields) })),
    demo: demoMode,
    ...(demoMode ? { demoLogins: demo!.users.map((u) => ({ ...u, password: DEMO_PASSWORD })) } : {}),
    map,
  };
}

export async function listAudit(deps: Deps, actor: Actor, q: { action?: string; actor?: string; page: number; pageSize: number }) {
  assertCan(actor.user, 'audit.read');
  const { items, total } = await auditRepo.list(deps.db, { scopePath: actor.user.orgPath, action: q.action, actor: q.actor }, q.page, q.pageSize);
  return {
    items: items.map((a) => ({ id: a.id, at: a.at, actorName: a.actor_name, action: a.action, targetType: a.target_type, targetId: a.target_id, detail: a.detail ? JSON.parse(a.detail) : null, ip: a.ip })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function presentApiKey(k: { id: number; name: string; source: string; prefix: string; street_id: number | null; rate_limit_per_minute: number; created_at: string; revoked_at: string | null; last_used_at: string | null }) {
  return { id: k.id, name: k.name, source: k.source, prefix: k.prefix, streetId: k.street_id, rateLimitPerMinute: k.rate_limit_per_minute, createdAt: k.created_at, revokedAt: k.revoked_at, lastUsedAt: k.last_used_at };
}

/** Issues an API key (for Open311 clients, the 12345 hotline…). The key itself is shown once and stored hashed. */
export async function createApiKey(deps: Deps, actor: Actor | null, input: { name: string; source: string; rateLimitPerMinute?: number; streetId?: number | null }) {
  if (actor) assertCan(actor.user, 'apikey.manage');
  const key = `wm_${randomBytes(24).toString('base64url')}`;
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await apiKeyRepo.insert(trx, { name: input.name, source: input.source, prefix: key.slice(0, 10), hash: sha256(key), streetId: input.streetId ?? null, rateLimit: input.rateLimitPerMinute ?? 60, createdBy: actor?.user.id ?? null, now: nowIso() });
    await audit(trx, actor, { action: 'apikey.create', targetType: 'api_key', targetId: id, orgPath: actor?.user.orgPath ?? null, detail: { name: input.name, source: input.source } });
    return id;
  });
  return { ...presentApiKey((await apiKeyRepo.byId(deps.db, id))!), key };
}

export async function revokeApiKey(deps: Deps, actor: Actor | null, id: number) {
  if (actor) assertCan(actor.user, 'apikey.manage');
  await deps.db.transaction().execute(async (trx) => {
    const k = await apiKeyRepo.byId(trx, id);
    if (!k) throw notFound(`api key ${id}`);
    if (k.revoked_at) throw new Problem('CONFLICT');
    await apiKeyRepo.revoke(trx, id, nowIso());
    await audit(trx, actor, { action: 'apikey.revoke', targetType: 'api_key', targetId: id, orgPath: actor?.user.orgPath ?? null });
  });
}

export async function listApiKeys(deps: Deps, actor: Actor) {
  assertCan(actor.user, 'apikey.manage');
  return (await apiKeyRepo.list(deps.db)).map(presentApiKey);
}

/** Resolves a presented API key (Open311 POSTs); null when unknown or revoked. */
export async function verifyApiKey(deps: Deps, key: string) {
  const k = await apiKeyRepo.byHash(deps.db, sha256(key));
  return k && !k.revoked_at ? k : null;
}
