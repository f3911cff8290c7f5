import { Form, Modal } from 'antd';
import type { ButtonProps, FormInstance, FormProps } from 'antd';
import type { ReactNode } from 'react';
import { useIsMobile } from '../lib/hooks.js';

export interface FormModalProps<T> {
  /** Shown unless false; dialogs mounted only while open leave it out. */
  open?: boolean;
  title: ReactNode;
  /** The form the OK button submits (`form.submit()`, so the rules run before onFinish). */
  form: FormInstance<T>;
  onCancel: () => void;
  onFinish: (values: T) => void | Promise<void>;
  initialValues?: FormProps<T>['initialValues'];
  okText?: ReactNode;
  /** data-testid of the OK button. */
  okTestId?: string;
  /** More OK button props, e.g. `disabled`. */
  okButtonProps?: ButtonProps;
  /** Spinner on the OK button while the form is being saved. */
  busy: boolean;
  /** Width on larger screens; phones always get the full width. */
  width?: number;
  /** data-testid of the form. */
  formTestId?: string;
  /** Content above the form, e.g. a hint paragraph. */
  intro?: ReactNode;
  /** The form's fields. */
  children: ReactNode;
}

/** A modal holding one vertical form: OK submits the form, the modal fills a phone's width and is destroyed when closed. */
export function FormModal<T>(props: FormModalProps<T>) {
  const { form, okTestId, okButtonProps } = props;
  const isMobile = useIsMobile();
  return (
    <Modal
      open={props.open ?? true}
      title={props.title}
      onCancel={props.onCancel}
      onOk={() => form.submit()}
      okText={props.okText}
      okButtonProps={okTestId || okButtonProps ? ({ ...okButtonProps, ...(okTestId ? { 'data-testid': okTestId } : {}) } as ButtonProps) : undefined}
      confirmLoading={props.busy}
      width={isMobile ? '100%' : (props.width ?? 640)}
      destroyOnHidden
    >
      {props.intro}
      <Form<T> form={form} layout="vertical" onFinish={props.onFinish} initialValues={props.initialValues} data-testid={props.formTestId}>
        {props.children}
      </Form>
    </Modal>
  );
}
