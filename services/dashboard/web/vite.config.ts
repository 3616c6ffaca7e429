import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// The dashboard_server's port for `vite dev`: FED_DASHBOARD_PORT (as for
// tools/dev), else the dashboard's line in deploy/topology.txt.
function dashboardPort(): string {
  const moved = process.env.FED_DASHBOARD_PORT;
  if (moved) return moved;
  const topology = readFileSync(new URL('../../../deploy/topology.txt', import.meta.url), 'utf8');
  for (const line of topology.split('\n')) {
    const [name, port] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (name === 'dashboard') return port;
  }
  throw new Error('deploy/topology.txt has no dashboard line');
}

// The page is served by dashboard_server from dist/ (index.html at / and
// /login, hashed files under /assets). During `vite dev`, /api goes to a
// running dashboard_server.
export default defineConfig(({ command }) => ({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server:
    command === 'serve' ? { proxy: { '/api': `http://127.0.0.1:${dashboardPort()}` } } : undefined,
}));
