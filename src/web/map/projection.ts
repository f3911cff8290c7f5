// Coordinates for display. Everything is stored and sent as WGS-84; only a GCJ-02 basemap (AMap, Tencent) needs
// the vectors shifted to line up with it, and clicks on such a map shifted back before they are saved.
import gcoordImport from 'gcoord';
import type { TileCrs } from '../api/types.js';
import { interopDefault } from '../lib/interop.js';
import type { Project } from './geo.js';

const gcoord = interopDefault(gcoordImport);

const identity: Project = (lng, lat) => [lng, lat];

/** WGS-84 → the display CRS of the basemap. */
export function displayProjection(crs: TileCrs | null | undefined): Project {
  if (crs !== 'GCJ02') return identity;
  return (lng, lat) => {
    const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    return [x, y];
  };
}

/** Display CRS → WGS-84, for clicks on the map. */
export function storageProjection(crs: TileCrs | null | undefined): Project {
  if (crs !== 'GCJ02') return identity;
  return (lng, lat) => {
    const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    return [x, y];
  };
}

