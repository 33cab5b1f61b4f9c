import { defineConfig } from 'vite';

// The dashboard builds to web/dist, which `lotsmith serve` serves at / (docs/dashboard.md).
export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1200 },
});
