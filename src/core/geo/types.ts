// GeoJSON geometry shapes (RFC 7946) used by Wenming. Positions are [longitude, latitude] in WGS-84; they are typed
// as number[] like @types/geojson so geometries from either side are interchangeable.
export type Position = number[];

export interface PointGeometry {
  type: 'Point';
  coordinates: Position;
}

export interface LineStringGeometry {
  type: 'LineString';
  coordinates: Position[];
}

export interface PolygonGeometry {
  type: 'Polygon';
  /** Ring 0 is the shell, further rings are holes; each ring is closed (first position = last). */
  coordinates: Position[][];
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

export type Geometry = PointGeometry | LineStringGeometry | PolygonGeometry | MultiPolygonGeometry;
export type GeometryType = Geometry['type'];
/** The geometries that enclose an area: grids, communities, compounds, parks. */
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [number, number, number, number];

/** [longitude, latitude] */
export type LngLat = [number, number];

export const GEOMETRY_TYPES: readonly GeometryType[] = ['Point', 'LineString', 'Polygon', 'MultiPolygon'];
export const AREA_TYPES: readonly GeometryType[] = ['Polygon', 'MultiPolygon'];
