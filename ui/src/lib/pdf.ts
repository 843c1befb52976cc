// Drawing a PDF's pages into canvases with pdf.js: WebKitGTK has no PDF
// viewer of its own. The back end lays letters out; this only paints them.
//
// Vite bundles pdf.js's worker as a file of its own (`?url`), and one worker
// serves every document. Under Vitest the tests alias pdf.js to its legacy
// build, and a test that reads a PDF runs its worker on the main thread
// (src/test/pdfWorker.ts); component tests replace this module.

import { GlobalWorkerOptions, PDFWorker, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

let shared: PDFWorker | null = null;

// pdf.js 5.4 keeps the page count of the document opened last in one place
// for every document (its PagesMapper), so while two are open a page of one
// may be refused ("Invalid page request"): a page showing the minutes and
// the summary side by side reads them one after the other.
let reading: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const turn = reading.then(task, task);
  reading = turn.catch(() => {});
  return turn;
}

function worker(): PDFWorker {
  shared ??= new PDFWorker();
  return shared;
}

/** Opens a PDF's bytes, which stay the caller's; destroy the document after use. */
export function openPdf(bytes: ArrayBuffer): Promise<PDFDocumentProxy> {
  // pdf.js hands its copy to the worker, so the caller's bytes stay whole for a redraw.
  const data = new Uint8Array(bytes.slice(0));
  // The app's content security policy forbids eval, so pdf.js must not try it.
  return getDocument({ data, worker: worker(), isEvalSupported: false }).promise;
}

/** A page's size in points (1/72 inch); A4 is 595 by 842. */
export interface PageSize {
  width: number;
  height: number;
}

/** The size of every page, in order. */
export function pageSizes(bytes: ArrayBuffer): Promise<PageSize[]> {
  return oneAtATime(() => readSizes(bytes));
}

async function readSizes(bytes: ArrayBuffer): Promise<PageSize[]> {
  const pdf = await openPdf(bytes);
  try {
    const sizes: PageSize[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const { width, height } = (await pdf.getPage(number)).getViewport({ scale: 1 });
      sizes.push({ width, height });
    }
    return sizes;
  } finally {
    await pdf.destroy();
  }
}

/**
 * Every page drawn into a canvas of its own, sharp at `width` CSS pixels
 * (it scales with its container, keeping the page's proportions).
 */
export function drawPages(bytes: ArrayBuffer, width: number): Promise<HTMLCanvasElement[]> {
  return oneAtATime(() => draw(bytes, width));
}

async function draw(bytes: ArrayBuffer, width: number): Promise<HTMLCanvasElement[]> {
  const pdf = await openPdf(bytes);
  try {
    const canvases: HTMLCanvasElement[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const natural = page.getViewport({ scale: 1 });
      // Drawn at least twice as fine as shown: a letter's small type, scaled
      // down to fit beside the editor, stays legible when smoothed down.
      const scale = (width / natural.width) * Math.max(2, window.devicePixelRatio || 1);
      const viewport = page.getViewport({ scale });
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      canvas.style.width = '100%';
      canvas.style.aspectRatio = `${natural.width} / ${natural.height}`;
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('This window cannot draw the pages of a PDF.');
      await page.render({ canvasContext: context, canvas, viewport }).promise;
      canvases.push(canvas);
    }
    return canvases;
  } finally {
    await pdf.destroy();
  }
}
