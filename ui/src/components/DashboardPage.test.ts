import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import DashboardPage from './DashboardPage.svelte';
import { answer } from '../test/tauri';
import { GROUP, MEETING, dashboard } from '../test/dashboardFixtures';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

function figure(key: string): HTMLAnchorElement {
  const found = document.querySelector<HTMLAnchorElement>(`a[data-figure="${key}"]`);
  if (!found) throw new Error(`no figure ${key}`);
  return found;
}

describe('the dashboard', () => {
  it('shows each figure as the length of its list, linking to that list', async () => {
    answer(invoke, { dashboard: () => dashboard() });
    render(DashboardPage, { list: null });
    expect(await screen.findByText(/Autumn term 2026\/27 · 4 schools in your caseload/)).toBeTruthy();
    const expected: Record<string, string> = {
      'visits-due': '2',
      'visits-done': '1',
      'visits-overdue': '0',
      'msp-due': '1',
      'msp-overdue': '0',
      'actions-overdue': '1',
      'not-reviewed': '2',
      letters: '2',
      improved: '1',
      declined: '1',
      'first-categorised': '0',
      'now-high': '1',
      'last-term-none': '1',
    };
    for (const [key, count] of Object.entries(expected)) {
      expect(figure(key).textContent?.trim().startsWith(count), `${key}: ${figure(key).textContent}`).toBe(true);
      expect(figure(key).getAttribute('href')).toBe(`#/home/${key}`);
    }
    expect(figure('actions-overdue').classList.contains('warning')).toBe(true);
    expect(figure('visits-overdue').classList.contains('warning')).toBe(false);
    expect(document.getElementById('dashboard-list')).toBeNull();
    expect(invoke).toHaveBeenCalledWith('dashboard', undefined);
  });

  it('draws the category mix from the counts, each bar a link to its schools', async () => {
    answer(invoke, { dashboard: () => dashboard() });
    render(DashboardPage, { list: null });
    const chart = await screen.findByRole('group', { name: 'Schools by category at the end of last term and now' });
    const bars = chart.querySelectorAll('a[data-bar]');
    expect(bars).toHaveLength(8);
    const high = chart.querySelector('a[data-bar="now-high"]');
    expect(high?.getAttribute('href')).toBe('#/home/now-high');
    expect(high?.querySelector('text')?.textContent).toBe('1');
    expect(high?.querySelector('title')?.textContent).toBe('High support, now: 1');
  });

  it('opens the list behind a figure, each row linking to its page', async () => {
    answer(invoke, { dashboard: () => dashboard() });
    render(DashboardPage, { list: 'actions-overdue' });
    const list = await screen.findByRole('region', { name: /Actions overdue/ });
    expect(list.getAttribute('data-list')).toBe('actions-overdue');
    expect(figure('actions-overdue').getAttribute('aria-current')).toBe('true');
    const rows = within(list).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain('Share the behaviour policy with parents (Interim headteacher, due 13 November 2026)');
    expect(within(rows[0]).getByRole('link', { name: 'Northgate Primary School' }).getAttribute('href')).toBe('#/school/990007');
    expect(within(rows[0]).getByRole('link', { name: 'Open where it was agreed' }).getAttribute('href')).toBe(
      `#/msp/${GROUP}/meeting/${MEETING}`,
    );
    expect(document.activeElement?.id).toBe('list-heading');
    expect(within(list).getByRole('link', { name: 'Close the list' }).getAttribute('href')).toBe('#/');
  });

  it('says so when the list behind a figure is empty', async () => {
    answer(invoke, { dashboard: () => dashboard() });
    render(DashboardPage, { list: 'visits-overdue' });
    const list = await screen.findByRole('region', { name: /Visits overdue/ });
    expect(within(list).getByText('No visit is overdue.')).toBeTruthy();
    expect(within(list).queryByRole('table')).toBeNull();
  });

  it('explains a failure and loads again on retry', async () => {
    let calls = 0;
    answer(invoke, {
      dashboard: () => {
        calls += 1;
        if (calls === 1) throw 'the store is locked by another program';
        return dashboard();
      },
    });
    render(DashboardPage, { list: null });
    expect(await screen.findByText('the store is locked by another program')).toBeTruthy();
    (await screen.findByRole('button', { name: /try again/i })).click();
    expect(await screen.findByText(/4 schools in your caseload/)).toBeTruthy();
  });
});
