import {
  AimOutlined, ApartmentOutlined, CarryOutOutlined, FileDoneOutlined, FundProjectionScreenOutlined, ReadOutlined, AppstoreOutlined, AuditOutlined, BranchesOutlined, CalendarOutlined, CameraOutlined, CheckSquareOutlined,
  DownOutlined, EnvironmentOutlined, FileExcelOutlined, FileSearchOutlined, ImportOutlined, KeyOutlined, LockOutlined, LogoutOutlined, MenuOutlined, ScheduleOutlined, SendOutlined,
  SettingOutlined, TagsOutlined, TeamOutlined, GlobalOutlined, UnorderedListOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Modal, Spin, Typography, App as AntApp } from 'antd';
import type { MenuProps } from 'antd';
import { Suspense, useMemo, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ORG_KIND_LABELS } from '../../core/org.js';
import { useSession, useUser } from '../auth/SessionProvider.js';
import { ChangePasswordForm } from '../components/ChangePasswordForm.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { NotificationBell } from '../components/NotificationBell.js';
import { roleLabel } from '../components/OrgKindTag.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useIsMobile } from '../lib/hooks.js';
import { activeNavItem, navigationFor, type NavItem, type NavKey } from './navigation.js';

const NAV_ICONS: Record<NavKey, ReactNode> = {
  dispatch: <SendOutlined />,
  todo: <ScheduleOutlined />,
  'grid-work': <CheckSquareOutlined />,
  report: <CameraOutlined />,
  'my-reports': <FileSearchOutlined />,
  cases: <UnorderedListOutlined />,
  categories: <TagsOutlined />,
  ledger: <FileExcelOutlined />,
  imports: <ImportOutlined />,
  calendar: <CalendarOutlined />,
  routing: <BranchesOutlined />,
  standards: <ReadOutlined />,
  inspections: <FundProjectionScreenOutlined />,
  inspect: <CarryOutOutlined />,
  evidence: <FileDoneOutlined />,
  map: <GlobalOutlined />,
  points: <AimOutlined />,
  grids: <AppstoreOutlined />,
  orgs: <ApartmentOutlined />,
  people: <TeamOutlined />,
  settings: <SettingOutlined />,
  'settings-map': <EnvironmentOutlined />,
  audit: <AuditOutlined />,
  'api-keys': <KeyOutlined />,
};

/** Full-bleed pages (the map) have no padding and fill the viewport below the header. */
const FULL_BLEED = ['/map'];

export function PageFallback() {
  return (
    <div className="wm-page-loading">
      <Spin size="large" />
    </div>
  );
}

export default function ConsoleLayout() {
  const { t, lang } = useI18n();
  const user = useUser();
  const session = useSession();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const isMobile = useIsMobile();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const nav = useMemo(() => navigationFor(user.role), [user.role]);
  const active = activeNavItem(location.pathname);
  const openGroup = nav.find((item) => item.children?.some((c) => c.key === active?.key))?.key;

  const toMenuItems = (items: NavItem[]): MenuProps['items'] =>
    items.map((item) =>
      item.children
        ? {
            key: item.key,
            icon: NAV_ICONS[item.key],
            label: <span data-testid={`menu-${item.key}`}>{t(item.label)}</span>,
            children: toMenuItems(item.children),
          }
        : {
            key: item.key,
            icon: NAV_ICONS[item.key],
            label: <span data-testid={`menu-${item.key}`}>{t(item.label)}</span>,
          },
    );

  const findPath = (key: string, items: NavItem[] = nav): string | undefined => {
    for (const item of items) {
      if (item.key === key) return item.path;
      const child = item.children && findPath(key, item.children);
      if (child) return child;
    }
    return undefined;
  };

  const menu = (
    <Menu
      mode="inline"
      theme="light"
      items={toMenuItems(nav)}
      selectedKeys={active ? [active.key] : []}
      defaultOpenKeys={openGroup ? [openGroup] : []}
      onClick={({ key }) => {
        const path = findPath(key);
        if (path) navigate(path);
        setDrawerOpen(false);
      }}
      data-testid="side-menu"
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const logout = async () => {
    await session.logout();
    message.success(t('auth.loggedOut'));
    navigate('/login', { replace: true });
  };

  const orgLine = [user.orgName, user.orgKind ? (lang === 'en-US' ? ORG_KIND_LABELS[user.orgKind]?.en : ORG_KIND_LABELS[user.orgKind]?.zh) : null]
    .filter(Boolean)
    .join(' · ');

  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div className="wm-user-card">
            <Typography.Text strong>{user.displayName}</Typography.Text>
            <Typography.Text type="secondary">
              {user.username} · {roleLabel(lang, user.role)}
            </Typography.Text>
            {orgLine ? <Typography.Text type="secondary">{orgLine}</Typography.Text> : null}
          </div>
        ),
      },
      { type: 'divider' },
      { key: 'password', icon: <LockOutlined />, label: <span data-testid="menu-change-password">{t('auth.changePassword')}</span> },
      { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="menu-logout">{t('auth.logout')}</span> },
    ],
    onClick: ({ key }) => {
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') void logout();
    },
  };

  const fullBleed = FULL_BLEED.some((p) => location.pathname === p || location.pathname.startsWith(`${p}/`));

  return (
    <Layout className="wm-console">
      <Layout.Header className="wm-header">
        {isMobile ? (
          <Button
            type="text"
            icon={<MenuOutlined />}
            onClick={() => setDrawerOpen(true)}
            aria-label={t('nav.openMenu')}
            data-testid="menu-toggle"
            className="wm-header-btn"
          />
        ) : null}
        <div className="wm-brand" onClick={() => navigate('/')} role="link">
          <span className="wm-brand-logo">文</span>
          <span className="wm-brand-name">{isMobile ? t('app.shortName') : t('app.name')}</span>
        </div>
        <div className="wm-header-right">
          {!isMobile && user.orgName ? (
            <Typography.Text className="wm-header-org" data-testid="header-org">
              {user.orgName}
            </Typography.Text>
          ) : null}
          <LanguageSwitch />
          <NotificationBell />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" className="wm-header-user" data-testid="user-menu">
              <Avatar size="small" style={{ background: '#b71c1c' }}>
                {user.displayName.slice(0, 1)}
              </Avatar>
              {!isMobile ? <span data-testid="header-user">{user.displayName}</span> : null}
              <DownOutlined style={{ fontSize: 10 }} />
            </Button>
          </Dropdown>
        </div>
      </Layout.Header>
      <Layout>
        {isMobile ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={264}
            title={
              <div className="wm-drawer-title">
                <div>{user.displayName}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                  {orgLine}
                </Typography.Text>
              </div>
            }
            styles={{ body: { padding: 0 } }}
            data-testid="menu-drawer"
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider
            width={208}
            theme="light"
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            className="wm-sider"
            breakpoint="lg"
          >
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content className={fullBleed ? 'wm-content wm-content-full' : 'wm-content'}>
          <Suspense fallback={<PageFallback />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <Modal
        open={passwordOpen}
        title={t('auth.changePassword')}
        footer={null}
        onCancel={() => setPasswordOpen(false)}
        destroyOnHidden
      >
        <ChangePasswordForm
          onDone={() => {
            setPasswordOpen(false);
            message.success(t('password.changed'));
          }}
        />
      </Modal>
    </Layout>
  );
}
