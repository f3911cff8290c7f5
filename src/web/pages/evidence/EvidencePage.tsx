// 材料审核: for one org (the street or a community) and one assessment period, every 测评标准 of the current standard
// assessed by document review, grouped by the 测评体系 tree, with its status; counts and percentages on top; a
// drawer per item to upload evidence, review it and read its history. Phones get cards instead of the table.
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Col, Empty, Flex, Progress, Row, Select, Statistic, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { can } from '../../../core/roles.js';
import { NODE_LEVEL_LABELS, type NodeLevel } from '../../../core/standards/index.js';
import { isValidPeriod } from '../../../core/evidence.js';
import { useUser } from '../../auth/SessionProvider.js';
import { FilterBar, PageHeader } from '../../components/PageHeader.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsync, useIsMobile } from '../../lib/hooks.js';
import { EvidenceDrawer, StatusTag } from './EvidenceDrawer.js';
import { evidenceApi, type Coverage, type CoverageNode, type CoverageRow } from './evidenceApi.js';
import { STRINGS, type Strings } from './strings.js';

/** A table row: a tree node (Ⅰ/Ⅱ/Ⅲ) holding its children, or an item. */
type TreeRow = { key: string; node?: CoverageNode; row?: CoverageRow; children?: TreeRow[] };

function buildTree(cov: Coverage): TreeRow[] {
  const byId = new Map<number, TreeRow>();
  const roots: TreeRow[] = [];
  for (const n of [...cov.nodes].sort((a, b) => a.level - b.level)) {
    const tr: TreeRow = { key: `n${n.id}`, node: n, children: [] };
    byId.set(n.id, tr);
    (n.parentId ? byId.get(n.parentId)?.children : roots)?.push(tr);
  }
  for (const r of cov.rows) byId.get(r.nodeId)?.children?.push({ key: `i${r.itemId}`, row: r });
  return roots;
}

/** Groups of items under their 测评内容, with the Ⅰ/Ⅱ names, for the phone cards. */
function groups(cov: Coverage) {
  const byId = new Map(cov.nodes.map((n) => [n.id, n]));
  const out: { content: CoverageNode; path: string; rows: CoverageRow[] }[] = [];
  for (const r of cov.rows) {
    const content = byId.get(r.nodeId);
    if (!content) continue;
    let g = out.find((x) => x.content.id === content.id);
    if (!g) {
      const indicator = content.parentId ? byId.get(content.parentId) : undefined;
      const project = indicator?.parentId ? byId.get(indicator.parentId) : undefined;
      g = { content, path: [project?.name, indicator?.name].filter(Boolean).join(' / '), rows: [] };
      out.push(g);
    }
    g.rows.push(r);
  }
  return out;
}

export default function EvidencePage() {
  const { lang, errorText, formatDateTime } = useI18n();
  const s: Strings = STRINGS[lang === 'en-US' ? 'en-US' : 'zh-CN'];
  const user = useUser();
  const isMobile = useIsMobile();
  const canUpload = can(user.role, 'evidence.upload');
  const canReview = can(user.role, 'evidence.review');

  const periods = useAsync(() => evidenceApi.periods(), []);
  const [period, setPeriod] = useState<string | null>(null);
  const [periodInput, setPeriodInput] = useState('');
  useEffect(() => {
    if (period === null && periods.data) {
      setPeriod(periods.data.default);
      setPeriodInput(periods.data.default);
    }
  }, [periods.data, period]);

  const orgs = useAsync(() => (period ? evidenceApi.orgs(period) : Promise.resolve(undefined)), [period]);
  const [orgId, setOrgId] = useState<number | null>(null);
  useEffect(() => {
    const list = orgs.data?.items;
    if (list?.length && (orgId === null || !list.some((o) => o.id === orgId))) setOrgId((list.find((o) => o.id === user.orgId) ?? list[0]!).id);
  }, [orgs.data, orgId, user.orgId]);

  const [lacking, setLacking] = useState(false);
  const coverage = useAsync(
    () => (orgId && period ? evidenceApi.coverage({ orgId, period, lacking }) : Promise.resolve(undefined)),
    [orgId, period, lacking],
  );
  // The open item: its fresh row from the coverage when listed, else the row it was opened with (a 符合 verdict
  // takes it out of the "only lacking" list, and the drawer must not vanish under the reviewer's hand).
  const [opened, setOpened] = useState<CoverageRow | null>(null);
  const cov = coverage.data;
  const openRow = opened ? cov?.rows.find((r) => r.code === opened.code) ?? opened : null;
  const setOpenCode = (code: string | null) => setOpened(code ? cov?.rows.find((r) => r.code === code) ?? null : null);
  const tree = useMemo(() => (cov ? buildTree(cov) : []), [cov]);
  const cardGroups = useMemo(() => (cov ? groups(cov) : []), [cov]);

  const applyPeriod = (value: string) => {
    const v = value.trim();
    if (v && isValidPeriod(v) && v !== period) setPeriod(v);
    else setPeriodInput(period ?? '');
  };
  const refresh = () => {
    coverage.reload();
    orgs.reload();
  };

  const nodeTitle = (n: CoverageNode) => `${NODE_LEVEL_LABELS[n.level as NodeLevel]?.numeral ?? ''} ${n.code} ${n.name}`;
  const reviewText = (r: CoverageRow) =>
    r.submission?.reviewedAt ? `${r.submission.reviewerName ?? ''} ${formatDateTime(r.submission.reviewedAt)}${r.submission.reviewComment ? `：${r.submission.reviewComment}` : ''}` : '—';
  const actionButton = (r: CoverageRow) => (
    <Button size="small" icon={canUpload && r.status === 'none' ? <UploadOutlined /> : undefined} onClick={(e) => { e.stopPropagation(); setOpenCode(r.code); }} data-testid="evidence-open">
      {canUpload && r.status === 'none' ? s.upload : s.open}
    </Button>
  );

  const columns: TableColumnType<TreeRow>[] = [
    {
      title: s.code,
      key: 'code',
      width: 230,
      onCell: (tr) => (tr.node ? { colSpan: 6 } : {}),
      render: (_: unknown, tr) => (tr.node ? <Typography.Text strong={tr.node.level < 3}>{nodeTitle(tr.node)}</Typography.Text> : tr.row!.code),
    },
    { title: s.text, key: 'text', onCell: (tr) => (tr.node ? { colSpan: 0 } : {}), render: (_: unknown, tr) => tr.row?.text },
    { title: s.status, key: 'status', width: 100, onCell: (tr) => (tr.node ? { colSpan: 0 } : {}), render: (_: unknown, tr) => (tr.row ? <StatusTag status={tr.row.status} /> : null) },
    { title: s.files, key: 'files', width: 70, align: 'right', onCell: (tr) => (tr.node ? { colSpan: 0 } : {}), render: (_: unknown, tr) => tr.row?.submission?.fileCount ?? 0 },
    { title: s.reviewed, key: 'review', width: 240, onCell: (tr) => (tr.node ? { colSpan: 0 } : {}), render: (_: unknown, tr) => (tr.row ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{reviewText(tr.row)}</Typography.Text> : null) },
    { title: s.actions, key: 'actions', width: 90, onCell: (tr) => (tr.node ? { colSpan: 0 } : {}), render: (_: unknown, tr) => (tr.row ? actionButton(tr.row) : null) },
  ];

  const c = cov?.counts;
  const noOrg = orgs.data && orgs.data.items.length === 0;

  return (
    <div data-testid="evidence-page">
      <PageHeader
        title={s.title}
        subtitle={isMobile ? undefined : s.subtitle}
        extra={cov ? (
          <Button icon={<DownloadOutlined />} href={evidenceApi.exportUrl({ orgId: cov.org.id, period: cov.period, lacking })} data-testid="evidence-export">
            {s.export}
          </Button>
        ) : null}
      />
      {noOrg ? <Alert type="info" showIcon title={s.noOrg} /> : null}
      {!noOrg ? (
        <FilterBar>
          <Select
            style={{ minWidth: isMobile ? '100%' : 260 }}
            value={orgId ?? undefined}
            loading={orgs.loading}
            onChange={(id: number) => { setOrgId(id); setOpenCode(null); }}
            data-testid="evidence-org"
            options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.name} · ${s.metPercent} ${o.counts.metPercent}%` }))}
            aria-label={s.org}
          />
          <AutoComplete
            style={{ width: isMobile ? '100%' : 200 }}
            value={periodInput}
            options={(periods.data?.items ?? []).map((p) => ({ value: p }))}
            onChange={setPeriodInput}
            onSelect={(v: string) => applyPeriod(v)}
            onBlur={() => applyPeriod(periodInput)}
            onKeyDown={(e) => { if (e.key === 'Enter') applyPeriod(periodInput); }}
            placeholder={s.periodHint}
            aria-label={s.period}
            data-testid="evidence-period"
          />
          <Flex align="center" gap={6}>
            <Switch checked={lacking} onChange={setLacking} data-testid="evidence-lacking" />
            <Typography.Text>{s.lacking}</Typography.Text>
          </Flex>
        </FilterBar>
      ) : null}
      {!canUpload && !canReview ? <Alert type="info" showIcon title={s.readOnly} style={{ marginBottom: 12 }} /> : null}
      {coverage.error || orgs.error || periods.error ? <Alert type="error" showIcon title={errorText(coverage.error || orgs.error || periods.error)} style={{ marginBottom: 12 }} /> : null}

      {c ? (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="evidence-summary" data-met={c.metPercent} data-submitted={c.submittedPercent} data-meets={c.meets} data-none={c.none}>
          <Row gutter={[12, 12]} align="middle">
            <Col xs={12} md={4}><Statistic title={s.total} value={c.total} /></Col>
            <Col xs={12} md={4}><Statistic title={s.none} value={c.none} styles={{ content: { color: c.none ? '#b71c1c' : undefined } }} /></Col>
            <Col xs={8} md={3}><Statistic title={s.pending} value={c.pending} /></Col>
            <Col xs={8} md={3}><Statistic title={s.meets} value={c.meets} styles={{ content: { color: '#2e7d32' } }} /></Col>
            <Col xs={8} md={3}><Statistic title={s.fails} value={c.fails} styles={{ content: { color: c.fails ? '#b71c1c' : undefined } }} /></Col>
            <Col xs={24} md={7}>
              <div>
                <Typography.Text type="secondary">{s.submittedPercent}</Typography.Text>
                <Progress percent={c.submittedPercent} size="small" data-testid="evidence-submitted-percent" />
              </div>
              <div>
                <Typography.Text type="secondary">{s.metPercent}</Typography.Text>
                <Progress percent={c.metPercent} size="small" strokeColor="#2e7d32" data-testid="evidence-met-percent" />
              </div>
            </Col>
          </Row>
        </Card>
      ) : null}

      {cov && cov.rows.length === 0 ? <Empty description={lacking ? s.allDone : s.empty} /> : null}
      {cov && cov.rows.length > 0 && !isMobile ? (
        <Table<TreeRow>
          key={`${cov.org.id}-${cov.period}-${cov.lacking}`}
          rowKey="key"
          size="small"
          loading={coverage.loading}
          columns={columns}
          dataSource={tree}
          pagination={false}
          expandable={{ defaultExpandAllRows: true, indentSize: 12 }}
          onRow={(tr) => (tr.row ? { onClick: () => setOpenCode(tr.row!.code), style: { cursor: 'pointer' }, 'data-testid': 'evidence-row', 'data-code': tr.row.code, 'data-status': tr.row.status } as React.HTMLAttributes<HTMLElement> : {})}
          data-testid="evidence-table"
        />
      ) : null}
      {cov && cov.rows.length > 0 && isMobile ? (
        <Flex vertical gap={12} data-testid="evidence-table">
          {cardGroups.map((g) => (
            <Card key={g.content.id} size="small" title={<div style={{ whiteSpace: 'normal' }}><div style={{ fontSize: 12, fontWeight: 400, color: '#888' }}>{g.path}</div>{nodeTitle(g.content)}</div>}>
              <Flex vertical gap={10}>
                {g.rows.map((r) => (
                  <div key={r.itemId} data-testid="evidence-row" data-code={r.code} data-status={r.status} onClick={() => setOpenCode(r.code)} style={{ cursor: 'pointer' }}>
                    <Flex justify="space-between" align="start" gap={8}>
                      <Typography.Text>
                        <Tag>{r.code}</Tag>
                        {r.text}
                      </Typography.Text>
                    </Flex>
                    <Flex justify="space-between" align="center" gap={8} style={{ marginTop: 4 }}>
                      <Flex gap={6} align="center">
                        <StatusTag status={r.status} />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.files} {r.submission?.fileCount ?? 0}</Typography.Text>
                      </Flex>
                      {actionButton(r)}
                    </Flex>
                    {r.submission?.reviewComment ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.submission.reviewComment}</Typography.Text> : null}
                  </div>
                ))}
              </Flex>
            </Card>
          ))}
        </Flex>
      ) : null}

      {openRow && cov ? (
        <EvidenceDrawer
          key={`${cov.org.id}-${cov.period}-${openRow.code}`}
          strings={s}
          row={openRow}
          org={cov.org}
          period={cov.period}
          canUpload={canUpload}
          canReview={canReview}
          onClose={() => setOpenCode(null)}
          onChanged={refresh}
        />
      ) : null}
    </div>
  );
}
