import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { registerServiceWorker } from './lib/offline/serviceWorker.js';
import './styles.css';

// Vite replaces import.meta.env.PROD at build time (true in `vite build`, false under `vite dev`).
declare global {
  interface ImportMeta {
    readonly env: { readonly PROD: boolean };
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The app shell stays on the phone, so the inspection pages open after a reload without network.
registerServiceWorker(import.meta.env.PROD);
