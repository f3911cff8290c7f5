import { EditOutlined, KeyOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Col, Form, Input, Popconfirm, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../core/roles.js';
import { ApiError } from '../api/client.js';
import { userApi, type UserInput } from '../api/endpoints.js';
import type { User } from '../api/types.js';
import { useUser } from '../auth/SessionProvider.js';
import { ImportDialog } from '../components/ImportDialog.js';
import { RoleTag } from '../components/OrgKindTag.js';
import { OrgTreeSelect } from '../components/OrgTreeSelect.js';
import { FilterBar } from '../components/FilterBar.js';
import { FormModal } from '../components/FormModal.js';
import { PageHeader } from '../components/PageHeader.js';
import { stop, type Column } from '../components/ResponsiveTable.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { mayEditUsers } from '../layout/navigation.js';
import { isStrongPassword, showFieldError } from '../lib/forms.js';
import { useAsync, useListParams } from '../lib/hooks.js';
import { bindFilter } from '../lib/listFilters.js';
import { toId } from '../lib/orgTree.js';
import { PagedTable } from '../components/PagedTable.js';

export default function PeoplePage() {
  const { t, label, errorText, formatDateTime } = useI18n();
  const me = useUser();
  const { message, modal } = AntApp.useApp();
  const canEdit = mayEditUsers(me.role);
  const list = useListParams(['q', 'role', 'orgId']);
  const users = useAsync(() => userApi.list(list.query), [JSON.stringify(list.query)]);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [importOpen, setImportOpen] = useState(false);

  const roleOptions = ROLES.map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }));

  const showTemporaryPassword = (user: { displayName: string; username: string }, password: string) => {
    modal.success({
      title: t('people.tempPasswordTitle', { name: user.displayName }),
      width: 460,
      content: (
        <div data-testid="temp-password">
          <Typography.Paragraph>{t('people.tempPasswordHint')}</Typography.Paragraph>
          <Typography.Paragraph>
            {t('login.username')}: <Typography.Text code>{user.username}</Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph copyable={{ text: password }} style={{ fontSize: 18 }}>
            <Typography.Text code strong data-testid="temp-password-value">
              {password}
            </Typography.Text>
          </Typography.Paragraph>
        </div>
      ),
    });
  };

  const resetPassword = async (user: User) => {
    try {
      const { temporaryPassword } = await userApi.resetPassword(user.id);
      showTemporaryPassword(user, temporaryPassword);
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const columns: Column<User>[] = [
    {
      title: t('people.displayName'),
      dataIndex: 'displayName',
      mobile: 'title',
      render: (_: unknown, u) => (
        <Space size={4}>
          <span>{u.displayName}</span>
          {!u.active ? <Tag>{t('common.inactive')}</Tag> : null}
          {u.locked ? <Tag color="orange">{t('people.locked')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('login.username'), dataIndex: 'username', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('people.role'), dataIndex: 'role', render: (r: Role) => <RoleTag role={r} /> },
    { title: t('people.org'), dataIndex: 'orgName' },
    { title: t('people.phone'), dataIndex: 'phone' },
    { title: t('people.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => formatDateTime(v), mobile: 'hide' },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, u: User) => (
              <Space size={0} onClick={stop}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} data-testid="user-edit">
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('people.resetConfirm', { name: u.displayName })} onConfirm={() => resetPassword(u)} okText={t('people.reset')}>
                  <Button type="link" size="small" icon={<KeyOutlined />} data-testid="user-reset-password">
                    {t('people.reset')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          } satisfies Column<User>,
        ]
      : []),
  ];

  return (
    <div className="wm-page">
      <PageHeader
        title={t('nav.people')}
        extra={
          canEdit ? (
            <>
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="user-import">
                {t('people.import')}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
                {t('people.create')}
              </Button>
            </>
          ) : null
        }
      />
      <FilterBar search={{ list, placeholder: t('people.search'), testId: 'filter-q' }}>
        <Select
          allowClear
          placeholder={t('people.role')}
          options={roleOptions}
          {...bindFilter(list, 'role')}
          className="wm-filter"
          data-testid="filter-role"
        />
        <OrgTreeSelect
          {...bindFilter(list, 'orgId')}
          placeholder={t('people.org')}
          hiddenKinds={['micro_grid']}
          style={{ minWidth: 200 }}
          testId="filter-org"
        />
      </FilterBar>
      <PagedTable<User>
        result={users}
        list={list}
        testId="users"
        columns={columns}
        rowKey={(u) => String(u.id)}
        onRowClick={canEdit ? (u) => setEditing(u) : undefined}
      />
      {editing ? (
        <UserDialog
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved, temporaryPassword) => {
            setEditing(null);
            users.reload();
            message.success(t('common.saved'));
            if (temporaryPassword) showTemporaryPassword(saved, temporaryPassword);
          }}
        />
      ) : null}
      <ImportDialog
        open={importOpen}
        title={t('people.import')}
        accept=".xlsx"
        hint={t('people.importHint')}
        upload={userApi.importXlsx}
        onClose={() => setImportOpen(false)}
        onImported={() => users.reload()}
      />
    </div>
  );
}

interface UserFormValues {
  username: string;
  displayName: string;
  phone?: string;
  role: Role;
  orgId: string;
  password?: string;
  active?: boolean;
}

function UserDialog({ user, onClose, onSaved }: { user: User | null; onClose: () => void; onSaved: (user: User, temporaryPassword?: string) => void }) {
  const { t, label, errorText } = useI18n();
  const { message, modal } = AntApp.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const [busy, setBusy] = useState(false);
  const me = useUser();

  const submit = async (values: UserFormValues) => {
    setBusy(true);
    try {
      if (user) {
        const input: UserInput = {
          displayName: values.displayName.trim(),
          role: values.role,
          orgId: toId(values.orgId),
          active: values.active,
        };
        // A masked phone (138****1234) came from the server; sending it back would overwrite the real number.
        if (values.phone !== user.phone) input.phone = values.phone?.trim() || null;
        const saved = await userApi.update(user.id, user.version, input);
        onSaved(saved);
      } else {
        const created = await userApi.create({
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          phone: values.phone?.trim() || undefined,
          role: values.role,
          orgId: toId(values.orgId),
          password: values.password || undefined,
        });
        onSaved(created, created.temporaryPassword);
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: t('conflict.title'), content: t('conflict.text') });
        onClose();
      } else if (!showFieldError(form, err, errorText(err))) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormModal<UserFormValues>
      title={user ? t('people.editTitle', { name: user.displayName }) : t('people.create')}
      form={form}
      onCancel={onClose}
      onFinish={submit}
      okText={user ? t('common.save') : t('common.create')}
      okTestId="user-save"
      busy={busy}
      formTestId="user-form"
      initialValues={
        user
          ? { username: user.username, displayName: user.displayName, phone: user.phone ?? '', role: user.role, orgId: String(user.orgId), active: user.active }
          : { role: 'grid_worker', active: true }
      }
    >
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item
            name="username"
            label={t('login.username')}
            extra={!user ? t('people.usernameHint') : undefined}
            rules={[{ required: true, message: t('login.usernameRequired') }, { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: t('people.usernameRule') }]}
          >
            <Input disabled={Boolean(user)} autoComplete="off" data-testid="user-field-username" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="displayName" label={t('people.displayName')} rules={[{ required: true, whitespace: true, message: t('people.displayNameRequired') }, { max: 50 }]}>
            <Input data-testid="user-field-displayName" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="role" label={t('people.role')} rules={[{ required: true }]}>
            <Select
              options={ROLES.map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
              data-testid="user-field-role"
              disabled={user !== null && String(user.id) === String(me.id)}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="phone" label={t('people.phone')} rules={[{ pattern: /^(\d{11}|[\d*]{11}|[\d\-+ ]{5,20})$/, message: t('common.phoneInvalid') }]}>
            <Input inputMode="tel" data-testid="user-field-phone" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="orgId" label={t('people.org')} rules={[{ required: true, message: t('people.orgRequired') }]}>
            <OrgTreeSelect testId="user-field-org" allowClear={false} />
          </Form.Item>
        </Col>
        {!user ? (
          <Col xs={24}>
            <Form.Item
              name="password"
              label={t('people.initialPassword')}
              extra={t('people.initialPasswordHint')}
              rules={[{ validator: async (_, v: string) => { if (v && !isStrongPassword(v)) throw new Error(t('password.rule')); } }]}
            >
              <Input.Password autoComplete="new-password" data-testid="user-field-password" />
            </Form.Item>
          </Col>
        ) : (
          <Col xs={24}>
            <Form.Item name="active" label={t('common.status')} valuePropName="checked">
              <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} disabled={String(user.id) === String(me.id)} />
            </Form.Item>
          </Col>
        )}
      </Row>
    </FormModal>
  );
}
