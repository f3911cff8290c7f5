// The route of an inspection on a map: each point a numbered marker in route order, one colour per inspector, a
// line through each inspector's points. Done points are drawn hollow. Works offline (no basemap then, just the
// markers) because it only draws what it is given.
import { useEffect, useRef } from 'react';
import { useLayers } from '../../lib/referenceData.js';
import { fitTo, L, projectedGeoJson } from '../../map/leafletMap.js';
import { useBaseMap } from '../../map/useBaseMap.js';
import { inspectorColour } from './model.js';

export interface RoutePoint {
  id: number;
  name: string;
  lat: number;
  lng: number;
  seq: number;
  inspectorId: number | null;
  done?: boolean;
}

export interface RouteMapProps {
  points: RoutePoint[];
  /** Inspectors in legend order: their index picks the colour. */
  inspectorIds: number[];
  height?: number | string;
  onSelect?: (pointId: number) => void;
  /** Draw the grid outlines under the route (they need the network the first time). */
  withGrids?: boolean;
  testId?: string;
}

function markerIcon(seq: number, colour: string, done: boolean) {
  const span = document.createElement('span');
  span.className = done ? 'wm-route-pin wm-route-pin-done' : 'wm-route-pin';
  span.style.setProperty('--pin', colour);
  span.textContent = String(seq);
  return L.divIcon({ className: 'wm-route-pin-wrap', html: span, iconSize: [26, 26], iconAnchor: [13, 13] });
}

export default function RouteMap({ points, inspectorIds, height = 420, onSelect, withGrids = true, testId = 'route-map' }: RouteMapProps) {
  const layers = useLayers();
  const containerRef = useRef<HTMLDivElement>(null);
  const fitted = useRef(false);
  const { baseRef, ready } = useBaseMap(containerRef, () => {
    fitted.current = false;
  });
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    const base = baseRef.current;
    if (!base || !withGrids || !layers.data) return;
    const group = projectedGeoJson(base, layers.data.grids, { interactive: false, style: { color: '#c9cfd8', weight: 1, fill: false } }).addTo(base.map);
    group.bringToBack();
    return () => {
      group.remove();
    };
  }, [layers.data, ready, withGrids]);

  useEffect(() => {
    const base = baseRef.current;
    if (!base) return;
    const group = L.featureGroup().addTo(base.map);
    const byInspector = new Map<number | null, RoutePoint[]>();
    const sorted = [...points].sort((a, b) => a.seq - b.seq);
    for (const p of sorted) {
      const list = byInspector.get(p.inspectorId) ?? [];
      list.push(p);
      byInspector.set(p.inspectorId, list);
    }
    const colourOf = (id: number | null) => inspectorColour(id === null ? -1 : inspectorIds.indexOf(id));
    for (const [inspectorId, list] of byInspector) {
      if (list.length > 1) {
        L.polyline(
          list.map((p) => base.toLatLng(p.lng, p.lat)),
          { color: colourOf(inspectorId), weight: 3, opacity: 0.7, dashArray: inspectorId === null ? '4 6' : undefined, interactive: false },
        ).addTo(group);
      }
    }
    for (const p of sorted) {
      const marker = L.marker(base.toLatLng(p.lng, p.lat), { icon: markerIcon(p.seq, colourOf(p.inspectorId), Boolean(p.done)), title: `${p.seq}. ${p.name}` });
      marker.bindTooltip(`${p.seq}. ${p.name}`, { direction: 'top', offset: [0, -12] });
      marker.on('click', () => onSelectRef.current?.(p.id));
      marker.addTo(group);
    }
    if (!fitted.current && sorted.length) fitted.current = fitTo(base.map, group, 17);
    return () => {
      group.remove();
    };
  }, [points, inspectorIds, ready]);

  return <div ref={containerRef} className="wm-picker-map wm-route-map" style={{ height }} data-testid={testId} data-count={points.length} />;
}
