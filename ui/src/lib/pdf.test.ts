import { describe, expect, it } from 'vitest';
import { pageSizes } from './pdf';
import { blankPdf } from '../test/pdfFixtures';
import '../test/pdfWorker';

describe('reading a PDF with pdf.js', () => {
  it('finds every page of an A4 letter and its size, leaving the bytes whole for a redraw', async () => {
    const bytes = blankPdf(2);
    const sizes = await pageSizes(bytes);
    expect(sizes).toHaveLength(2);
    expect(Math.round(sizes[0].width)).toBe(595);
    expect(Math.round(sizes[0].height)).toBe(842);
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(await pageSizes(bytes)).toHaveLength(2);
  });

  it('rejects bytes that are not a PDF', async () => {
    await expect(pageSizes(new TextEncoder().encode('not a pdf').buffer as ArrayBuffer)).rejects.toThrow();
  });
});
