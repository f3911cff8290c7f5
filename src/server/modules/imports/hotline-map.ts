// 12345 诉求类别 → 小类: the hotline's own categories ("城市管理-乱停车", "环境卫生-垃圾清运") do not match ours, so
// a keyword table maps them. The campaign office keeps it in settings 'hotline.categoryMap'; the seed below is used
// until it saves its own. Order matters: the first keyword the text contains wins, so specific words go first.
import type { Actor, Deps, Executor } from '../../lib/context.js';
import { Problem } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { assertCan } from '../../lib/scope.js';
import { nowIso } from '../../db/database.js';
import { settingsRepo } from '../admin/repo.js';
import { categoryRepo } from '../categories/repo.js';
import type { KeywordMapping } from './parse.js';

export const HOTLINE_MAP_KEY = 'hotline.categoryMap';
export const MAX_HOTLINE_KEYWORDS = 200;

export const DEFAULT_HOTLINE_CATEGORY_MAP: readonly KeywordMapping[] = [
  { keyword: '共享单车', categoryCode: '1402' },
  { keyword: '非机动车', categoryCode: '1402' },
  { keyword: '电动车乱停', categoryCode: '1402' },
  { keyword: '停车', categoryCode: '1401' },
  { keyword: '小广告', categoryCode: '1201' },
  { keyword: '牛皮癣', categoryCode: '1201' },
  { keyword: '占道', categoryCode: '1404' },
  { keyword: '店外经营', categoryCode: '1404' },
  { keyword: '游商', categoryCode: '1403' },
  { keyword: '摊贩', categoryCode: '1403' },
  { keyword: '烧烤', categoryCode: '1405' },
  { keyword: '飞线', categoryCode: '1109' },
  { keyword: '私拉电线', categoryCode: '1109' },
  { keyword: '楼道', categoryCode: '1110' },
  { keyword: '遛狗', categoryCode: '1407' },
  { keyword: '养犬', categoryCode: '1407' },
  { keyword: '犬只', categoryCode: '1407' },
  { keyword: '渣土', categoryCode: '1102' },
  { keyword: '垃圾', categoryCode: '1101' },
  { keyword: '晾晒', categoryCode: '1108' },
  { keyword: '井盖', categoryCode: '0101' },
  { keyword: '路灯', categoryCode: '0102' },
  { keyword: '积水', categoryCode: '1501' },
];

/** The saved table, or the seed. */
export async function hotlineCategoryMap(db: Executor): Promise<KeywordMapping[]> {
  const saved = await settingsRepo.get<KeywordMapping[]>(db, HOTLINE_MAP_KEY);
  return Array.isArray(saved) ? saved : [...DEFAULT_HOTLINE_CATEGORY_MAP];
}

/** Replaces the table (office/admin): every keyword once, every code an active 小类. */
export async function putHotlineCategoryMap(deps: Deps, actor: Actor, entries: KeywordMapping[]): Promise<KeywordMapping[]> {
  assertCan(actor.user, 'settings.write');
  const categories = new Map((await categoryRepo.codes(deps.db)).map((c) => [c.code, c]));
  const seen = new Set<string>();
  const clean: KeywordMapping[] = [];
  entries.forEach((e, i) => {
    const keyword = e.keyword.trim();
    if (!keyword) throw new Problem('VALIDATION_FAILED', { field: `entries.${i}.keyword`, reason: 'is empty' });
    if (seen.has(keyword.toLowerCase())) throw new Problem('VALIDATION_FAILED', { field: `entries.${i}.keyword`, reason: `"${keyword}" appears twice` });
    seen.add(keyword.toLowerCase());
    const c = categories.get(e.categoryCode);
    if (!c || e.categoryCode.length !== 4 || c.active !== 1) {
      throw new Problem('VALIDATION_FAILED', { field: `entries.${i}.categoryCode`, reason: `${e.categoryCode} is not an active 小类` });
    }
    clean.push({ keyword, categoryCode: e.categoryCode });
  });
  await deps.db.transaction().execute(async (trx) => {
    await settingsRepo.put(trx, HOTLINE_MAP_KEY, clean, actor.user.id, nowIso());
    await audit(trx, actor, { action: 'settings.hotline_category_map', targetType: 'settings', targetId: HOTLINE_MAP_KEY, orgPath: actor.user.orgPath, detail: { count: clean.length } });
  });
  return clean;
}
