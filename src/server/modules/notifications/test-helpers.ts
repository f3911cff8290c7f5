// Shared steps of the notification tests: report and walk cases through the real API, read inboxes.
import type { TestApp } from '../../../../tests/helpers/app.js';

// Inside 东风社区第1网格 (community A) and 西苑社区第1网格 (community B) of the fixture street.
export const IN_A1 = { lat: 36.805, lng: 118.005 };
export const IN_B1 = { lat: 36.805, lng: 118.035 };

let seq = 0;
/** A fresh spot each time, so reports are not offered as duplicates of each other. */
export const spot = (base: { lat: number; lng: number }) => {
  seq++;
  return { lat: base.lat + (seq % 40) * 0.0001, lng: base.lng + Math.floor(seq / 40) * 0.0001 };
};

export function caseSteps(t: TestApp) {
  const report = async (username: string, body: Record<string, unknown>) => {
    const res = await (await t.as(username)).post('/api/v1/cases', { source: 'office', categoryCode: '1101', description: '路边暴露垃圾一堆', ...spot(IN_A1), ...body });
    if (res.statusCode >= 300) throw new Error(`report failed ${res.statusCode} ${res.body}`);
    return res.json() as { id: number; version: number; status: string; deadline: string | null };
  };
  const act = async (username: string, id: number, action: string, extra: Record<string, unknown> = {}) => {
    const current = (await (await t.as('admin')).get(`/api/v1/cases/${id}`)).json();
    const res = await (await t.as(username)).post(`/api/v1/cases/${id}/transitions`, { action, version: current.version, ...extra });
    if (res.statusCode >= 300) throw new Error(`${action} failed ${res.statusCode} ${res.body}`);
    return res.json();
  };
  /** Filed and dispatched at once by the office, to community A unless told otherwise. */
  const dispatched = (body: Record<string, unknown> = {}) => report('office', { dispatch: true, unitId: t.fx.communityA.id, ...body });
  const inbox = async (username: string, query = '') => (await (await t.as(username)).get(`/api/v1/notifications?pageSize=200${query}`)).json() as {
    items: { id: number; kind: string; title: string; body: string | null; caseId: number | null; caseNo: string | null; readAt: string | null }[];
    total: number;
    unread: number;
  };
  /** Kinds of the notices a user has about one case, oldest first. */
  const kindsFor = async (username: string, caseId: number) =>
    (await inbox(username)).items
      .filter((n) => n.caseId === caseId)
      .map((n) => n.kind)
      .reverse();
  const photo = async (username: string): Promise<number> => {
    const sharp = (await import('sharp')).default;
    const jpeg = await sharp({ create: { width: 24, height: 16, channels: 3, background: { r: Math.floor(Math.random() * 256), g: 80, b: 90 } } }).jpeg().toBuffer();
    const boundary = '----notif' + Math.random().toString(16).slice(2);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="after.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      jpeg,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await (await t.as(username)).post('/api/v1/photos', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    if (res.statusCode >= 300) throw new Error(`upload failed ${res.statusCode} ${res.body}`);
    const json = res.json();
    return (Array.isArray(json) ? json[0] : (json.items?.[0] ?? json)).id;
  };
  return { report, act, dispatched, inbox, kindsFor, photo };
}
