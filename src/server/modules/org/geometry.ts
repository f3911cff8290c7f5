// Territorial polygons of org nodes (street, community, grid, micro-grid) are validated by the pure geo rules.
import { Problem } from '../../errors.js';
import { validateGeometry, geometryBbox } from '../../../core/geo/index.js';

export function checkTerritoryGeometry(geometry: unknown): { bbox: [number, number, number, number] } {
  const g = geometry as { type?: string };
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    throw new Problem('INVALID_GEOMETRY', { field: 'geometry', reason: 'expected a Polygon or MultiPolygon' });
  }
  const reason = validateGeometry(geometry);
  if (reason) throw new Problem('INVALID_GEOMETRY', { field: 'geometry', reason });
  return { bbox: geometryBbox(geometry as never) };
}
