// pdf.js ships no types for its worker module; the tests only hand it to pdf.js.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs';
