// The 材料审核 API as the page uses it (docs/evidence.md).
import type { CoverageCounts, EvidenceFileKind, EvidenceStatus, EvidenceVerdict } from '../../../core/evidence.js';
import { api, downloadUrl, uploadWithProgress } from '../../api/client.js';

export interface EvidenceOrg { id: number; name: string; kind: string; counts: CoverageCounts }
export interface Submission {
  id: number; standardCode: string; itemCode: string; orgId: number; period: string; status: EvidenceStatus; fileCount: number;
  reviewComment: string | null; reviewedAt: string | null; reviewerName: string | null; submittedAt: string | null; updatedAt: string; version: number;
}
export interface CoverageRow { itemId: number; code: string; nodeId: number; text: string; points: number; ruleText: string; status: EvidenceStatus; submission: Submission | null }
export interface CoverageNode { id: number; parentId: number | null; level: number; code: string; name: string }
export interface Coverage {
  standard: { versionId: number; standardCode: string; versionNo: number; title: string };
  org: { id: number; name: string; kind: string };
  period: string;
  lacking: boolean;
  counts: CoverageCounts;
  nodes: CoverageNode[];
  rows: CoverageRow[];
}
export interface EvidenceFile { id: number; kind: EvidenceFileKind; name: string; downloadName: string; bytes: number; servedBytes: number; sha256: string; uploaderName: string | null; createdAt: string; url: string }
export interface EvidenceEvent { id: number; at: string; actorName: string | null; action: string; fromStatus: string | null; toStatus: string | null; comment: string | null; detail: unknown }
export interface SubmissionDetail {
  submission: Submission;
  org: { id: number; name: string; kind: string } | null;
  item: { id: number; code: string; text: string; points: number; ruleText: string } | null;
  files: EvidenceFile[];
  events: EvidenceEvent[];
}

export interface CoverageQuery { orgId: number; period: string; lacking?: boolean }

export const evidenceApi = {
  orgs: (period: string) => api.get<{ period: string; items: EvidenceOrg[] }>('/evidence/orgs', { period }),
  periods: () => api.get<{ default: string; items: string[] }>('/evidence/periods'),
  coverage: (q: CoverageQuery) => api.get<Coverage>('/evidence/coverage', { orgId: q.orgId, period: q.period, lacking: q.lacking || undefined }),
  exportUrl: (q: CoverageQuery) => downloadUrl('/evidence/coverage.xlsx', { orgId: q.orgId, period: q.period, lacking: q.lacking || undefined }),
  submission: (id: number) => api.get<SubmissionDetail>(`/evidence/submissions/${id}`),
  upload: (q: { itemId: number; orgId: number; period: string }, file: File, onProgress: (f: number) => void) =>
    uploadWithProgress<SubmissionDetail & { added: number; duplicates: string[] }>('/evidence/uploads', [file], onProgress, q),
  review: (s: Submission, verdict: EvidenceVerdict, comment: string) => api.post<SubmissionDetail>(`/evidence/submissions/${s.id}/review`, { version: s.version, verdict, comment: comment || null }),
  removeFile: (file: EvidenceFile, s: Submission) => api.del<SubmissionDetail>(`/evidence/files/${file.id}?version=${s.version}`),
};
