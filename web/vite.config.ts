// Vite config of the admin UI: `vite build --config web/vite.config.ts` writes web/dist, which the API
// serves at `/` (src/node/serveUi.ts). `vite --config web/vite.config.ts` serves it in development with
// /api proxied to a running `spacesync start` (SPACESYNC_API_URL, default http://localhost:3000).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(webDir, '..');
const apiUrl = process.env.SPACESYNC_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: resolve(webDir, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // The form imports the shared validation from src/catalog.
    fs: { allow: [repoRoot] },
    proxy: { '/api': { target: apiUrl, changeOrigin: true } },
  },
});
