// 工作日历: the year as deadlines see it — the State Council's 放假 and 调休补班 days (packaged) and the campaign
// office's own entries — with a warning when the year has no official schedule yet, day editing by click, the
// import of a year's schedule, the work periods, and a deadline preview (docs/calendar.md).
import { DeleteOutlined, DownloadOutlined, LeftOutlined, PlusOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Col, Descriptions, Empty, Flex, Input, InputNumber, Modal, Radio, Row, Select, Space, Spin, Table, Tag, Tooltip, Typography, Upload,
} from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useSearchParams } from 'react-router-dom';
import { can } from '../../../core/roles.js';
import { ApiError, api, downloadUrl, request, type ImportRowError } from '../../api/client.js';
import { useUser } from '../../auth/SessionProvider.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { Lang } from '../../i18n/core.js';
import { rowReportCsv } from '../../lib/csv.js';
import { useAsync, useIsMobile } from '../../lib/hooks.js';

// ---- API shapes (GET /api/v1/calendar and friends) -----------------------------------------------------------

type DayKind = 'workday' | 'holiday';
type DayReason = 'weekday' | 'weekend' | 'holiday' | 'makeup_workday' | 'override_workday' | 'override_holiday';
type TimeLimitUnit = 'work_hours' | 'work_days' | 'clock_hours';

interface WorkPeriod {
  start: string;
  end: string;
}

export interface CalendarDay {
  date: string;
  weekday: number;
  isWorkday: boolean;
  reason: DayReason;
  name: string | null;
  source: 'office' | 'package' | 'week';
  official: { kind: DayKind; name: string | null } | null;
  override: { kind: DayKind; note: string | null; updatedAt: string; updatedBy: string | null } | null;
}

export interface CalendarYear {
  year: number;
  hasOfficialData: boolean;
  yearDataSource: 'package' | 'office' | 'none';
  warning: { zh: string; en: string } | null;
  packagedYears: number[];
  officialYears: number[];
  workPeriods: WorkPeriod[];
  workDayMinutes: number;
  workdayCount: number;
  days: CalendarDay[];
}

interface DeadlinePreview {
  start: string;
  deadline: string;
  startsOutsideWorkTime: boolean;
  warnings: { code: string; year: number; message: string; messageZh: string }[];
  daysOff: { date: string; reason: DayReason; name: string | null }[];
}

const calendarApi = {
  year: (year: number) => api.get<CalendarYear>('/calendar', { year }),
  putDay: (date: string, kind: DayKind, note: string | null) => api.put<CalendarDay>(`/calendar/days/${date}`, { kind, note }),
  deleteDay: (date: string) => api.del<CalendarDay>(`/calendar/days/${date}`),
  saveSettings: (body: { workPeriods?: WorkPeriod[]; officialYears?: number[] }) => api.put<{ workPeriods: WorkPeriod[]; officialYears: number[] }>('/calendar/settings', body),
  importFile: (file: File, officialYear: number | null, replaceYear: boolean) => {
    const form = new FormData();
    if (officialYear !== null) form.append('officialYear', String(officialYear));
    if (replaceYear) form.append('replaceYear', 'true');
    form.append('file', file, file.name);
    return request<{ imported: number; removed: number; officialYears: number[] }>('POST', '/calendar/import', { form });
  },
  preview: (start: string, unit: TimeLimitUnit, value: number) => api.get<DeadlinePreview>('/calendar/deadline-preview', { start, unit, value }),
  templateUrl: () => downloadUrl('/calendar/import-template.xlsx'),
};

// ---- strings -----------------------------------------------------------------------------------------------

const STRINGS = {
  'zh-CN': {
    title: '工作日历',
    subtitle: '处置时限按工作时计算：周末和法定节假日不计，调休补班日计入',
    prevYear: '上一年',
    nextYear: '下一年',
    import: '导入安排',
    template: '下载模板',
    sourcePackage: '国务院安排（系统内置）',
    sourceOffice: '国务院安排（创城办录入）',
    sourceNone: '无官方安排',
    workdays: '全年工作日 {count} 天',
    legendHoliday: '放假',
    legendMakeup: '调休上班',
    legendWeekend: '周末',
    legendOffice: '创城办设定',
    weekdays: ['一', '二', '三', '四', '五', '六', '日'],
    months: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
    reasons: {
      weekday: '工作日',
      weekend: '周末',
      holiday: '法定节假日',
      makeup_workday: '调休补班',
      override_workday: '创城办设定为上班',
      override_holiday: '创城办设定为放假',
    } as Record<DayReason, string>,
    dayTitle: '{date}（周{weekday}）',
    current: '当前',
    official: '国务院安排',
    officialNone: '无（按普通周计）',
    entry: '创城办设定',
    entryNone: '无',
    setKind: '设为',
    workday: '上班',
    holiday: '放假',
    note: '说明',
    notePlaceholder: '如：防汛停工、迎检补班',
    saveDay: '保存',
    clearDay: '清除设定',
    clearHint: '清除后按国务院安排（或普通周）计算',
    byWhom: '{who} 于 {at} 设定',
    readOnly: '仅创城办和管理员可修改工作日历',
    periodsTitle: '工作时段与官方年份',
    periods: '每日工作时段（北京时间）',
    periodsHint: '"1 个工作日" 等于各时段之和，当前 {minutes} 分钟',
    addPeriod: '添加时段',
    savePeriods: '保存时段',
    officialYears: '已录入完整安排的年份',
    officialYearsHint: '系统内置：{years}。其他年份须先录入或导入其放假安排，再标记为完整。',
    markOfficial: '将 {year} 年标记为已录入完整安排',
    unmarkOfficial: '取消',
    importTitle: '导入工作日历',
    importHint: '列：日期（如 2027-01-01）、类型（上班 / 放假）、说明。按日期覆盖已有设定。',
    fullSchedule: '这是 {year} 年国务院办公厅通知的完整安排（导入后不再提示缺少官方数据）',
    replaceYear: '先清除该年其他设定（整年以文件为准）',
    importStart: '导入',
    imported: '已导入 {count} 天{removed}',
    removedPart: '，清除 {count} 天',
    nothingImported: '文件有错误，未导入任何数据。修改后重新导入。',
    row: '行',
    column: '列',
    reason: '原因',
    downloadReport: '下载错误报告',
    drop: '点击或拖入 .xlsx 文件',
    previewTitle: '期限试算',
    previewHint: '按本街道工作日历计算某一时限的截止时间（类别编辑时可用来核对）',
    start: '开始时间（北京时间）',
    limit: '时限',
    units: { work_hours: '工作小时', work_days: '工作日', clock_hours: '小时（全天候）' } as Record<TimeLimitUnit, string>,
    compute: '计算',
    deadline: '截止时间',
    outside: '开始时间不在工作时段内，从下一个工作时段起算',
    daysOff: '期间不计的日子',
    none: '无',
    saved: '已保存',
  },
  'en-US': {
    title: 'Work calendar',
    subtitle: 'Time limits count work time: weekends and public holidays are skipped, make-up workdays count',
    prevYear: 'Previous year',
    nextYear: 'Next year',
    import: 'Import schedule',
    template: 'Template',
    sourcePackage: 'Official schedule (built in)',
    sourceOffice: 'Official schedule (entered by the office)',
    sourceNone: 'No official schedule',
    workdays: '{count} workdays in the year',
    legendHoliday: 'Holiday',
    legendMakeup: 'Make-up workday',
    legendWeekend: 'Weekend',
    legendOffice: 'Set by the office',
    weekdays: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'],
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    reasons: {
      weekday: 'Workday',
      weekend: 'Weekend',
      holiday: 'Public holiday',
      makeup_workday: 'Make-up workday',
      override_workday: 'Workday (set by the office)',
      override_holiday: 'Day off (set by the office)',
    } as Record<DayReason, string>,
    dayTitle: '{date} ({weekday})',
    current: 'Now',
    official: 'Official schedule',
    officialNone: 'None (plain week)',
    entry: "Office's entry",
    entryNone: 'None',
    setKind: 'Set to',
    workday: 'Workday',
    holiday: 'Day off',
    note: 'Note',
    notePlaceholder: 'e.g. flood stop, make-up day for an inspection',
    saveDay: 'Save',
    clearDay: 'Clear entry',
    clearHint: 'Without an entry the official schedule (or the plain week) applies',
    byWhom: 'set by {who} on {at}',
    readOnly: 'Only the campaign office and administrators change the calendar',
    periodsTitle: 'Work periods and official years',
    periods: 'Daily work periods (Beijing time)',
    periodsHint: '"1 work day" is the sum of the periods, now {minutes} minutes',
    addPeriod: 'Add period',
    savePeriods: 'Save periods',
    officialYears: 'Years entered in full by the office',
    officialYearsHint: 'Built in: {years}. Enter or import the holidays of another year before marking it complete.',
    markOfficial: 'Mark {year} as entered in full',
    unmarkOfficial: 'Remove',
    importTitle: 'Import the work calendar',
    importHint: 'Columns: 日期 date (e.g. 2027-01-01), 类型 kind (上班 workday / 放假 holiday), 说明 note. Entries are replaced by date.',
    fullSchedule: "This is {year}'s full official schedule (the missing-data warnings stop after the import)",
    replaceYear: "First remove the year's other entries (the file becomes the year)",
    importStart: 'Import',
    imported: '{count} days imported{removed}',
    removedPart: ', {count} removed',
    nothingImported: 'The file has errors; nothing was imported. Fix it and import again.',
    row: 'Row',
    column: 'Column',
    reason: 'Reason',
    downloadReport: 'Download the error report',
    drop: 'Click or drop an .xlsx file',
    previewTitle: 'Deadline preview',
    previewHint: "The deadline of a time limit on this street's calendar (to check a category's limit)",
    start: 'Start (Beijing time)',
    limit: 'Limit',
    units: { work_hours: 'work hours', work_days: 'work days', clock_hours: 'hours round the clock' } as Record<TimeLimitUnit, string>,
    compute: 'Compute',
    deadline: 'Deadline',
    outside: 'The start is outside work time: counting begins at the next work period',
    daysOff: 'Days not counted',
    none: 'None',
    saved: 'Saved',
  },
};
type Strings = (typeof STRINGS)['zh-CN'];

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));

// ---- dates (Beijing calendar, independent of the browser's time zone) ------------------------------------------

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const beijingNow = () => new Date(Date.now() + BEIJING_OFFSET_MS);
const currentBeijingYear = () => beijingNow().getUTCFullYear();
/** 'YYYY-MM-DDTHH:MM' for an <input type="datetime-local"> showing Beijing wall-clock time. */
const beijingInputValue = (ms = Date.now()) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16);

function formatBeijing(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** Weeks of a month, Monday first, as day numbers or null for padding. */
function monthWeeks(year: number, month: number): (number | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: (number | null)[] = Array.from({ length: (first + 6) % 7 }, () => null);
  for (let d = 1; d <= days; d++) cells.push(d);
  while (cells.length % 7) cells.push(null);
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

// ---- day colours -------------------------------------------------------------------------------------------

const COLORS = {
  holiday: { background: '#fde2e1', color: '#a8071a' },
  makeup: { background: '#ffe7ba', color: '#ad4e00' },
  weekend: { background: 'transparent', color: '#999' },
  plain: { background: 'transparent', color: '#333' },
};

function dayStyle(day: CalendarDay | undefined, weekday: number): CSSProperties {
  const weekend = weekday === 0 || weekday === 6;
  let base = weekend ? COLORS.weekend : COLORS.plain;
  if (day) {
    if (!day.isWorkday && (!weekend || day.reason !== 'weekend')) base = COLORS.holiday;
    if (day.isWorkday && weekend) base = COLORS.makeup;
  }
  return {
    ...base,
    textAlign: 'center',
    lineHeight: '26px',
    height: 28,
    borderRadius: 4,
    fontSize: 12,
    border: day?.override ? '1px dashed #b71c1c' : '1px solid transparent',
    fontWeight: day && day.source !== 'week' ? 600 : 400,
  };
}

// ---- the page ----------------------------------------------------------------------------------------------

export default function CalendarPage() {
  const { lang, errorText } = useI18n();
  const s = STRINGS[lang];
  const me = useUser();
  const canEdit = can(me.role, 'settings.write');
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const requested = Number(params.get('year'));
  const year = Number.isInteger(requested) && requested >= 2000 && requested <= 2100 ? requested : currentBeijingYear();
  const setYear = (y: number) => setParams((p) => {
    const next = new URLSearchParams(p);
    next.set('year', String(Math.min(2100, Math.max(2000, y))));
    return next;
  });
  const data = useAsync(() => calendarApi.year(year), [year]);
  const [editing, setEditing] = useState<string | null>(null);
  const [importOpen, setImportOpen] = useState(false);

  const byDate = useMemo(() => new Map((data.data?.days ?? []).map((d) => [d.date, d])), [data.data]);
  const sourceTag = data.data ? (
    data.data.yearDataSource === 'package' ? <Tag color="green">{s.sourcePackage}</Tag> : data.data.yearDataSource === 'office' ? <Tag color="blue">{s.sourceOffice}</Tag> : <Tag color="red">{s.sourceNone}</Tag>
  ) : null;

  return (
    <div className="wm-page" data-testid="calendar-page">
      <PageHeader
        title={s.title}
        subtitle={s.subtitle}
        extra={
          <>
            <Space.Compact>
              <Button icon={<LeftOutlined />} onClick={() => setYear(year - 1)} aria-label={s.prevYear} data-testid="calendar-prev" />
              <InputNumber min={2000} max={2100} value={year} onChange={(v) => (typeof v === 'number' ? setYear(v) : undefined)} style={{ width: 96 }} data-testid="calendar-year" />
              <Button icon={<RightOutlined />} onClick={() => setYear(year + 1)} aria-label={s.nextYear} data-testid="calendar-next" />
            </Space.Compact>
            {canEdit ? (
              <>
                <Button icon={<DownloadOutlined />} href={calendarApi.templateUrl()}>
                  {s.template}
                </Button>
                <Button type="primary" icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="calendar-import">
                  {s.import}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {data.error ? <Alert type="error" showIcon title={errorText(data.error)} style={{ marginBottom: 12 }} /> : null}
      {data.data?.warning ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={lang === 'en-US' ? data.data.warning.en : data.data.warning.zh}
          action={canEdit ? <Button size="small" onClick={() => setImportOpen(true)}>{s.import}</Button> : undefined}
          data-testid="calendar-warning"
        />
      ) : null}
      <Flex wrap gap={12} align="center" style={{ marginBottom: 12 }}>
        {sourceTag}
        {data.data ? <Typography.Text type="secondary">{fill(s.workdays, { count: data.data.workdayCount })}</Typography.Text> : null}
        <Legend s={s} />
        {!canEdit ? <Typography.Text type="secondary">{s.readOnly}</Typography.Text> : null}
      </Flex>
      <Spin spinning={data.loading}>
        <Row gutter={[12, 12]} data-testid="calendar-months">
          {s.months.map((label, i) => (
            <Col key={label} xs={24} sm={12} lg={8} xxl={6}>
              <MonthGrid year={year} month={i + 1} label={label} s={s} lang={lang} byDate={byDate} onPick={canEdit ? setEditing : undefined} />
            </Col>
          ))}
        </Row>
      </Spin>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          {data.data ? <SettingsCard data={data.data} year={year} canEdit={canEdit} s={s} onSaved={data.reload} /> : null}
        </Col>
        <Col xs={24} lg={12}>
          <PreviewCard s={s} lang={lang} year={year} />
        </Col>
      </Row>
      {editing ? (
        <DayDialog
          date={editing}
          day={byDate.get(editing)}
          s={s}
          lang={lang}
          isMobile={isMobile}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            data.reload();
          }}
        />
      ) : null}
      <ImportDialog open={importOpen} year={year} s={s} isMobile={isMobile} onClose={() => setImportOpen(false)} onImported={data.reload} />
    </div>
  );
}

function Legend({ s }: { s: Strings }) {
  const swatch = (style: CSSProperties, label: string) => (
    <Space size={4}>
      <span style={{ display: 'inline-block', width: 14, height: 14, borderRadius: 3, ...style }} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
    </Space>
  );
  return (
    <Space size={12} wrap>
      {swatch({ background: COLORS.holiday.background }, s.legendHoliday)}
      {swatch({ background: COLORS.makeup.background }, s.legendMakeup)}
      {swatch({ border: '1px solid #ddd', color: '#999' }, s.legendWeekend)}
      {swatch({ border: '1px dashed #b71c1c' }, s.legendOffice)}
    </Space>
  );
}

function MonthGrid(props: { year: number; month: number; label: string; s: Strings; lang: Lang; byDate: Map<string, CalendarDay>; onPick?: (date: string) => void }) {
  const { year, month, label, s, byDate, onPick } = props;
  const weeks = monthWeeks(year, month);
  return (
    <Card size="small" title={label} styles={{ body: { padding: 8 } }} data-testid={`calendar-month-${month}`}>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2 }}>
        {s.weekdays.map((w) => (
          <div key={w} style={{ textAlign: 'center', fontSize: 11, color: '#999' }}>
            {w}
          </div>
        ))}
        {weeks.flat().map((d, i) => {
          if (d === null) return <div key={`pad-${i}`} />;
          const date = isoDate(year, month, d);
          const day = byDate.get(date);
          const weekday = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
          const tip = day ? [s.reasons[day.reason], day.name].filter(Boolean).join(' · ') : undefined;
          const cell = (
            <div
              role={onPick ? 'button' : undefined}
              tabIndex={onPick ? 0 : undefined}
              onClick={onPick ? () => onPick(date) : undefined}
              onKeyDown={onPick ? (e) => (e.key === 'Enter' || e.key === ' ' ? onPick(date) : undefined) : undefined}
              style={{ ...dayStyle(day, weekday), cursor: onPick ? 'pointer' : 'default' }}
              data-testid="calendar-day"
              data-date={date}
              data-workday={day ? String(day.isWorkday) : String(weekday !== 0 && weekday !== 6)}
            >
              {d}
            </div>
          );
          return tip ? (
            <Tooltip key={date} title={tip}>
              {cell}
            </Tooltip>
          ) : (
            <div key={date}>{cell}</div>
          );
        })}
      </div>
    </Card>
  );
}

function DayDialog(props: { date: string; day: CalendarDay | undefined; s: Strings; lang: Lang; isMobile: boolean; onClose: () => void; onSaved: () => void }) {
  const { date, day, s, lang } = props;
  const { errorText } = useI18n();
  const { message } = AntApp.useApp();
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const currentlyWorkday = day ? day.isWorkday : !weekend;
  const [kind, setKind] = useState<DayKind>(day?.override?.kind ?? (currentlyWorkday ? 'holiday' : 'workday'));
  const [note, setNote] = useState(day?.override?.note ?? '');
  const [busy, setBusy] = useState(false);
  const reason: DayReason = day?.reason ?? (weekend ? 'weekend' : 'weekday');

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      message.success(s.saved);
      props.onSaved();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={fill(s.dayTitle, { date, weekday: s.weekdays[(weekday + 6) % 7] })}
      onCancel={props.onClose}
      width={props.isMobile ? '100%' : 480}
      destroyOnHidden
      footer={
        <Space wrap>
          {day?.override ? (
            <Tooltip title={s.clearHint}>
              <Button danger icon={<DeleteOutlined />} loading={busy} onClick={() => run(() => calendarApi.deleteDay(date))} data-testid="calendar-day-clear">
                {s.clearDay}
              </Button>
            </Tooltip>
          ) : null}
          <Button type="primary" loading={busy} onClick={() => run(() => calendarApi.putDay(date, kind, note.trim() || null))} data-testid="calendar-day-save">
            {s.saveDay}
          </Button>
        </Space>
      }
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={s.current}>
          <Tag color={currentlyWorkday ? 'default' : 'red'}>{currentlyWorkday ? s.workday : s.holiday}</Tag>
          {s.reasons[reason]}
          {day?.name ? ` · ${day.name}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={s.official}>
          {day?.official ? `${day.official.kind === 'workday' ? s.workday : s.holiday}${day.official.name ? ` · ${day.official.name}` : ''}` : s.officialNone}
        </Descriptions.Item>
        <Descriptions.Item label={s.entry}>
          {day?.override ? (
            <Space orientation="vertical" size={0}>
              <span>
                {day.override.kind === 'workday' ? s.workday : s.holiday}
                {day.override.note ? ` · ${day.override.note}` : ''}
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fill(s.byWhom, { who: day.override.updatedBy ?? '—', at: formatBeijing(day.override.updatedAt, lang) })}
              </Typography.Text>
            </Space>
          ) : (
            s.entryNone
          )}
        </Descriptions.Item>
      </Descriptions>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text>{s.setKind}</Typography.Text>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={kind}
            onChange={(e) => setKind(e.target.value as DayKind)}
            options={[
              { value: 'workday', label: s.workday },
              { value: 'holiday', label: s.holiday },
            ]}
            data-testid="calendar-day-kind"
          />
        </Space>
        <Typography.Text type="secondary">{s.note}</Typography.Text>
        <Input value={note} maxLength={100} onChange={(e) => setNote(e.target.value)} placeholder={s.notePlaceholder} aria-label={s.note} data-testid="calendar-day-note" />
      </Space>
    </Modal>
  );
}

function SettingsCard(props: { data: CalendarYear; year: number; canEdit: boolean; s: Strings; onSaved: () => void }) {
  const { data, year, canEdit, s } = props;
  const { errorText } = useI18n();
  const { message } = AntApp.useApp();
  const [periods, setPeriods] = useState<WorkPeriod[]>(data.workPeriods);
  const [busy, setBusy] = useState(false);
  useEffect(() => setPeriods(data.workPeriods), [data.workPeriods]);

  const save = async (body: { workPeriods?: WorkPeriod[]; officialYears?: number[] }) => {
    setBusy(true);
    try {
      await calendarApi.saveSettings(body);
      message.success(s.saved);
      props.onSaved();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const setPeriod = (i: number, key: keyof WorkPeriod, value: string) => setPeriods((list) => list.map((p, j) => (j === i ? { ...p, [key]: value } : p)));
  const packaged = data.packagedYears.length ? `${data.packagedYears[0]}–${data.packagedYears[data.packagedYears.length - 1]}` : '—';

  return (
    <Card size="small" title={s.periodsTitle} data-testid="calendar-settings">
      <Typography.Text strong>{s.periods}</Typography.Text>
      <Space orientation="vertical" style={{ width: '100%', margin: '8px 0' }}>
        {periods.map((p, i) => (
          <Space key={i} wrap>
            <Input value={p.start} onChange={(e) => setPeriod(i, 'start', e.target.value)} disabled={!canEdit} maxLength={5} style={{ width: 80 }} placeholder="08:00" data-testid="calendar-period-start" />
            <span>–</span>
            <Input value={p.end} onChange={(e) => setPeriod(i, 'end', e.target.value)} disabled={!canEdit} maxLength={5} style={{ width: 80 }} placeholder="12:00" data-testid="calendar-period-end" />
            {canEdit && periods.length > 1 ? <Button type="text" icon={<DeleteOutlined />} onClick={() => setPeriods((list) => list.filter((_, j) => j !== i))} /> : null}
          </Space>
        ))}
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {fill(s.periodsHint, { minutes: data.workDayMinutes })}
      </Typography.Paragraph>
      {canEdit ? (
        <Space wrap style={{ marginBottom: 16 }}>
          <Button icon={<PlusOutlined />} onClick={() => setPeriods((list) => [...list, { start: '', end: '' }])} disabled={periods.length >= 6}>
            {s.addPeriod}
          </Button>
          <Button type="primary" loading={busy} onClick={() => save({ workPeriods: periods })} data-testid="calendar-periods-save">
            {s.savePeriods}
          </Button>
        </Space>
      ) : null}
      <div>
        <Typography.Text strong>{s.officialYears}</Typography.Text>
        <div style={{ margin: '8px 0' }}>
          {data.officialYears.length ? (
            data.officialYears.map((y) => (
              <Tag key={y} color="blue" closable={canEdit} onClose={(e) => { e.preventDefault(); void save({ officialYears: data.officialYears.filter((x) => x !== y) }); }}>
                {y}
              </Tag>
            ))
          ) : (
            <Typography.Text type="secondary">{s.none}</Typography.Text>
          )}
        </div>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {fill(s.officialYearsHint, { years: packaged })}
        </Typography.Paragraph>
        {canEdit && data.yearDataSource === 'none' && data.days.some((d) => d.override?.kind === 'holiday') ? (
          <Button loading={busy} onClick={() => save({ officialYears: [...data.officialYears, year] })} data-testid="calendar-mark-official">
            {fill(s.markOfficial, { year })}
          </Button>
        ) : null}
      </div>
    </Card>
  );
}

function PreviewCard(props: { s: Strings; lang: Lang; year: number }) {
  const { s, lang } = props;
  const { errorText } = useI18n();
  const [start, setStart] = useState(beijingInputValue());
  const [unit, setUnit] = useState<TimeLimitUnit>('work_hours');
  const [value, setValue] = useState<number>(4);
  const [result, setResult] = useState<DeadlinePreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const compute = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await calendarApi.preview(`${start}:00+08:00`, unit, value));
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={s.previewTitle} data-testid="calendar-preview">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {s.previewHint}
      </Typography.Paragraph>
      <Space wrap align="end">
        <Space orientation="vertical" size={2}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.start}
          </Typography.Text>
          <Input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} style={{ width: 210 }} data-testid="calendar-preview-start" />
        </Space>
        <Space orientation="vertical" size={2}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.limit}
          </Typography.Text>
          <Space.Compact>
            <InputNumber min={0.5} max={unit === 'work_days' ? 250 : unit === 'work_hours' ? 2000 : 8760} step={1} value={value} onChange={(v) => setValue(typeof v === 'number' ? v : 0)} style={{ width: 90 }} data-testid="calendar-preview-value" />
            <Select<TimeLimitUnit> value={unit} onChange={setUnit} style={{ width: 150 }} options={(Object.keys(s.units) as TimeLimitUnit[]).map((u) => ({ value: u, label: s.units[u] }))} data-testid="calendar-preview-unit" />
          </Space.Compact>
        </Space>
        <Button type="primary" loading={busy} onClick={compute} disabled={!start || !(value > 0)} data-testid="calendar-preview-compute">
          {s.compute}
        </Button>
      </Space>
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginTop: 12 }} /> : null}
      {result ? (
        <div style={{ marginTop: 12 }} data-testid="calendar-preview-result">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={s.deadline}>
              <Typography.Text strong data-testid="calendar-preview-deadline">
                {formatBeijing(result.deadline, lang)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={s.daysOff}>
              {result.daysOff.length ? (
                <Space size={4} wrap>
                  {result.daysOff.map((d) => (
                    <Tooltip key={d.date} title={[s.reasons[d.reason], d.name].filter(Boolean).join(' · ')}>
                      <Tag color={d.reason === 'weekend' ? 'default' : 'red'}>{d.date.slice(5)}</Tag>
                    </Tooltip>
                  ))}
                </Space>
              ) : (
                s.none
              )}
            </Descriptions.Item>
          </Descriptions>
          {result.startsOutsideWorkTime ? <Alert type="info" showIcon title={s.outside} style={{ marginTop: 8 }} /> : null}
          {result.warnings.map((w) => (
            <Alert key={w.year} type="warning" showIcon title={lang === 'en-US' ? w.message : w.messageZh} style={{ marginTop: 8 }} data-testid="calendar-preview-warning" />
          ))}
        </div>
      ) : null}
    </Card>
  );
}

function ImportDialog(props: { open: boolean; year: number; s: Strings; isMobile: boolean; onClose: () => void; onImported: () => void }) {
  const { s } = props;
  const { errorText } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [full, setFull] = useState(false);
  const [officialYear, setOfficialYear] = useState(props.year);
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ imported: number; removed: number } | null>(null);
  useEffect(() => setOfficialYear(props.year), [props.year]);
  const rows: ImportRowError[] = error instanceof ApiError ? error.importRows : [];

  const reset = () => {
    setFile(null);
    setError(null);
    setDone(null);
    setReplace(false);
    setFull(false);
  };
  const close = () => {
    reset();
    props.onClose();
  };
  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const res = await calendarApi.importFile(file, full ? officialYear : null, full && replace);
      setDone(res);
      props.onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const downloadReport = () => {
    const url = URL.createObjectURL(new Blob([rowReportCsv(rows, [s.row, s.column, s.reason])], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${file?.name ?? 'calendar'}-errors.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Modal
      open={props.open}
      title={s.importTitle}
      onCancel={close}
      width={props.isMobile ? '100%' : 640}
      destroyOnHidden
      footer={
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={calendarApi.templateUrl()}>
            {s.template}
          </Button>
          <Button type="primary" loading={busy} disabled={!file || done !== null} onClick={start} data-testid="calendar-import-start">
            {s.importStart}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {s.importHint}
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx"
          maxCount={1}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size }] : []}
          beforeUpload={(f) => {
            setFile(f);
            setError(null);
            setDone(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            return true;
          }}
          data-testid="calendar-import-file"
        >
          <p className="ant-upload-text">{s.drop}</p>
        </Upload.Dragger>
        <Space orientation="vertical" size={4}>
          <Space wrap>
            <Checkbox checked={full} onChange={(e) => setFull(e.target.checked)} data-testid="calendar-import-full">
              {fill(s.fullSchedule, { year: officialYear })}
            </Checkbox>
            {full ? <InputNumber min={2000} max={2100} value={officialYear} onChange={(v) => (typeof v === 'number' ? setOfficialYear(v) : undefined)} style={{ width: 90 }} /> : null}
          </Space>
          {full ? (
            <Checkbox checked={replace} onChange={(e) => setReplace(e.target.checked)}>
              {s.replaceYear}
            </Checkbox>
          ) : null}
        </Space>
        {done ? (
          <Alert type="success" showIcon title={fill(s.imported, { count: done.imported, removed: done.removed ? fill(s.removedPart, { count: done.removed }) : '' })} data-testid="calendar-import-success" />
        ) : null}
        {error ? <Alert type="error" showIcon title={errorText(error)} description={rows.length ? s.nothingImported : undefined} data-testid="calendar-import-error" /> : null}
        {rows.length ? (
          <>
            <Table<ImportRowError>
              size="small"
              rowKey={(r) => `${r.row}:${r.column}:${r.reason}`}
              dataSource={rows}
              pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
              columns={[
                { title: s.row, dataIndex: 'row', width: 64 },
                { title: s.column, dataIndex: 'column', width: 100 },
                { title: s.reason, dataIndex: 'reason' },
              ]}
              locale={{ emptyText: <Empty /> }}
            />
            <Button icon={<DownloadOutlined />} onClick={downloadReport}>
              {s.downloadReport}
            </Button>
          </>
        ) : null}
      </Space>
    </Modal>
  );
}
