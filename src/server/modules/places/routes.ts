// Grids, points, locate and map layers (docs/api-foundation.md "Places"). Routes only parse, check the role and
// hand over to the service; the service checks the org scope.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { Problem } from '../../errors.js';
import { ErrorBody } from '../../lib/paging.js';
import { MAX_IMPORT_BYTES, readUpload, XLSX_MIME } from '../../lib/imports.js';
import type { Crs } from '../../../core/geo/index.js';
import * as S from './schema.js';
import * as service from './service.js';
import { importGrids } from './import-grids.js';
import { importPoints, pointTemplate, type ImportPayload } from './import-points.js';
import { GEOJSON_TYPE } from './present.js';
import { contentDisposition } from '../../http/disposition.js';

const BASE = '/api/v1';
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

/** A FeatureCollection sent as JSON, or a file: .xlsx (points only) or GeoJSON text. */
async function importPayload(req: FastifyRequest): Promise<ImportPayload> {
  if (req.isMultipart()) {
    const file = await readUpload(req);
    if (file.data.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return { kind: 'xlsx', data: file.data };
    try {
      return { kind: 'geojson', value: JSON.parse(file.data.toString('utf8').replace(/^\uFEFF/, '')) };
    } catch {
      throw new Problem('UNSUPPORTED_FILE', { reason: 'expected an .xlsx workbook or a GeoJSON file' });
    }
  }
  if (req.body === undefined || req.body === null) throw new Problem('BAD_REQUEST', { reason: 'send a GeoJSON FeatureCollection or upload a file' });
  return { kind: 'geojson', value: req.body };
}

const importBody = {
  content: {
    'application/json': { schema: S.FeatureCollectionInput },
    'application/geo+json': { schema: S.FeatureCollectionInput },
  },
  // multipart/form-data uploads (field `file`) carry no body schema: the file is read and checked in the handler.
};

function sendGeoJson(reply: FastifyReply, body: string, download?: string) {
  reply.header('content-type', GEOJSON_TYPE);
  if (download) reply.header('content-disposition', contentDisposition(download));
  return reply.send(body);
}

/** Grids, points, locate and map layers. */
export async function placesModule(app: FastifyInstance, deps: Deps) {
  if (!app.hasContentTypeParser('application/geo+json')) {
    app.addContentTypeParser('application/geo+json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new Problem('BAD_REQUEST', { reason: 'malformed JSON' }), undefined);
      }
    });
  }
  app.get(
    `${BASE}/point-types`,
    { schema: { tags: ['places'], summary: 'Point types (点位类型) with their type-specific fields', response: { 200: Type.Array(S.PointType), ...errors } } },
    async (req) => {
      allow(req, 'place.read');
      return service.listPointTypes(deps);
    },
  );

  // ---- grids ----

  app.get(
    `${BASE}/grids`,
    { schema: { tags: ['places'], summary: 'Grids and micro-grids (网格/微网格) in the caller\'s area', querystring: S.ListGridsQuery, response: { 200: S.GridPage, ...errors } } },
    async (req) => {
      const actor = allow(req, 'place.read');
      return service.listGrids(deps, actor, req.query as Static<typeof S.ListGridsQuery>);
    },
  );

  app.get(
    `${BASE}/grids/export.geojson`,
    { schema: { tags: ['places'], summary: 'Grids as a GeoJSON FeatureCollection (code, name, kind, parentCode)', querystring: S.ExportGridsQuery, response: { 200: S.FeatureCollection, ...errors } } },
    async (req, reply) => {
      const actor = allow(req, 'place.read');
      return sendGeoJson(reply, await service.exportGrids(deps, actor, req.query as Static<typeof S.ExportGridsQuery>), 'grids.geojson');
    },
  );

  app.post(
    `${BASE}/grids/import`,
    {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['places'],
        summary: 'Create or update grids from GeoJSON (properties code, name, parentCode); all or nothing',
        description: 'Send a FeatureCollection as JSON or upload a .geojson file. Bad features answer 400 IMPORT_FAILED with details.rows [{row, column, reason}], row = feature index + 1.',
        querystring: S.ImportQuery,
        body: importBody,
        response: { 200: S.ImportReport, ...errors, 409: ErrorBody },
      },
    },
    async (req) => {
      const actor = allow(req, 'place.write');
      const payload = await importPayload(req);
      if (payload.kind !== 'geojson') throw new Problem('UNSUPPORTED_FILE', { reason: 'grids are imported from GeoJSON' });
      return importGrids(deps, actor, payload.value, (req.query as { crs?: Crs }).crs);
    },
  );

  // ---- map ----

  app.get(
    `${BASE}/geo/layers`,
    { schema: { tags: ['places'], summary: 'Street, communities, grids and micro-grids as GeoJSON layers for the map', response: { 200: S.Layers, ...errors } } },
    async (req, reply) => {
      const actor = allow(req, 'place.read');
      reply.header('content-type', 'application/json; charset=utf-8');
      return reply.send(await service.mapLayers(deps, actor));
    },
  );

  app.get(
    `${BASE}/geo/locate`,
    { schema: { tags: ['places'], summary: 'The street, community, grid and micro-grid at a location', querystring: S.LocateQuery, response: { 200: S.Located, ...errors } } },
    async (req) => {
      const actor = allow(req, 'place.read');
      const q = req.query as Static<typeof S.LocateQuery>;
      return service.locate(deps, actor, q.lng, q.lat, q.crs);
    },
  );

  // ---- points ----

  app.get(
    `${BASE}/points`,
    { schema: { tags: ['places'], summary: 'A page of points (点位)', querystring: S.ListPointsQuery, response: { 200: S.PointPage, ...errors } } },
    async (req) => {
      const actor = allow(req, 'place.read');
      return service.listPoints(deps, actor, req.query as Static<typeof S.ListPointsQuery>);
    },
  );

  app.get(
    `${BASE}/points.geojson`,
    { schema: { tags: ['places'], summary: 'Points as a GeoJSON map layer (properties id, name, typeCode)', querystring: S.PointsGeoJsonQuery, response: { 200: S.FeatureCollection, ...errors } } },
    async (req, reply) => {
      const actor = allow(req, 'place.read');
      return sendGeoJson(reply, await service.pointsGeoJson(deps, actor, req.query as Static<typeof S.PointsGeoJsonQuery>));
    },
  );

  app.get(
    `${BASE}/points/export.geojson`,
    { schema: { tags: ['places'], summary: 'Points with their details as a GeoJSON download', querystring: S.ExportPointsQuery, response: { 200: S.FeatureCollection, ...errors } } },
    async (req, reply) => {
      const actor = allow(req, 'place.read');
      return sendGeoJson(reply, await service.exportPoints(deps, actor, req.query as Static<typeof S.ExportPointsQuery>), 'points.geojson');
    },
  );

  app.get(
    `${BASE}/points/import-template.xlsx`,
    { schema: { tags: ['places'], summary: 'The point import spreadsheet template' } },
    async (req, reply) => {
      allow(req, 'place.write');
      reply.header('content-type', XLSX_MIME);
      reply.header('content-disposition', contentDisposition('points-template.xlsx'));
      return reply.send(await pointTemplate(deps));
    },
  );

  app.post(
    `${BASE}/points/import`,
    {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['places'],
        summary: 'Import points from .xlsx (名称, 类型, 经度, 纬度, 地址, 包保单位, 责任人, 责任人电话) or GeoJSON; all or nothing',
        description: 'Bad rows answer 400 IMPORT_FAILED with details.rows [{row, column, reason}].',
        querystring: S.ImportQuery,
        body: importBody,
        response: { 200: S.ImportReport, ...errors },
      },
    },
    async (req) => {
      const actor = allow(req, 'place.write');
      return importPoints(deps, actor, await importPayload(req), (req.query as { crs?: Crs }).crs);
    },
  );

  app.get(
    `${BASE}/points/:id`,
    { schema: { tags: ['places'], summary: 'A point with its geometry', params: S.IdParams, response: { 200: S.Point, ...errors, 404: ErrorBody } } },
    async (req) => {
      const actor = allow(req, 'place.read');
      return service.getPoint(deps, actor, (req.params as { id: number }).id);
    },
  );

  app.post(
    `${BASE}/points`,
    { schema: { tags: ['places'], summary: 'Create a point; its grid follows from its location', body: S.CreatePointBody, response: { 200: S.Point, ...errors } } },
    async (req) => {
      const actor = allow(req, 'place.write');
      return service.createPoint(deps, actor, req.body as Static<typeof S.CreatePointBody>);
    },
  );

  app.patch(
    `${BASE}/points/:id`,
    { schema: { tags: ['places'], summary: 'Update a point (optimistic: send the version you read)', params: S.IdParams, body: S.UpdatePointBody, response: { 200: S.Point, ...errors, 404: ErrorBody, 409: ErrorBody } } },
    async (req) => {
      const actor = allow(req, 'place.write');
      return service.updatePoint(deps, actor, (req.params as { id: number }).id, req.body as Static<typeof S.UpdatePointBody>);
    },
  );

  app.post(
    `${BASE}/points/:id/deactivate`,
    { schema: { tags: ['places'], summary: 'Retire a point (kept for history)', params: S.IdParams, body: S.VersionBody, response: { 200: S.Point, ...errors, 404: ErrorBody, 409: ErrorBody } } },
    async (req) => {
      const actor = allow(req, 'place.write');
      return service.deactivatePoint(deps, actor, (req.params as { id: number }).id, (req.body as { version: number }).version);
    },
  );
}
