// Demo evidence for the demo street: a few small generated PDFs on 材料审核 items of the current standard, some
// judged 符合, one 不符合 with a reason, some waiting for review, so the coverage page shows progress. Runs inside
// the demo load transaction; a handful of tiny files, so it stays fast.
import { createHash } from 'node:crypto';
import type { Executor } from '../../lib/context.js';
import { defaultPeriod, type EvidenceStatus } from '../../../core/evidence.js';
import { standardRepo } from '../standards/repo.js';
import { DEFAULT_STANDARD_CODE, itemOf } from '../standards/service.js';
import { evidenceRepo } from './repo.js';
import { minimalPdf } from './pdf.js';
import { newStorageKey, originalPath, writeAtomically } from './storage.js';

interface DemoSubmission {
  /** 'street' or the index of the community in sort order. */
  org: 'street' | number;
  itemCode: string;
  status: Exclude<EvidenceStatus, 'none'>;
  files: { name: string; title: string }[];
  comment?: string;
}

const PLAN: DemoSubmission[] = [
  { org: 'street', itemCode: '4.2.1-1', status: 'meets', files: [{ name: '创城指挥部成立文件.pdf', title: 'Campaign command: founding document' }, { name: '责任清单与任务分工.pdf', title: 'Responsibility list and task split' }], comment: '体系健全，分工明确' },
  { org: 'street', itemCode: '4.2.1-2', status: 'meets', files: [{ name: '问题整改台账.pdf', title: 'Problem ledger with before/after photos' }], comment: '台账完整' },
  { org: 'street', itemCode: '4.2.1-3', status: 'pending', files: [{ name: '常态化考核督导办法.pdf', title: 'Routine assessment and supervision rules' }] },
  { org: 'street', itemCode: '4.2.1-4', status: 'fails', files: [{ name: '志愿服务活动记录-1月.pdf', title: 'Volunteer activities, January' }], comment: '仅有1月份记录，请补充2—3月活动照片和签到表' },
  { org: 0, itemCode: '4.2.1-1', status: 'meets', files: [{ name: '社区创城工作分工.pdf', title: 'Community campaign task split' }], comment: '符合要求' },
  { org: 0, itemCode: '4.2.1-2', status: 'pending', files: [{ name: '社区问题整改台账.pdf', title: 'Community problem ledger' }] },
  { org: 1, itemCode: '4.2.1-1', status: 'pending', files: [{ name: '社区创城责任清单.pdf', title: 'Community responsibility list' }] },
];

/** Loads the demo evidence when the street has none yet. Returns the number of submissions written. */
export async function loadDemoEvidence(trx: Executor, uploadDir: string, now: Date = new Date()): Promise<number> {
  const version = await standardRepo.current(trx, DEFAULT_STANDARD_CODE);
  if (!version) return 0;
  const items = new Map((await standardRepo.items(trx, version.id)).filter((i) => itemOf(i).methods.includes('document')).map((i) => [i.code, i]));
  const street = await trx.selectFrom('orgs').select(['id', 'path']).where('kind', '=', 'street').orderBy('id').executeTakeFirst();
  if (!street) return 0;
  const communities = await trx.selectFrom('orgs').select(['id', 'path']).where('kind', '=', 'community').where('parent_id', '=', street.id).orderBy('sort').orderBy('id').execute();
  const users = new Map(
    (await trx.selectFrom('users').select(['id', 'username']).where('username', 'in', ['office', 'community', 'leader']).execute()).map((u) => [u.username, u.id]),
  );
  const period = defaultPeriod(now);
  let written = 0;
  for (const [index, plan] of PLAN.entries()) {
    const item = items.get(plan.itemCode);
    const org = plan.org === 'street' ? street : communities[plan.org];
    if (!item || !org) continue;
    // A few hours apart, ending now, so the history reads in order.
    const submitted = new Date(now.getTime() - (PLAN.length - index) * 3 * 3600_000).toISOString();
    const reviewed = new Date(Date.parse(submitted) + 3600_000).toISOString();
    const uploader = (plan.org === 0 ? users.get('community') : undefined) ?? users.get('office') ?? null;
    const reviewer = plan.status === 'pending' ? null : users.get(plan.org === 'street' ? 'leader' : 'office') ?? null;
    const sub = await evidenceRepo.insertSubmission(trx, {
      standard_code: version.standard_code,
      item_code: item.code,
      org_id: org.id,
      org_path: org.path,
      period,
      status: plan.status,
      file_count: plan.files.length,
      review_comment: plan.comment ?? null,
      reviewed_by: reviewer,
      reviewed_at: reviewer ? reviewed : null,
      submitted_at: submitted,
      created_at: submitted,
      updated_at: reviewer ? reviewed : submitted,
      version: reviewer ? 3 : 2,
    });
    const files = [];
    for (const f of plan.files) {
      const data = minimalPdf([f.title, `Wenming demo evidence - item ${item.code}, period ${period}`, 'Generated sample document.']);
      const key = newStorageKey(now);
      await writeAtomically(originalPath(uploadDir, key, 'pdf'), data);
      const sha256 = createHash('sha256').update(data).digest('hex');
      files.push({ name: f.name, kind: 'pdf', bytes: data.length, sha256 });
      await evidenceRepo.insertFiles(trx, [
        { submission_id: sub.id, kind: 'pdf', original_name: f.name, bytes: data.length, served_bytes: data.length, sha256, storage_key: key, uploaded_by: uploader, created_at: submitted },
      ]);
    }
    await evidenceRepo.insertEvent(trx, { submission_id: sub.id, at: submitted, actor_id: uploader, actor_name: 'demo', action: 'upload', from_status: 'none', to_status: 'pending', comment: null, detail: JSON.stringify({ files }) });
    if (reviewer) {
      await evidenceRepo.insertEvent(trx, {
        submission_id: sub.id,
        at: reviewed,
        actor_id: reviewer,
        actor_name: 'demo',
        action: 'review',
        from_status: 'pending',
        to_status: plan.status,
        comment: plan.comment ?? null,
        detail: JSON.stringify({ verdict: plan.status, fileCount: plan.files.length }),
      });
    }
    written++;
  }
  return written;
}
