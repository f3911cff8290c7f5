import { AimOutlined, CloseOutlined, ExpandOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Badge, Button, Checkbox, Divider, Drawer, Flex, Input, Spin, Typography } from 'antd';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { CASE_STATE_LABELS, OPEN_STATES, type CaseState } from '../../core/cases/index.js';
import { ORG_KIND_LABELS, type OrgKind } from '../../core/org.js';
import { caseApi, type CaseItem, type ReboundSpot } from '../api/cases.js';
import { placeApi } from '../api/endpoints.js';
import type { GeoLayers, Point, PointType } from '../api/types.js';
import { useSession } from '../auth/SessionProvider.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useCaseLive } from '../lib/caseLive.js';
import { STATUS_COLOURS, formatWorkDuration } from '../lib/cases.js';
import { useCategories } from '../lib/categories.js';
import { useAsync, useDocumentTitle, useIsMobile } from '../lib/hooks.js';
import { useLayers, usePointTypes } from '../lib/referenceData.js';
import { colourAt, communityCodeOf, labelPoint, typeColours } from '../map/geo.js';
import { createBaseMap, fitTo, L, markerRadius, projectedGeoJson, textLabel, type BaseMap } from '../map/leafletMap.js';

type LayerKey = 'street' | 'communities' | 'grids' | 'microGrids' | 'roads' | 'points' | 'cases' | 'rebounds';

const DEFAULT_VISIBLE: Record<LayerKey, boolean> = {
  street: true,
  communities: true,
  grids: true,
  microGrids: false,
  roads: true,
  points: true,
  cases: true,
  rebounds: true,
};

/** Open cases drawn at most: the newest first; the panel says when there are more. */
const MAX_CASES = 1000;
const CASE_PAGE = 200;

interface OpenCases {
  items: CaseItem[];
  total: number;
}

async function loadOpenCases(): Promise<OpenCases> {
  const status = OPEN_STATES.join(',');
  const first = await caseApi.list({ status, page: 1, pageSize: CASE_PAGE });
  const pages = Math.min(Math.ceil(first.total / CASE_PAGE), MAX_CASES / CASE_PAGE);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => caseApi.list({ status, page: i + 2, pageSize: CASE_PAGE })));
  return { items: [first, ...rest].flatMap((p) => p.items), total: first.total };
}

interface DrawnCases {
  byStatus: Map<CaseState, L.FeatureGroup>;
  rebounds: L.FeatureGroup;
}

interface Drawn {
  groups: Partial<Record<Exclude<LayerKey, 'points'>, L.LayerGroup>>;
  gridLabels: L.LayerGroup;
  street: L.GeoJSON | null;
  gridById: Map<string, L.Layer & { feature?: Feature }>;
}

interface DrawnPoints {
  byType: Map<string, L.FeatureGroup>;
  byId: Map<string, L.Path>;
  counts: Map<string, number>;
}

/** The "small grid labels" appear only when zoomed in far enough to read them. */
const GRID_LABEL_ZOOM = 16;
/** Width of the floating layer panel plus its margin, kept clear when fitting the street (desktop). */
const PANEL_RESERVE = 300;

function row(label: string, value: string | null | undefined): HTMLElement {
  const tr = document.createElement('tr');
  const th = document.createElement('th');
  th.textContent = label;
  const td = document.createElement('td');
  td.textContent = value && value.trim() ? value : '—';
  tr.append(th, td);
  return tr;
}

function popupContent(title: string, rows: [string, string | null | undefined][], link?: { text: string; onClick: () => void }): HTMLElement {
  const root = document.createElement('div');
  root.className = 'wm-popup';
  const h = document.createElement('div');
  h.className = 'wm-popup-title';
  h.textContent = title;
  const table = document.createElement('table');
  for (const [label, value] of rows) table.append(row(label, value));
  root.append(h, table);
  if (link) {
    const a = document.createElement('a');
    a.href = '#';
    a.className = 'wm-popup-link';
    a.textContent = link.text;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      link.onClick();
    });
    root.append(a);
  }
  return root;
}

export default function MapPage() {
  const { t, lang, label, errorText, formatDateTime } = useI18n();
  const { meta } = useSession();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [params] = useSearchParams();
  useDocumentTitle(`${t('nav.map')} · ${t('app.shortName')}`);

  const containerRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<BaseMap | null>(null);
  const drawnRef = useRef<Drawn | null>(null);
  const pointsRef = useRef<DrawnPoints | null>(null);
  const [baseReady, setBaseReady] = useState(0);
  const [layersDrawn, setLayersDrawn] = useState(false);
  const [pointsDrawn, setPointsDrawn] = useState(false);
  const [visible, setVisible] = useState<Record<LayerKey, boolean>>(() =>
    params.get('layer') === 'rebounds' ? { ...DEFAULT_VISIBLE, cases: false, rebounds: true } : DEFAULT_VISIBLE,
  );
  const casesRef = useRef<DrawnCases | null>(null);
  const [casesDrawn, setCasesDrawn] = useState(false);
  const [hiddenStatuses, setHiddenStatuses] = useState<Set<CaseState>>(new Set());
  const [statusCounts, setStatusCounts] = useState<Map<CaseState, number>>(new Map());
  const [hiddenTypes, setHiddenTypes] = useState<Set<string>>(new Set());
  const [panelOpen, setPanelOpen] = useState(false);
  const [counts, setCounts] = useState<Map<string, number>>(new Map());

  const layers = useLayers();
  const pointTypes = usePointTypes();
  const points = useAsync(() => placeApi.pointsGeojson(), []);
  const openCases = useAsync(loadOpenCases, []);
  const rebounds = useAsync(() => caseApi.reboundSpots(true), []);
  const categories = useCategories();
  useCaseLive(() => openCases.reload());

  const colours = useMemo(() => typeColours(pointTypes.types.map((pt) => pt.code)), [pointTypes.types]);
  const typeName = useCallback((code: string) => label(pointTypes.byCode.get(code)) || code, [label, pointTypes.byCode]);

  // Labels inside Leaflet popups are plain DOM; keep the latest translations in a ref for the click handlers.
  const textRef = useRef({ t, lang, typeName, navigate, label, categories, formatDateTime });
  textRef.current = { t, lang, typeName, navigate, label, categories, formatDateTime };
  const phoneRef = useRef(isMobile);
  phoneRef.current = isMobile;

  const tileUrl = meta?.map.tileUrl ?? null;
  const tileCrs = meta?.map.tileCrs ?? 'WGS84';

  // 1. The map itself; rebuilt only when the basemap setting changes.
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const base = createBaseMap(el, { tileUrl, tileCrs });
    baseRef.current = base;
    const onZoom = () => {
      const radius = markerRadius(base.map.getZoom(), phoneRef.current);
      for (const layer of pointsRef.current?.byId.values() ?? []) if (layer instanceof L.CircleMarker) layer.setRadius(radius);
      const drawn = drawnRef.current;
      if (!drawn) return;
      const show = base.map.getZoom() >= GRID_LABEL_ZOOM;
      if (show && !base.map.hasLayer(drawn.gridLabels)) drawn.gridLabels.addTo(base.map);
      if (!show && base.map.hasLayer(drawn.gridLabels)) drawn.gridLabels.remove();
    };
    base.map.on('zoomend', onZoom);
    setBaseReady((n) => n + 1);
    const resize = new ResizeObserver(() => base.map.invalidateSize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      base.map.remove();
      baseRef.current = null;
      drawnRef.current = null;
      pointsRef.current = null;
      setLayersDrawn(false);
      setPointsDrawn(false);
    };
  }, [tileUrl, tileCrs]);

  // 2. Street, communities, grids, micro-grids, roads.
  useEffect(() => {
    const base = baseRef.current;
    const data: GeoLayers | undefined = layers.data;
    if (!base || !data) return;
    const { map } = base;

    const communityNames = new Map<string, string>();
    for (const f of data.communities?.features ?? []) {
      const code = f.properties?.code as string | undefined;
      if (code) communityNames.set(code, String(f.properties?.name ?? ''));
    }

    const groups: Drawn['groups'] = {};
    const gridById = new Map<string, L.Layer & { feature?: Feature }>();

    const communities = L.layerGroup();
    (data.communities?.features ?? []).forEach((feature, index) => {
      const colour = colourAt(index);
      const layer = projectedGeoJson(base, feature, {
        interactive: false,
        style: { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.12 },
      }).addTo(communities);
      // Communities are not clickable (grids cover them) but can be focused by a link: keep the polygon.
      layer.eachLayer((l) => gridById.set(String(feature.properties?.id), l as L.Layer & { feature?: Feature }));
      const at = feature.geometry ? labelPoint(feature.geometry) : null;
      if (at) textLabel(base.toLatLng(at[0], at[1]), String(feature.properties?.name ?? ''), 'wm-map-label wm-map-label-community').addTo(communities);
    });
    groups.communities = communities;

    const gridLabels = L.layerGroup();
    const gridPopup = (feature: Feature) => {
      const p = feature.properties ?? {};
      const { t: tt, lang: ll, navigate: nav } = textRef.current;
      const kind = (p.kind as OrgKind | undefined) ?? 'grid';
      const community = communityNames.get(communityCodeOf(p.code as string) ?? '') ?? (p.communityName as string | undefined);
      return popupContent(
        String(p.name ?? ''),
        [
          [tt('map.popup.kind'), ll === 'en-US' ? ORG_KIND_LABELS[kind]?.en : ORG_KIND_LABELS[kind]?.zh],
          [tt('map.popup.code'), p.code as string],
          [tt('map.popup.community'), community],
          [tt('map.popup.owner'), (p.ownerName as string) ?? null],
        ],
        { text: tt('map.popup.gridPoints'), onClick: () => nav(`/points?gridId=${encodeURIComponent(String(p.id))}`) },
      );
    };
    const gridLayer = (collection: FeatureCollection | undefined, style: L.PathOptions, withLabels: boolean) => {
      const group = L.layerGroup();
      projectedGeoJson(base, collection, {
        style,
        onEachFeature: (feature, layer) => {
          gridById.set(String(feature.properties?.id), layer as L.Layer & { feature?: Feature });
          layer.bindPopup(() => gridPopup(feature), { maxWidth: 280 });
          const path = layer as L.Path;
          path.on('mouseover', () => path.setStyle({ fillOpacity: 0.25 }));
          path.on('mouseout', () => path.setStyle({ fillOpacity: style.fillOpacity ?? 0.02 }));
          if (withLabels && feature.geometry) {
            const at = labelPoint(feature.geometry);
            if (at) textLabel(base.toLatLng(at[0], at[1]), String(feature.properties?.name ?? ''), 'wm-map-label wm-map-label-grid').addTo(gridLabels);
          }
        },
      }).addTo(group);
      return group;
    };
    groups.grids = gridLayer(data.grids, { color: '#5b6470', weight: 1.2, fillColor: '#ffffff', fillOpacity: 0.02 }, true);
    groups.microGrids = gridLayer(data.microGrids, { color: '#8a94a6', weight: 0.8, dashArray: '4 3', fillColor: '#ffffff', fillOpacity: 0.02 }, false);

    if (data.roads?.features?.length) {
      const roads = L.layerGroup();
      projectedGeoJson(base, data.roads, { interactive: false, style: { color: '#c9b99a', weight: 5, opacity: 0.9 } }).addTo(roads);
      projectedGeoJson(base, data.roads, { interactive: false, style: { color: '#ffffff', weight: 2.5, opacity: 1 } }).addTo(roads);
      groups.roads = roads;
    }

    let street: L.GeoJSON | null = null;
    if (data.street) {
      street = projectedGeoJson(base, data.street, {
        interactive: false,
        style: { color: '#b71c1c', weight: 3, fill: false, dashArray: '10 4 2 4' },
      });
      groups.street = L.layerGroup([street]);
    }

    drawnRef.current = { groups, gridLabels, street, gridById };
    // Draw order matters on one canvas: fills first, outlines and clickable grids above.
    for (const key of ['communities', 'roads', 'grids', 'microGrids', 'street'] as const) {
      const group = groups[key];
      if (group && visible[key]) group.addTo(map);
    }
    const reserve = phoneRef.current ? 0 : PANEL_RESERVE;
    if (!fitTo(map, street, 17, reserve)) fitTo(map, L.featureGroup(Object.values(groups).filter(Boolean) as L.Layer[]), 17, reserve);
    if (map.getZoom() >= GRID_LABEL_ZOOM && visible.grids) gridLabels.addTo(map);
    setLayersDrawn(true);

    return () => {
      for (const group of Object.values(groups)) group?.remove();
      gridLabels.remove();
      drawnRef.current = null;
      setLayersDrawn(false);
    };
    // `visible` is applied by its own effect; redrawing all layers on a toggle would be wasteful.
  }, [layers.data, baseReady]);

  // 3. Points, one group per type so the legend can hide a type.
  useEffect(() => {
    const base = baseRef.current;
    const data = points.data;
    if (!base || !data || pointTypes.loading) return;
    const byType = new Map<string, L.FeatureGroup>();
    const byId = new Map<string, L.Path>();
    const tally = new Map<string, number>();
    const radius = markerRadius(base.map.getZoom(), isMobile);

    const pointPopup = (id: string, fallbackName: string, typeCode: string) => {
      const { t: tt, typeName: tn, navigate: nav } = textRef.current;
      const holder = document.createElement('div');
      holder.append(popupContent(fallbackName, [[tt('map.popup.type'), tn(typeCode)], [tt('map.popup.loading'), '…']]));
      placeApi.point(id).then(
        (p: Point) => {
          holder.replaceChildren(
            popupContent(
              p.name,
              [
                [tt('map.popup.type'), p.typeName || tn(p.typeCode)],
                [tt('map.popup.community'), p.communityName],
                [tt('map.popup.grid'), p.gridName],
                [tt('map.popup.guard'), p.guardOrgName],
                [tt('map.popup.responsible'), [p.responsibleName, p.responsiblePhone].filter(Boolean).join(' ')],
                [tt('map.popup.address'), p.address],
              ],
              { text: tt('map.popup.pointDetail'), onClick: () => nav(`/points?id=${encodeURIComponent(String(p.id))}`) },
            ),
          );
        },
        (err: unknown) => {
          const message = document.createElement('div');
          message.className = 'wm-popup-error';
          message.textContent = errorText(err);
          holder.append(message);
        },
      );
      return holder;
    };

    for (const feature of data.features ?? []) {
      const props = feature.properties ?? {};
      const typeCode = String(props.typeCode ?? '');
      const colour = colours.get(typeCode) ?? '#666';
      tally.set(typeCode, (tally.get(typeCode) ?? 0) + 1);
      let group = byType.get(typeCode);
      if (!group) {
        group = L.featureGroup();
        byType.set(typeCode, group);
      }
      const layer = projectedGeoJson(base, feature as Feature<Geometry>, {
        pointToLayer: (_f, latlng) =>
          L.circleMarker(latlng, { radius, color: '#ffffff', weight: 1.2, fillColor: colour, fillOpacity: 0.95 }),
        style: (f) =>
          f?.geometry.type === 'LineString' || f?.geometry.type === 'MultiLineString'
            ? { color: colour, weight: 4, opacity: 0.85 }
            : { color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.3 },
      });
      const id = String(props.id);
      layer.eachLayer((l) => {
        l.bindPopup(() => pointPopup(id, String(props.name ?? ''), typeCode), { maxWidth: 300, minWidth: 200 });
        l.bindTooltip(String(props.name ?? ''), { direction: 'top', offset: [0, -4] });
        byId.set(id, l as L.Path);
      });
      layer.addTo(group);
    }
    pointsRef.current = { byType, byId, counts: tally };
    setCounts(tally);
    for (const [code, group] of byType) if (visible.points && !hiddenTypes.has(code)) group.addTo(base.map);
    setPointsDrawn(true);
    return () => {
      for (const group of byType.values()) group.remove();
      pointsRef.current = null;
      setPointsDrawn(false);
    };
    // Visibility is read once here and then kept by the toggle effects below, so toggling does not redraw.
  }, [points.data, pointTypes.loading, colours, baseReady, isMobile]);

  // 3b. Open cases coloured by status, and 反弹点 (places where problems keep coming back), above the points.
  useEffect(() => {
    const base = baseRef.current;
    if (!base || !openCases.data || !rebounds.data) return;
    const byStatus = new Map<CaseState, L.FeatureGroup>();
    const tally = new Map<CaseState, number>();
    const casePopup = (c: CaseItem) => {
      const { t: tt, label: lb, categories: cats, navigate: nav, formatDateTime: fdt, lang: ll } = textRef.current;
      const remaining =
        c.remainingMinutes === null
          ? null
          : c.remainingMinutes < 0
            ? tt('case.overdueBy', { time: formatWorkDuration(c.remainingMinutes, ll) })
            : tt('case.remaining', { time: formatWorkDuration(c.remainingMinutes, ll) });
      return popupContent(
        c.caseNo,
        [
          [tt('map.popup.status'), lb(CASE_STATE_LABELS[c.status])],
          [tt('map.popup.category'), cats.name(c.categoryCode)],
          [tt('map.popup.unit'), c.unitName],
          [tt('map.popup.deadline'), c.deadline ? `${fdt(c.deadline)}${remaining ? ` · ${remaining}` : ''}` : null],
        ],
        { text: tt('map.popup.caseDetail'), onClick: () => nav(`/cases/${c.id}`) },
      );
    };
    for (const c of openCases.data.items) {
      tally.set(c.status, (tally.get(c.status) ?? 0) + 1);
      let group = byStatus.get(c.status);
      if (!group) {
        group = L.featureGroup();
        byStatus.set(c.status, group);
      }
      const colour = STATUS_COLOURS[c.status]?.hex ?? '#666';
      // Diamonds, so cases stand out from the round point markers underneath.
      const pin = document.createElement('span');
      pin.className = c.overdue ? 'wm-case-pin wm-case-pin-late' : 'wm-case-pin';
      pin.style.background = colour;
      L.marker(base.toLatLng(c.lng, c.lat), { icon: L.divIcon({ className: 'wm-case-pin-wrap', html: pin, iconSize: [16, 16], iconAnchor: [8, 8] }), riseOnHover: true })
        .bindPopup(() => casePopup(c), { maxWidth: 300, minWidth: 200 })
        .bindTooltip(`${c.caseNo} · ${textRef.current.categories.name(c.categoryCode)}`, { direction: 'top', offset: [0, -4] })
        .addTo(group);
    }
    const reboundGroup = L.featureGroup();
    for (const s of rebounds.data as ReboundSpot[]) {
      const spotPopup = () => {
        const { t: tt, categories: cats, navigate: nav, formatDateTime: fdt } = textRef.current;
        return popupContent(
          `${tt('rebound.spot')} · ${cats.name(s.categoryCode)}`,
          [
            [tt('map.popup.rebounds'), tt('rebound.times', { count: s.reboundCount })],
            [tt('common.updatedAt'), fdt(s.updatedAt)],
          ],
          s.lastCaseId ? { text: tt('map.popup.lastCase'), onClick: () => nav(`/cases/${s.lastCaseId}`) } : undefined,
        );
      };
      L.circleMarker(base.toLatLng(s.lng, s.lat), { radius: 11 + Math.min(s.reboundCount, 8), color: '#d4380d', weight: 3, dashArray: '4 3', fillColor: '#d4380d', fillOpacity: 0.12 })
        .bindPopup(spotPopup, { maxWidth: 300, minWidth: 200 })
        .bindTooltip(`${textRef.current.t('rebound.spot')} · ${textRef.current.categories.name(s.categoryCode)} · ${textRef.current.t('rebound.times', { count: s.reboundCount })}`, { direction: 'top' })
        .addTo(reboundGroup);
    }
    casesRef.current = { byStatus, rebounds: reboundGroup };
    setStatusCounts(tally);
    if (visible.rebounds) reboundGroup.addTo(base.map);
    for (const [status, group] of byStatus) if (visible.cases && !hiddenStatuses.has(status)) group.addTo(base.map);
    setCasesDrawn(true);
    return () => {
      for (const group of byStatus.values()) group.remove();
      reboundGroup.remove();
      casesRef.current = null;
      setCasesDrawn(false);
    };
    // Visibility is applied by the toggle effect below.
  }, [openCases.data, rebounds.data, baseReady, isMobile]);

  useEffect(() => {
    const base = baseRef.current;
    const drawn = casesRef.current;
    if (!base || !drawn) return;
    for (const [status, group] of drawn.byStatus) {
      const show = visible.cases && !hiddenStatuses.has(status);
      if (show && !base.map.hasLayer(group)) group.addTo(base.map);
      if (!show && base.map.hasLayer(group)) group.remove();
    }
    if (visible.rebounds && !base.map.hasLayer(drawn.rebounds)) drawn.rebounds.addTo(base.map);
    if (!visible.rebounds && base.map.hasLayer(drawn.rebounds)) drawn.rebounds.remove();
    for (const group of drawn.byStatus.values()) if (base.map.hasLayer(group)) group.bringToFront();
    if (base.map.hasLayer(drawn.rebounds)) drawn.rebounds.bringToFront();
  }, [visible.cases, visible.rebounds, hiddenStatuses, casesDrawn, pointsDrawn, layersDrawn]);

  // Toggles: layer groups and point types.
  useEffect(() => {
    const base = baseRef.current;
    const drawn = drawnRef.current;
    if (!base || !drawn) return;
    for (const key of ['communities', 'roads', 'grids', 'microGrids', 'street'] as const) {
      const group = drawn.groups[key];
      if (!group) continue;
      if (visible[key] && !base.map.hasLayer(group)) group.addTo(base.map);
      if (!visible[key] && base.map.hasLayer(group)) group.remove();
    }
    if (!visible.grids && base.map.hasLayer(drawn.gridLabels)) drawn.gridLabels.remove();
    if (visible.grids && base.map.getZoom() >= GRID_LABEL_ZOOM) drawn.gridLabels.addTo(base.map);
    // Keep points on top of re-added polygons on the shared canvas.
    for (const group of pointsRef.current?.byType.values() ?? []) if (base.map.hasLayer(group)) group.bringToFront();
  }, [visible, layersDrawn]);

  useEffect(() => {
    const base = baseRef.current;
    const drawn = pointsRef.current;
    if (!base || !drawn) return;
    for (const [code, group] of drawn.byType) {
      const show = visible.points && !hiddenTypes.has(code);
      if (show && !base.map.hasLayer(group)) group.addTo(base.map);
      if (!show && base.map.hasLayer(group)) group.remove();
    }
  }, [visible.points, hiddenTypes, pointsDrawn]);

  // Deep links from other screens: /map?grid=<id> or /map?point=<id>.
  const focusGrid = params.get('grid');
  const focusPoint = params.get('point');
  useEffect(() => {
    const base = baseRef.current;
    if (!base) return;
    if (focusGrid && layersDrawn) {
      const layer = drawnRef.current?.gridById.get(focusGrid) as (L.Polygon & { feature?: Feature }) | undefined;
      if (layer) {
        base.map.fitBounds(layer.getBounds(), { paddingTopLeft: [24, 24], paddingBottomRight: [24 + (isMobile ? 0 : PANEL_RESERVE), 24], maxZoom: 18 });
        if (layer.getPopup()) layer.openPopup(layer.getBounds().getCenter());
        else layer.setStyle({ weight: 4 });
      }
    }
    if (focusPoint && pointsDrawn) {
      const layer = pointsRef.current?.byId.get(focusPoint);
      if (layer) {
        const at = 'getLatLng' in layer ? (layer as L.CircleMarker).getLatLng() : (layer as unknown as L.Polyline).getBounds().getCenter();
        base.map.setView(at, Math.max(base.map.getZoom(), 17));
        layer.openPopup(at);
      }
    }
  }, [focusGrid, focusPoint, layersDrawn, pointsDrawn]);

  const flyToPoint = (p: Point) => {
    const base = baseRef.current;
    if (!base) return;
    const at = base.toLatLng(p.lng, p.lat);
    base.map.setView(at, Math.max(base.map.getZoom(), 17));
    const layer = pointsRef.current?.byId.get(String(p.id));
    if (layer && pointsRef.current) {
      setHiddenTypes((prev) => {
        if (!prev.has(p.typeCode)) return prev;
        const next = new Set(prev);
        next.delete(p.typeCode);
        return next;
      });
      setVisible((v) => (v.points ? v : { ...v, points: true }));
      setTimeout(() => layer.openPopup(at), 0);
    }
    if (isMobile) setPanelOpen(false);
  };

  const resetView = () => {
    const base = baseRef.current;
    if (!base) return;
    if (!fitTo(base.map, drawnRef.current?.street ?? null, 17, isMobile ? 0 : PANEL_RESERVE)) base.map.setView([36.81, 118.05], 14);
  };

  const loaded = layersDrawn && pointsDrawn;
  const loadError = layers.error ?? points.error ?? pointTypes.error;

  const panel = (
    <MapPanel
      types={pointTypes.types}
      colours={colours}
      counts={counts}
      visible={visible}
      hasRoads={Boolean(layers.data?.roads?.features?.length)}
      onVisible={(key, value) => setVisible((v) => ({ ...v, [key]: value }))}
      hiddenTypes={hiddenTypes}
      onHiddenTypes={setHiddenTypes}
      onPick={flyToPoint}
      statusCounts={statusCounts}
      casesTotal={openCases.data?.total ?? 0}
      hiddenStatuses={hiddenStatuses}
      onHiddenStatuses={setHiddenStatuses}
    />
  );

  return (
    <div className="wm-map-page">
      <div
        ref={containerRef}
        className="wm-map"
        data-testid="map"
        data-loaded={loaded ? 'true' : undefined}
        data-crs={tileUrl ? tileCrs : 'none'}
      />
      {!loaded && !loadError ? (
        <div className="wm-map-loading">
          <Spin />
          <Typography.Text type="secondary">{t('map.loading')}</Typography.Text>
        </div>
      ) : null}
      {loadError ? (
        <Alert className="wm-map-error" type="error" showIcon title={errorText(loadError)} action={<Button size="small" onClick={() => { points.reload(); }}>{t('common.retry')}</Button>} />
      ) : null}
      <div className="wm-map-tools">
        <Button icon={<ExpandOutlined />} onClick={resetView} title={t('map.resetView')} aria-label={t('map.resetView')} data-testid="map-reset" />
        {isMobile ? (
          <Button icon={<UnorderedListOutlined />} onClick={() => setPanelOpen(true)} data-testid="map-panel-toggle">
            {t('map.layers')}
          </Button>
        ) : null}
      </div>
      {isMobile ? (
        <Drawer
          open={panelOpen}
          placement="bottom"
          size="70%"
          onClose={() => setPanelOpen(false)}
          title={t('map.layers')}
          styles={{ body: { padding: 12 } }}
        >
          {panel}
        </Drawer>
      ) : (
        <div className="wm-map-panel" data-testid="map-panel">
          {panel}
        </div>
      )}
    </div>
  );
}

interface MapPanelProps {
  types: PointType[];
  colours: Map<string, string>;
  counts: Map<string, number>;
  visible: Record<LayerKey, boolean>;
  hasRoads: boolean;
  onVisible: (key: LayerKey, value: boolean) => void;
  hiddenTypes: Set<string>;
  onHiddenTypes: (next: Set<string>) => void;
  onPick: (point: Point) => void;
  statusCounts: Map<CaseState, number>;
  casesTotal: number;
  hiddenStatuses: Set<CaseState>;
  onHiddenStatuses: (next: Set<CaseState>) => void;
}

function MapPanel(props: MapPanelProps) {
  const { t, label, errorText } = useI18n();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Point[]>([]);
  const [searchError, setSearchError] = useState<unknown>(null);
  const searchSeq = useRef(0);

  useEffect(() => {
    const q = search.trim();
    if (!q) {
      setOptions([]);
      return;
    }
    const id = ++searchSeq.current;
    const timer = setTimeout(() => {
      placeApi.points({ q, pageSize: 10 }).then(
        (page) => id === searchSeq.current && (setOptions(page.items), setSearchError(null)),
        (err: unknown) => id === searchSeq.current && setSearchError(err),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  const layerRows: [LayerKey, string][] = [
    ['street', t('map.layer.street')],
    ['communities', t('map.layer.communities')],
    ['grids', t('map.layer.grids')],
    ['microGrids', t('map.layer.microGrids')],
    ...(props.hasRoads ? ([['roads', t('map.layer.roads')]] as [LayerKey, string][]) : []),
    ['points', t('map.layer.points')],
    ['cases', t('map.layer.cases')],
    ['rebounds', t('map.layer.rebounds')],
  ];

  const toggleType = (code: string) => {
    const next = new Set(props.hiddenTypes);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    props.onHiddenTypes(next);
  };

  const total = [...props.counts.values()].reduce((a, b) => a + b, 0);

  return (
    <div className="wm-map-panel-inner">
      <AutoComplete
        style={{ width: '100%' }}
        value={search}
        onChange={setSearch}
        options={options.map((p) => ({
          value: String(p.id),
          label: (
            <Flex justify="space-between" gap={8}>
              <span>{p.name}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.typeName}
              </Typography.Text>
            </Flex>
          ),
        }))}
        onSelect={(value: string) => {
          const p = options.find((o) => String(o.id) === value);
          if (p) props.onPick(p);
          setSearch(p?.name ?? '');
        }}
      >
        <Input prefix={<AimOutlined />} placeholder={t('map.search')} allowClear data-testid="map-search" />
      </AutoComplete>
      {searchError ? <Typography.Text type="danger">{errorText(searchError)}</Typography.Text> : null}
      <Divider titlePlacement="start" plain style={{ margin: '12px 0 8px' }}>
        {t('map.layers')}
      </Divider>
      <div className="wm-layer-list">
        {layerRows.map(([key, text]) => (
          <Checkbox key={key} checked={props.visible[key]} onChange={(e) => props.onVisible(key, e.target.checked)} data-testid={`layer-${key}`}>
            {text}
          </Checkbox>
        ))}
      </div>
      {props.statusCounts.size ? (
        <>
          <Divider titlePlacement="start" plain style={{ margin: '12px 0 8px' }}>
            {t('map.caseLegend')}
          </Divider>
          <ul className="wm-legend" data-testid="map-case-legend">
            {OPEN_STATES.filter((s) => props.statusCounts.get(s)).map((s) => {
              const hidden = props.hiddenStatuses.has(s);
              return (
                <li key={s}>
                  <button
                    type="button"
                    className={hidden ? 'wm-legend-item wm-legend-off' : 'wm-legend-item'}
                    onClick={() => {
                      const next = new Set(props.hiddenStatuses);
                      if (next.has(s)) next.delete(s);
                      else next.add(s);
                      props.onHiddenStatuses(next);
                    }}
                    aria-pressed={!hidden}
                    disabled={!props.visible.cases}
                    data-testid={`legend-status-${s}`}
                  >
                    <span className="wm-legend-swatch wm-legend-diamond" style={{ background: STATUS_COLOURS[s].hex }} />
                    <span className="wm-legend-name">{label(CASE_STATE_LABELS[s])}</span>
                    <span className="wm-legend-count">{props.statusCounts.get(s)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
          {props.casesTotal > MAX_CASES ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('map.casesShown', { shown: MAX_CASES, total: props.casesTotal })}
            </Typography.Text>
          ) : null}
        </>
      ) : null}
      <Divider titlePlacement="start" plain style={{ margin: '12px 0 8px' }}>
        {t('map.legend')} <Badge count={total} overflowCount={99999} color="#8c8c8c" style={{ marginInlineStart: 4 }} />
      </Divider>
      <Flex gap={8} style={{ marginBottom: 6 }}>
        <Button size="small" onClick={() => props.onHiddenTypes(new Set())}>
          {t('map.showAll')}
        </Button>
        <Button size="small" icon={<CloseOutlined />} onClick={() => props.onHiddenTypes(new Set(props.types.map((pt) => pt.code)))}>
          {t('map.hideAll')}
        </Button>
      </Flex>
      <ul className="wm-legend" data-testid="map-legend">
        {props.types.map((pt) => {
          const hidden = props.hiddenTypes.has(pt.code);
          const count = props.counts.get(pt.code) ?? 0;
          return (
            <li key={pt.code}>
              <button
                type="button"
                className={hidden ? 'wm-legend-item wm-legend-off' : 'wm-legend-item'}
                onClick={() => toggleType(pt.code)}
                aria-pressed={!hidden}
                data-testid={`legend-${pt.code}`}
                disabled={!props.visible.points}
              >
                <span className="wm-legend-swatch" style={{ background: props.colours.get(pt.code) }} />
                <span className="wm-legend-name">{label(pt)}</span>
                <span className="wm-legend-count">{count}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
