import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import PerformancePage from './PerformancePage.svelte';
import { emptyPanel, smallPanel, smallSet, stMarysProfile } from '../test/fixtures';
import { answer } from '../test/tauri';
import type { PerformancePanel } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

function openPage(panel: PerformancePanel) {
  answer(invoke, {
    school_profile: () => stMarysProfile,
    performance_panel: () => panel,
    criteria_set: () => smallSet,
  });
  render(PerformancePage, { urn: 990001, schoolHref: '#/school/990001' });
  return screen.findByRole('heading', { level: 1 });
}

function measure(id: string): HTMLElement {
  const card = document.querySelector<HTMLElement>(`[data-measure="${id}"]`);
  if (!card) throw new Error(`no card for ${id}`);
  return card;
}

describe('performance data page', () => {
  it('charts each measure with its figures beside it, and says why a figure is missing', async () => {
    const heading = await openPage(smallPanel);
    expect(heading.textContent).toContain('St Mary’s Church of England Primary School');
    expect(heading.textContent).toContain('Performance data');
    expect(invoke).toHaveBeenCalledWith('performance_panel', { urn: 990001, set: null });

    const ks2 = measure('ks2-rwm-expected');
    expect(within(ks2).getByRole('heading', { level: 3 }).textContent).toBe(
      'KS2 reading, writing and maths: expected standard',
    );
    expect(ks2.querySelectorAll('svg[data-chart] [data-series="school"] circle')).toHaveLength(3);
    const figures = within(ks2).getByRole('table');
    const rows = within(figures)
      .getAllByRole('row')
      .map((row) => [...row.children].map((cell) => cell.textContent?.trim()));
    expect(rows).toEqual([
      ['Year', 'School', 'LA', 'England'],
      ['2022/23', '48%', '58%', '60%'],
      ['2023/24', '50%', '59%', '61%'],
      ['2024/25', '47%', '60%', '62%'],
    ]);
    expect(ks2.textContent).toContain('Higher is better');
    expect(ks2.textContent).toContain('Worse than England three years running');

    const phonics = measure('phonics-year1');
    expect(within(phonics).getByRole('row', { name: /2023\/24/ }).textContent).toContain('Suppressed');
    expect(phonics.textContent).toContain('Suppressed: too few pupils to publish.');
    expect(phonics.querySelectorAll('[data-series="school"] circle')).toHaveLength(2);
    expect(measure('overall-absence').textContent).toContain('Lower is better');
  });

  it('lists what the data suggests with the statements it offers, ticked only on the scoring screen', async () => {
    await openPage(smallPanel);
    const suggestions = document.getElementById('data-suggestions') as HTMLElement;
    const ks2 = suggestions.querySelector('[data-suggestion="consistently-below-national/ks2-rwm-expected"]') as HTMLElement;
    expect(ks2.textContent).toContain('below national in each of the last three years');
    expect(ks2.textContent).toContain('High support');
    expect(within(ks2).getByText(/Too much teaching is inadequate/).closest('[data-offer]')?.getAttribute('data-offer')).toBe(
      't-high',
    );
    const attendance = suggestions.querySelector(
      '[data-suggestion="attendance-low-not-improving/overall-absence"]',
    ) as HTMLElement;
    expect(attendance.textContent).toContain('No statement of the A small set matches it.');
    expect(screen.getByRole('link', { name: 'review the support category' }).getAttribute('href')).toBe(
      '#/school/990001/review',
    );
    expect(suggestions.querySelector('button')).toBeNull();
  });

  it('says so when no figures are held', async () => {
    await openPage(emptyPanel);
    expect(document.getElementById('no-data')?.textContent).toContain('No performance figures are held');
    expect(document.getElementById('data-suggestions')).toBeNull();
  });

  it('shows the back end’s words when the data cannot be read', async () => {
    answer(invoke, {
      school_profile: () => stMarysProfile,
      performance_panel: () => {
        throw 'criteria set "gone" is not known';
      },
      criteria_set: () => smallSet,
    });
    render(PerformancePage, { urn: 990001, schoolHref: '#/school/990001' });
    expect(await screen.findByText('criteria set "gone" is not known')).toBeTruthy();
  });
});
