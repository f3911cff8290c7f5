// Leaflet set-up shared by the map page and the small maps in forms: canvas rendering, no basemap unless one is
// configured, and all vectors passed through the display projection (WGS-84 → GCJ-02 for Chinese tiles).
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { TileCrs } from '../api/types.js';
import type { Project } from './geo.js';
import { displayProjection, storageProjection } from './projection.js';

export interface BaseMap {
  map: L.Map;
  /** WGS-84 → display. */
  project: Project;
  /** Display (a click on the map) → WGS-84. */
  unproject: Project;
  toLatLng: (lng: number, lat: number) => L.LatLng;
}

export interface BaseMapOptions {
  tileUrl?: string | null;
  tileCrs?: TileCrs | null;
  zoomControl?: boolean;
  attribution?: string;
}

export function createBaseMap(container: HTMLElement, options: BaseMapOptions): BaseMap {
  const map = L.map(container, {
    preferCanvas: true,
    zoomControl: options.zoomControl ?? true,
    attributionControl: Boolean(options.tileUrl),
    minZoom: 3,
    maxZoom: 20,
    zoomSnap: 0.25,
    // Start near the demo street; every caller fits to real data right after.
    center: [36.81, 118.05],
    zoom: 14,
  });
  if (options.tileUrl) {
    L.tileLayer(options.tileUrl, {
      maxZoom: 20,
      maxNativeZoom: 18,
      attribution: options.attribution ?? '',
      // AMap-style URLs use {s} for 1–4; OSM-style for a–c.
      subdomains: /autonavi|amap/.test(options.tileUrl) ? '1234' : 'abc',
    }).addTo(map);
  }
  const crs = options.tileUrl ? options.tileCrs : 'WGS84';
  const project = displayProjection(crs);
  const unproject = storageProjection(crs);
  const toLatLng = (lng: number, lat: number) => {
    const [x, y] = project(lng, lat);
    return L.latLng(y, x);
  };
  return { map, project, unproject, toLatLng };
}

/** A GeoJSON layer whose coordinates go through the display projection. */
export function projectedGeoJson(
  base: BaseMap,
  data: Feature | FeatureCollection | Geometry | null | undefined,
  options: L.GeoJSONOptions = {},
): L.GeoJSON {
  return L.geoJSON(data ?? undefined, {
    ...options,
    coordsToLatLng: (coords) => base.toLatLng(coords[0], coords[1]),
  });
}

/** A text label pinned at a position (DOM, so it stays crisp over the canvas). */
export function textLabel(latlng: L.LatLng, text: string, className = 'wm-map-label'): L.Marker {
  const span = document.createElement('span');
  span.textContent = text;
  return L.marker(latlng, {
    interactive: false,
    keyboard: false,
    icon: L.divIcon({ className, html: span, iconSize: undefined }),
  });
}

/** Fits the view to a layer, ignoring empty layers. */
export function fitTo(map: L.Map, layer: L.FeatureGroup | L.GeoJSON | null, maxZoom = 17, reserveRight = 0) {
  if (!layer) return false;
  const bounds = layer.getBounds();
  if (!bounds.isValid()) return false;
  // reserveRight keeps the fitted area clear of a panel floating over the map's right edge.
  map.fitBounds(bounds, { paddingTopLeft: [16, 16], paddingBottomRight: [16 + reserveRight, 16], maxZoom });
  return true;
}

/** Point markers grow as you zoom in: dots at street scale, easy tap targets at block scale. */
export function markerRadius(zoom: number, phone: boolean): number {
  const base = zoom >= 17 ? 7 : zoom >= 16 ? 6 : zoom >= 15 ? 5 : 4;
  return phone ? base + 1 : base;
}

export { L };
