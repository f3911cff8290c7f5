// The life of a small map in a component: created on the container with the configured basemap, kept sized to the
// container, removed on unmount, made anew when the basemap setting changes. `ready` counts creations, so effects
// that draw on the map list it to run again on a new map.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useSession } from '../auth/SessionProvider.js';
import { createBaseMap, type BaseMap } from './leafletMap.js';

export function useBaseMap(containerRef: RefObject<HTMLDivElement | null>, onCreate?: (base: BaseMap) => void) {
  const { meta } = useSession();
  const baseRef = useRef<BaseMap | null>(null);
  const [ready, setReady] = useState(0);
  const onCreateRef = useRef(onCreate);
  onCreateRef.current = onCreate;
  const tileUrl = meta?.map.tileUrl ?? null;
  const tileCrs = meta?.map.tileCrs ?? 'WGS84';

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const base = createBaseMap(el, { tileUrl, tileCrs, zoomControl: true });
    baseRef.current = base;
    onCreateRef.current?.(base);
    const resize = new ResizeObserver(() => base.map.invalidateSize());
    resize.observe(el);
    setReady((n) => n + 1);
    return () => {
      resize.disconnect();
      base.map.remove();
      baseRef.current = null;
    };
  }, [containerRef, tileUrl, tileCrs]);

  return { baseRef, ready };
}
