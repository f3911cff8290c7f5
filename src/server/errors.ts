// One catalogue of problems with stable codes. The HTTP status travels with the code; the message is given in
// the caller's language (zh-CN by default, en-US on request). Clients key on `code`, never on the message.

export type Lang = 'zh-CN' | 'en-US';

interface ProblemDef {
  status: number;
  zh: string;
  en: string;
}

export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, zh: '输入有误：{field} {reason}', en: 'Invalid input: {field} {reason}' },
  BAD_REQUEST: { status: 400, zh: '请求无效：{reason}', en: 'Bad request: {reason}' },
  INVALID_GEOMETRY: { status: 400, zh: '几何图形无效：{reason}', en: 'Invalid geometry: {reason}' },
  INVALID_CODE: { status: 400, zh: '编码无效：{reason}', en: 'Invalid code: {reason}' },
  OUTSIDE_GRIDS: { status: 400, zh: '该位置不在任何网格内', en: 'The location is outside every grid' },
  IMPORT_FAILED: { status: 400, zh: '导入失败：{count} 行有错误，未导入任何数据', en: 'Import failed: {count} rows have errors; nothing was imported' },
  FILE_TOO_LARGE: { status: 413, zh: '文件过大', en: 'The file is too large' },
  UNSUPPORTED_FILE: { status: 400, zh: '不支持的文件类型：{reason}', en: 'Unsupported file: {reason}' },
  AUTH_REQUIRED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  AUTH_LOCKED: { status: 423, zh: '登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试', en: 'Too many failed sign-ins; the account is locked for {minutes} minutes' },
  AUTH_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  AUTH_WRONG_PASSWORD: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  WEAK_PASSWORD: { status: 400, zh: '密码至少 8 位，且需包含字母和数字', en: 'A password needs at least 8 characters with letters and digits' },
  CSRF_INVALID: { status: 403, zh: '页面已过期，请刷新后重试', en: 'The page has expired; reload and try again' },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '未找到：{what}', en: 'Not found: {what}' },
  CONFLICT: { status: 409, zh: '数据已被他人修改，请刷新后重试', en: 'Someone else changed this; reload and try again' },
  DUPLICATE: { status: 409, zh: '已存在：{what}', en: 'Already exists: {what}' },
  IN_USE: { status: 409, zh: '仍在使用中，无法删除：{what}', en: 'Still in use, cannot remove: {what}' },
  ILLEGAL_TRANSITION: { status: 422, zh: '当前状态不允许该操作', en: 'This action is not allowed in the current state' },
  NOT_ON_PLAN: { status: 403, zh: '你不是该测评计划的测评员，或计划不在进行中', en: 'You are not an inspector of this plan, or the plan is not active' },
  POINT_NOT_ON_PLAN: { status: 422, zh: '该点位不在测评计划中', en: 'The point is not in this plan' },
  RESULT_EXISTS: { status: 409, zh: '该点位已有测评结果', en: 'This point already has a result in this plan' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, zh: '该幂等键已用于另一条测评结果', en: 'This idempotency key belongs to another result' },
  UNKNOWN_ITEM: { status: 422, zh: '测评项不在该点位类型的清单中：{item}', en: 'Item not in this point type\'s checklist: {item}' },
  INVALID_OBSERVATION: { status: 400, zh: '测评记录有误：{field} {reason}', en: 'Invalid observation: {field} {reason}' },
  PHOTO_NOT_YOURS: { status: 422, zh: '照片不存在、已过期或不是你上传的', en: 'The photo does not exist, has expired or was not uploaded by you' },
  PHOTO_WRONG_POINT: { status: 422, zh: '照片已用于其他点位的测评', en: 'The photo already belongs to another inspected point' },
  PLAN_NOT_READY: { status: 422, zh: '计划尚不能启动：{reason}', en: 'The plan cannot be activated yet: {reason}' },
  NO_OPEN_PROBLEMS: { status: 422, zh: '该计划没有未整改完成的问题，无需回头看', en: 'This plan has no open problems to revisit' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again shortly' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} satisfies Record<string, ProblemDef>;

export type ProblemCode = keyof typeof PROBLEMS;

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(format(PROBLEMS[code].en, params));
    this.status = PROBLEMS[code].status;
  }

  toJSON(lang: Lang = 'zh-CN') {
    const def = PROBLEMS[this.code];
    const body: Record<string, unknown> = {
      code: this.code,
      message: format(lang === 'en-US' ? def.en : def.zh, this.params),
    };
    if (this.params.field !== undefined) body.field = this.params.field;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

function format(template: string, params: Record<string, string | number>) {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? '' : String(params[k]))).trim();
}

export const notFound = (what: string) => new Problem('NOT_FOUND', { what });
export const forbidden = () => new Problem('FORBIDDEN');
export const conflict = () => new Problem('CONFLICT');
export const invalid = (field: string, reason: string) => new Problem('VALIDATION_FAILED', { field, reason });

/** Picks the reply language from the signed-in user's preference or the Accept-Language header. */
export function pickLang(acceptLanguage: string | undefined, preferred?: string | null): Lang {
  if (preferred === 'en-US' || preferred === 'zh-CN') return preferred;
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
