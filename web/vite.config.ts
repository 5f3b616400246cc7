import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies the API to the local ingress (npm start), so the app and the API share an
// origin as they do when the ingress serves the built app.
const ingress = process.env.AGORA_INGRESS_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [{ find: /^@agora\/client$/, replacement: fileURLToPath(new URL('../openapi/client/index.ts', import.meta.url)) }],
  },
  // The manifest (dist/.vite/manifest.json) tells the bench which chunks each route loads.
  build: { outDir: 'dist', sourcemap: false, assetsInlineLimit: 0, manifest: true },
  server: {
    proxy: {
      '/api': { target: ingress, changeOrigin: false },
      '/objects': { target: ingress, changeOrigin: false },
      '/.well-known': { target: ingress, changeOrigin: false },
    },
  },
});
