import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web console. index.html sits at the repository root so `vite` finds it without flags; the server serves
// the built files from dist/web (see src/server), and the dev server proxies the API to a local `npm start`.
const apiTarget = process.env.WENMING_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: '.',
  publicDir: false,
  plugins: [react()],
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
