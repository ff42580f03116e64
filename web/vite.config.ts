import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // maplibre is large and changes rarely: its own chunk caches across releases.
        manualChunks: (id) =>
          id.includes('node_modules/maplibre-gl') || id.includes('maplibre-gl@') ? 'maplibre' : undefined,
      },
    },
  },
  server: {
    proxy: {
      '/graphql': 'http://localhost:4000',
      '/tiles': 'http://localhost:4000',
      '/export': 'http://localhost:4000',
      '/api': 'http://localhost:4000',
    },
  },
});
