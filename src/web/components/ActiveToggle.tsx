// 停用 (with a confirmation) or 启用 for a row of an editable list.
import { Button, Popconfirm } from 'antd';
import { StopOutlined, UndoOutlined } from '@ant-design/icons';

export interface ActiveToggleProps {
  active: boolean;
  onChange: (active: boolean) => void;
  confirm: string;
  deactivateLabel: string;
  reactivateLabel: string;
  /** data-testid prefix: `<prefix>-deactivate` / `<prefix>-reactivate`. */
  testId: string;
}

export function ActiveToggle(p: ActiveToggleProps) {
  return p.active ? (
    <Popconfirm title={p.confirm} onConfirm={() => p.onChange(false)} okText={p.deactivateLabel}>
      <Button type="link" size="small" danger icon={<StopOutlined />} data-testid={`${p.testId}-deactivate`}>
        {p.deactivateLabel}
      </Button>
    </Popconfirm>
  ) : (
    <Button type="link" size="small" icon={<UndoOutlined />} onClick={() => p.onChange(true)} data-testid={`${p.testId}-reactivate`}>
      {p.reactivateLabel}
    </Button>
  );
}
