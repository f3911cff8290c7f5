// The 材料审核 API as the page uses it (docs/evidence.md).
import type { EvidenceVerdict } from '../../../core/evidence.js';
import type {
  EvidenceCoverage as Coverage,
  EvidenceCoverageNode as CoverageNode,
  EvidenceCoverageRow as CoverageRow,
  EvidenceEventView as EvidenceEvent,
  EvidenceFileView as EvidenceFile,
  EvidenceOrgCoverage as EvidenceOrg,
  EvidenceOrgList,
  EvidencePeriodList,
  EvidenceSubmissionDetail as SubmissionDetail,
  EvidenceSubmissionView as Submission,
  EvidenceUploadResult,
} from '../../../core/evidence-views.js';
import { api, downloadUrl, uploadWithProgress } from '../../api/client.js';

// The answers are the server's shapes (src/core/evidence-views.ts), under the names the page uses.
export type { Coverage, CoverageNode, CoverageRow, EvidenceEvent, EvidenceFile, EvidenceOrg, Submission, SubmissionDetail };

export interface CoverageQuery { orgId: number; period: string; lacking?: boolean }

export const evidenceApi = {
  orgs: (period: string) => api.get<EvidenceOrgList>('/evidence/orgs', { period }),
  periods: () => api.get<EvidencePeriodList>('/evidence/periods'),
  coverage: (q: CoverageQuery) => api.get<Coverage>('/evidence/coverage', { orgId: q.orgId, period: q.period, lacking: q.lacking || undefined }),
  exportUrl: (q: CoverageQuery) => downloadUrl('/evidence/coverage.xlsx', { orgId: q.orgId, period: q.period, lacking: q.lacking || undefined }),
  submission: (id: number) => api.get<SubmissionDetail>(`/evidence/submissions/${id}`),
  upload: (q: { itemId: number; orgId: number; period: string }, file: File, onProgress: (f: number) => void) =>
    uploadWithProgress<EvidenceUploadResult>('/evidence/uploads', [file], onProgress, q),
  review: (s: Submission, verdict: EvidenceVerdict, comment: string) => api.post<SubmissionDetail>(`/evidence/submissions/${s.id}/review`, { version: s.version, verdict, comment: comment || null }),
  removeFile: (file: EvidenceFile, s: Submission) => api.del<SubmissionDetail>(`/evidence/files/${file.id}?version=${s.version}`),
};
