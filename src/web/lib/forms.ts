// Puts a server validation error on the form field it names, so the person sees it where they typed.
import type { FormInstance } from 'antd';
import { ApiError } from '../api/client.js';

/** Returns true when the error was shown on a field; otherwise the caller shows it as a message. */
export function showFieldError(form: FormInstance, error: unknown, message: string, fieldMap: Record<string, string> = {}): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  // Server fields may come as "body.name", "/name" or "attrs.households".
  const raw = error.field.replace(/^\/?body[./]/, '').replace(/^\//, '').replace(/\//g, '.');
  const name = fieldMap[raw] ?? raw;
  const path = name.split('.');
  const registered = form.getFieldsValue(true) as Record<string, unknown>;
  if (!(path[0] in registered) && !fieldMap[raw]) return false;
  form.setFields([{ name: path.length > 1 ? path : name, errors: [message] }]);
  form.scrollToField(path.length > 1 ? path : name);
  return true;
}

/** Mirrors the server's WEAK_PASSWORD rule for a friendly early warning; the server still decides. */
export function isStrongPassword(password: string): boolean {
  return password.length >= 8 && /[A-Za-z]/.test(password) && /\d/.test(password);
}
