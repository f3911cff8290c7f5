/**
 * Some packages (antd locales, gcoord) publish CommonJS-flavoured types with `export default`. Under NodeNext
 * TypeScript types the default import as the whole module, while Vite hands over the default export itself.
 * This returns the default export whichever shape arrives.
 */
export function interopDefault<T>(imported: T | { default: T }): T {
  return imported && typeof imported === 'object' && 'default' in imported ? (imported as { default: T }).default : (imported as T);
}
