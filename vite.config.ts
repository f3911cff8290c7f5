import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The web console. index.html sits at the repository root so `vite` finds it without flags; the server serves
// the built files from dist/web (see src/server), and the dev server proxies the API to a local `npm start`.
const apiTarget = process.env.WENMING_API ?? 'http://127.0.0.1:3000';

// The service worker (src/web/sw.ts) keeps the app shell so the phone's inspection pages open after a reload without
// network. At build time it gets the build's version and the files to precache: the entry with everything it loads,
// plus the screens the phone needs offline and everything they load. Other screens' files are kept as they are
// fetched. Not used by `vite dev` (the web entry registers the worker in production builds only).
const OFFLINE_SCREENS = [
  'src/web/layout/ConsoleLayout.tsx',
  'src/web/pages/LoginPage.tsx',
  'src/web/pages/ForceChangePasswordPage.tsx',
  'src/web/pages/inspections/InspectPage.tsx',
];

interface BuiltChunk {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  moduleIds: string[];
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

function serviceWorker(): Plugin {
  let root = process.cwd();
  let outDir = 'dist/web';
  let precache: string[] = [];
  let version = '';
  return {
    name: 'wenming-service-worker',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c): c is typeof c & BuiltChunk => c.type === 'chunk') as unknown as BuiltChunk[];
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const files = new Set<string>();
      const add = (chunk: BuiltChunk, dynamic: boolean) => {
        if (files.has(chunk.fileName)) return;
        files.add(chunk.fileName);
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
        for (const asset of chunk.viteMetadata?.importedAssets ?? []) files.add(asset);
        for (const next of [...chunk.imports, ...(dynamic ? chunk.dynamicImports : [])]) {
          const c = byFile.get(next);
          if (c) add(c, dynamic);
        }
      };
      for (const entry of chunks.filter((c) => c.isEntry)) add(entry, false);
      for (const screen of OFFLINE_SCREENS) {
        const id = resolve(root, screen);
        const chunk = chunks.find((c) => c.moduleIds.includes(id));
        if (!chunk) this.error(`service worker: ${screen} is in no chunk (renamed? update OFFLINE_SCREENS in vite.config.ts)`);
        add(chunk, true);
      }
      precache = [...files].sort().map((f) => `/${f}`);
      const html = bundle['index.html'];
      const hash = createHash('sha256').update(JSON.stringify(precache));
      if (html && html.type === 'asset') hash.update(html.source);
      for (const f of ['src/web/sw.ts', 'src/web/sw-policy.ts']) hash.update(readFileSync(resolve(root, f)));
      version = hash.digest('hex').slice(0, 12);
    },
    async closeBundle() {
      if (!version) return;
      // A classic script (module workers are missing in older phone browsers), built on its own after the app.
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        define: { __WM_SW_VERSION__: JSON.stringify(version), __WM_PRECACHE__: JSON.stringify(precache) },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: 'es2019',
          lib: { entry: resolve(root, 'src/web/sw.ts'), formats: ['iife'], name: 'wenmingServiceWorker', fileName: () => 'sw.js' },
        },
      });
    },
  };
}

export default defineConfig({
  root: '.',
  publicDir: false,
  plugins: [react(), serviceWorker()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // React and Leaflet get their own long-lived chunks (Leaflet only loads with pages that draw maps). antd is
        // left to the automatic split: measured on the demo, one antd chunk made every page load ~1 MB of it,
        // while per-component chunks save ~150 KB on the login page and ~300 KB on the map.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'leaflet', test: /node_modules[\\/](leaflet|gcoord)[\\/]/, priority: 25 },
          ],
        },
      },
    },
  },
});
