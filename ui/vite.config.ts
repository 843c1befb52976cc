import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Tauri loads the built files from disk, so every asset URL must be relative.
export default defineConfig({
  base: './',
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    target: 'es2021',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    // pdf.js's modern build needs a newer Node than the tests may have; its
    // legacy build is the same API. A test that reads a PDF imports
    // src/test/pdfWorker.ts, which runs pdf.js's worker on the main thread.
    alias: [{ find: /^pdfjs-dist$/, replacement: 'pdfjs-dist/legacy/build/pdf.mjs' }],
  },
});
