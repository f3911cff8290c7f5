import {
  ApartmentOutlined, BankOutlined, BorderOutlined, AppstoreOutlined, HomeOutlined, ShopOutlined, TeamOutlined,
  EnvironmentOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { ORG_KIND_LABELS, type OrgKind } from '../../core/org.js';
import { ROLE_LABELS, type Role } from '../../core/roles.js';
import { useI18n } from '../i18n/I18nProvider.js';

export const ORG_KIND_ICONS: Record<OrgKind, ReactNode> = {
  district: <BankOutlined />,
  street: <EnvironmentOutlined />,
  community: <HomeOutlined />,
  grid: <AppstoreOutlined />,
  micro_grid: <BorderOutlined />,
  department: <ApartmentOutlined />,
  stationed_unit: <TeamOutlined />,
  property_company: <ShopOutlined />,
};

export const ORG_KIND_COLOURS: Record<OrgKind, string> = {
  district: 'magenta',
  street: 'red',
  community: 'volcano',
  grid: 'gold',
  micro_grid: 'lime',
  department: 'blue',
  stationed_unit: 'geekblue',
  property_company: 'purple',
};

export function OrgKindTag({ kind }: { kind: OrgKind }) {
  const { label } = useI18n();
  return (
    <Tag color={ORG_KIND_COLOURS[kind]} icon={ORG_KIND_ICONS[kind]} variant="outlined">
      {label(ORG_KIND_LABELS[kind]) || kind}
    </Tag>
  );
}

const ROLE_COLOURS: Record<Role, string> = {
  admin: 'red',
  leader: 'magenta',
  office: 'volcano',
  dispatcher: 'orange',
  unit: 'blue',
  grid_worker: 'green',
  inspector: 'cyan',
  citizen_patrol: 'geekblue',
  volunteer: 'purple',
};

export function RoleTag({ role }: { role: Role }) {
  const { label } = useI18n();
  return <Tag color={ROLE_COLOURS[role]}>{label(ROLE_LABELS[role]) || role}</Tag>;
}

export function roleLabel(lang: 'zh-CN' | 'en-US', role: string): string {
  const entry = ROLE_LABELS[role as Role];
  if (!entry) return role;
  return lang === 'en-US' ? entry.en : entry.zh;
}
