// Reference data shared by several screens, loaded once per session through the cache.
import { useMemo } from 'react';
import { orgApi, placeApi } from '../api/endpoints.js';
import type { GeoLayers, OrgNode, PointType } from '../api/types.js';
import { cached, invalidate, useCached } from './cache.js';
import { buildOrgTree, type OrgTreeNode } from './orgTree.js';

const ORG_KEY = 'orgs:tree';
const TYPES_KEY = 'point-types';
const LAYERS_KEY = 'geo:layers';

const fetchOrgNodes = async (): Promise<OrgNode[]> => (await orgApi.tree()).nodes;
const fetchPointTypes = (): Promise<PointType[]> => placeApi.pointTypes();
const fetchLayers = (): Promise<GeoLayers> => placeApi.layers();

export const loadOrgNodes = () => cached(ORG_KEY, fetchOrgNodes);
export const loadPointTypes = () => cached(TYPES_KEY, fetchPointTypes);
export const loadLayers = () => cached(LAYERS_KEY, fetchLayers);

/** After an org edit: the tree and the map layers (names, owners) may both have changed. */
export const invalidateOrgs = () => {
  invalidate(ORG_KEY);
  invalidate('geo:');
};
export const invalidateLayers = () => invalidate('geo:');

export function useOrgNodes() {
  const state = useCached(ORG_KEY, fetchOrgNodes);
  const tree = useMemo<OrgTreeNode[]>(() => buildOrgTree(state.data ?? []), [state.data]);
  const byId = useMemo(() => new Map((state.data ?? []).map((n) => [String(n.id), n])), [state.data]);
  return { ...state, nodes: state.data ?? [], tree, byId };
}

export function usePointTypes() {
  const state = useCached(TYPES_KEY, fetchPointTypes);
  const byCode = useMemo(() => new Map((state.data ?? []).map((pt) => [pt.code, pt])), [state.data]);
  return { ...state, types: state.data ?? [], byCode };
}

export function useLayers() {
  return useCached(LAYERS_KEY, fetchLayers);
}
