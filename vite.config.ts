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
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Vendor code changes less often than ours: separate chunks keep the browser cache warm across releases,
        // and Leaflet only loads with the pages that draw maps.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'leaflet', test: /node_modules[\\/](leaflet|gcoord)[\\/]/, priority: 25 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion|dayjs|async-validator|classnames|clsx)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});
