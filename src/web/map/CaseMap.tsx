// A small read-only map of one case: its grid outlined, the reported location (red) and the matched point (blue),
// so the unit and the checker find the spot. Loaded lazily: it pulls in Leaflet.
import type { Geometry } from 'geojson';
import { useEffect, useRef, useState } from 'react';
import { placeApi } from '../api/endpoints.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useLayers } from '../lib/referenceData.js';
import { L, projectedGeoJson, textLabel } from './leafletMap.js';
import { useBaseMap } from './useBaseMap.js';

export interface CaseMapProps {
  lat: number;
  lng: number;
  gridId?: number | null;
  pointId?: number | null;
  pointName?: string | null;
  height?: number | string;
}

export default function CaseMap({ lat, lng, gridId, pointId, pointName, height = 240 }: CaseMapProps) {
  const { t } = useI18n();
  const layers = useLayers();
  const containerRef = useRef<HTMLDivElement>(null);
  const { baseRef, ready } = useBaseMap(containerRef);
  const [pointGeometry, setPointGeometry] = useState<Geometry | null>(null);

  useEffect(() => {
    let live = true;
    setPointGeometry(null);
    if (pointId) {
      placeApi.point(pointId).then(
        (p) => live && setPointGeometry(p.geometry ?? { type: 'Point', coordinates: [p.lng, p.lat] }),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [pointId]);

  useEffect(() => {
    const base = baseRef.current;
    if (!base) return;
    const group = L.layerGroup().addTo(base.map);
    const grid = layers.data?.grids.features.find((f) => String(f.properties?.id) === String(gridId));
    if (layers.data) {
      projectedGeoJson(base, layers.data.grids, { interactive: false, style: { color: '#b8bfcc', weight: 1, fill: false } }).addTo(group);
    }
    if (grid) projectedGeoJson(base, grid, { interactive: false, style: { color: '#5b6470', weight: 2, fillColor: '#5b6470', fillOpacity: 0.05 } }).addTo(group);
    if (pointGeometry) {
      const layer = projectedGeoJson(base, pointGeometry, {
        interactive: false,
        pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 7, color: '#ffffff', weight: 2, fillColor: '#1677ff', fillOpacity: 1 }),
        style: { color: '#1677ff', weight: 3, fillOpacity: 0.15 },
      }).addTo(group);
      const centre = layer.getBounds().getCenter();
      if (pointName) textLabel(centre, pointName, 'wm-map-label wm-map-label-point').addTo(group);
    }
    const at = base.toLatLng(lng, lat);
    L.circleMarker(at, { radius: 9, color: '#ffffff', weight: 3, fillColor: '#cf1322', fillOpacity: 1 }).bindTooltip(t('case.reportedHere'), { direction: 'top', offset: [0, -8] }).addTo(group);
    base.map.setView(at, 17);
    return () => {
      group.remove();
    };
  }, [lat, lng, gridId, pointGeometry, pointName, layers.data, ready, t]);

  return <div ref={containerRef} className="wm-picker-map" style={{ height }} data-testid="case-map" />;
}
