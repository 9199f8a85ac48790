import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The portal's web application: built into services/portal/dist/web, which the portal serves at `/`. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  resolve: {
    // The API's own zod schemas, compiled from source into the bundle (only what the UI imports).
    alias: {
      '@s3p/contracts': fileURLToPath(new URL('../../../packages/contracts/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // `npx vite --config web/vite.config.ts` beside a running platform: the API is the portal's.
    proxy: { '/api': 'http://127.0.0.1:8080', '/.well-known': 'http://127.0.0.1:8080' },
  },
});
