// pdf.js under Vitest: jsdom has no Worker, so pdf.js's worker code runs on
// the main thread, found through the global pdf.js looks for first. The
// tests use pdf.js's legacy build (vite.config.ts), which runs on Node 20.

import * as worker from 'pdfjs-dist/legacy/build/pdf.worker.mjs';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
