import { defineConfig } from 'vite';

// The page is served by dashboard_server from dist/ (index.html at / and
// /login, hashed files under /assets). During `vite dev`, /api goes to a
// dashboard_server on 8080.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
