import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import type { OrgKind } from '../../core/org.js';
import type { Id } from '../api/types.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { OrgTreeNode } from '../lib/orgTree.js';
import { useOrgNodes } from '../lib/referenceData.js';
import { ORG_KIND_ICONS } from './OrgKindTag.js';

interface TreeOption {
  value: string;
  title: string;
  label: string;
  icon: React.ReactNode;
  disabled?: boolean;
  selectable?: boolean;
  children?: TreeOption[];
}

export interface OrgTreeSelectProps {
  value?: Id | null;
  onChange?: (value: string | undefined) => void;
  /** Only these kinds can be picked; the others stay visible as the path to them. */
  selectableKinds?: readonly OrgKind[];
  /** Leaves out these kinds entirely (e.g. micro-grids where they only add noise). */
  hiddenKinds?: readonly OrgKind[];
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  testId?: string;
  includeInactive?: boolean;
}

export function OrgTreeSelect(props: OrgTreeSelectProps) {
  const { t } = useI18n();
  const { tree, loading } = useOrgNodes();
  const { selectableKinds, hiddenKinds, includeInactive } = props;

  const treeData = useMemo(() => {
    const convert = (nodes: OrgTreeNode[]): TreeOption[] =>
      nodes
        .filter((n) => !hiddenKinds?.includes(n.kind) && (includeInactive || n.active))
        .map((n) => {
          const selectable = !selectableKinds || selectableKinds.includes(n.kind);
          const children = convert(n.children);
          return {
            value: String(n.id),
            title: n.name,
            label: n.name,
            icon: ORG_KIND_ICONS[n.kind],
            selectable,
            disabled: !selectable && children.length === 0,
            children: children.length ? children : undefined,
          };
        });
    return convert(tree);
  }, [tree, selectableKinds, hiddenKinds, includeInactive]);

  return (
    <TreeSelect<string>
      data-testid={props.testId}
      value={props.value === null || props.value === undefined || props.value === '' ? undefined : String(props.value)}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      treeData={treeData}
      loading={loading}
      placeholder={props.placeholder ?? t('common.selectOrg')}
      allowClear={props.allowClear ?? true}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeIcon
      treeDefaultExpandedKeys={treeData.slice(0, 1).map((n) => n.value)}
      style={props.style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
      listHeight={360}
    />
  );
}
