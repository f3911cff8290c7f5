import { ClearOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import type { Geometry } from 'geojson';
import { useEffect, useRef, useState } from 'react';
import type { GeometryKind } from '../../core/places.js';
import type { TileCrs } from '../api/types.js';
import { useSession } from '../auth/SessionProvider.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useLayers } from '../lib/referenceData.js';
import { geometryOf, verticesOf, type Vertex } from './drawing.js';
import { createBaseMap, fitTo, L, projectedGeoJson, type BaseMap } from './leafletMap.js';

export interface LocationPickerProps {
  value?: Geometry | null;
  onChange?: (geometry: Geometry | null) => void;
  kind: GeometryKind;
  height?: number | string;
  /** Overrides the configured basemap (the settings page previews a URL before saving it). */
  tile?: { url: string | null; crs: TileCrs };
  testId?: string;
}

/**
 * A small map of the street's grids for picking a location: one click for a point, clicks for the vertices of a
 * line or polygon. Values in and out are WGS-84 whatever the basemap.
 */
export function LocationPicker({ value, onChange, kind, height = 280, tile, testId }: LocationPickerProps) {
  const { t } = useI18n();
  const { meta } = useSession();
  const layers = useLayers();
  const containerRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<BaseMap | null>(null);
  const editRef = useRef<L.LayerGroup | null>(null);
  const [ready, setReady] = useState(0);
  const [vertices, setVertices] = useState<Vertex[]>(() => verticesOf(value));
  const lastEmitted = useRef<string>(JSON.stringify(value ?? null));
  const fitted = useRef(false);
  const editable = Boolean(onChange);

  const tileUrl = tile ? tile.url : (meta?.map.tileUrl ?? null);
  const tileCrs = tile ? tile.crs : (meta?.map.tileCrs ?? 'WGS84');

  // Outside changes (lat/lng typed in the form, another record opened) replace the drawing.
  useEffect(() => {
    const serialized = JSON.stringify(value ?? null);
    if (serialized !== lastEmitted.current) {
      lastEmitted.current = serialized;
      setVertices(verticesOf(value));
      fitted.current = false;
    }
  }, [value]);

  const kindRef = useRef(kind);
  kindRef.current = kind;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const update = (next: Vertex[]) => {
    // The person is drawing: keep the view where they are instead of jumping to the shape.
    fitted.current = true;
    setVertices(next);
    const geometry = geometryOf(kindRef.current, next);
    lastEmitted.current = JSON.stringify(geometry);
    onChangeRef.current?.(geometry);
  };
  const updateRef = useRef(update);
  updateRef.current = update;
  const verticesRef = useRef(vertices);
  verticesRef.current = vertices;

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const base = createBaseMap(el, { tileUrl, tileCrs });
    baseRef.current = base;
    editRef.current = L.layerGroup().addTo(base.map);
    if (editable) {
      el.style.cursor = 'crosshair';
      base.map.on('click', (e: L.LeafletMouseEvent) => {
        const [lng, lat] = base.unproject(e.latlng.lng, e.latlng.lat);
        const current = verticesRef.current;
        updateRef.current(kindRef.current === 'point' ? [[lng, lat]] : [...current, [lng, lat]]);
      });
    }
    const resize = new ResizeObserver(() => base.map.invalidateSize());
    resize.observe(el);
    setReady((n) => n + 1);
    fitted.current = false;
    return () => {
      resize.disconnect();
      base.map.remove();
      baseRef.current = null;
      editRef.current = null;
    };
  }, [tileUrl, tileCrs, editable]);

  // Context: the street outline and grids, not clickable so clicks reach the map.
  useEffect(() => {
    const base = baseRef.current;
    if (!base || !layers.data) return;
    const group = L.layerGroup().addTo(base.map);
    projectedGeoJson(base, layers.data.grids, { interactive: false, style: { color: '#8a94a6', weight: 1, fill: false } }).addTo(group);
    const street = layers.data.street
      ? projectedGeoJson(base, layers.data.street, { interactive: false, style: { color: '#b71c1c', weight: 2.5, fill: false } }).addTo(group)
      : null;
    if (!fitted.current && !verticesRef.current.length) fitTo(base.map, street);
    editRef.current?.eachLayer((l) => (l as L.Path).bringToFront?.());
    return () => {
      group.remove();
    };
  }, [layers.data, ready]);

  // The edited geometry.
  useEffect(() => {
    const base = baseRef.current;
    const group = editRef.current;
    if (!base || !group) return;
    group.clearLayers();
    const latlngs = vertices.map(([lng, lat]) => base.toLatLng(lng, lat));
    const colour = '#b71c1c';
    if (kind === 'line' && latlngs.length >= 2) L.polyline(latlngs, { color: colour, weight: 4, interactive: false }).addTo(group);
    if (kind === 'polygon' && latlngs.length >= 2) {
      (latlngs.length >= 3 ? L.polygon(latlngs, { color: colour, weight: 2, fillOpacity: 0.2, interactive: false }) : L.polyline(latlngs, { color: colour, weight: 2, dashArray: '4 4', interactive: false })).addTo(group);
    }
    for (const latlng of latlngs) {
      L.circleMarker(latlng, { radius: kind === 'point' ? 8 : 5, color: '#ffffff', weight: 2, fillColor: colour, fillOpacity: 1, interactive: false }).addTo(group);
    }
    if (!fitted.current && latlngs.length) {
      fitted.current = true;
      if (latlngs.length === 1) base.map.setView(latlngs[0], Math.max(base.map.getZoom(), 17));
      else base.map.fitBounds(L.latLngBounds(latlngs), { padding: [24, 24], maxZoom: 18 });
    }
  }, [vertices, kind, ready]);

  const hint = kind === 'point' ? t('picker.hintPoint') : kind === 'line' ? t('picker.hintLine') : t('picker.hintPolygon');

  return (
    <div className="wm-picker">
      <div ref={containerRef} className="wm-picker-map" style={{ height }} data-testid={testId ?? 'location-map'} />
      {editable ? (
        <Flex justify="space-between" align="center" gap={8} wrap style={{ marginTop: 6 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {hint}
          </Typography.Text>
          {kind !== 'point' ? (
            <Flex gap={6}>
              <Button size="small" icon={<UndoOutlined />} disabled={!vertices.length} onClick={() => update(vertices.slice(0, -1))}>
                {t('picker.undo')}
              </Button>
              <Button size="small" icon={<ClearOutlined />} disabled={!vertices.length} onClick={() => update([])}>
                {t('picker.clear')}
              </Button>
            </Flex>
          ) : null}
        </Flex>
      ) : null}
    </div>
  );
}

export default LocationPicker;
