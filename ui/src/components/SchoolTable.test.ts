import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { allRows, caseloadRows, demoStore, riverside } from '../test/fixtures';
import { answer } from '../test/tauri';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

function bodyUrns(): string[] {
  const table = document.getElementById('schools');
  if (!table) throw new Error('no #schools table');
  return [...table.querySelectorAll('tbody tr[data-urn]')].map((row) => row.getAttribute('data-urn') ?? '');
}

function count(): string {
  return document.getElementById('result-count')?.textContent ?? '';
}

async function openTable() {
  answer(invoke, {
    store_status: () => demoStore,
    list_schools: (args) => (args?.scope === 'caseload' ? caseloadRows : allRows),
  });
  render(App);
  await screen.findByRole('table');
}

beforeEach(() => {
  window.location.hash = '#/caseload';
  invoke.mockReset();
});

describe('school table', () => {
  it('opens on the caseload, sorted by name', async () => {
    await openTable();
    expect(bodyUrns()).toEqual(['140512', '990001', '990020']);
    expect(count()).toBe('Showing 3 of 3 schools');
    const nameHeader = screen.getByRole('columnheader', { name: /^Name/ });
    expect(nameHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('columnheader', { name: /^URN/ }).hasAttribute('aria-sort')).toBe(false);
  });

  it('filters as the adviser types, and says when nothing matches', async () => {
    await openTable();
    const filter = screen.getByLabelText('Filter schools');
    expect(filter.id).toBe('filter');

    await fireEvent.input(filter, { target: { value: 'abbey' } });
    expect(bodyUrns()).toEqual(['140512', '990001']);
    expect(count()).toBe('Showing 2 of 3 schools');

    await fireEvent.input(filter, { target: { value: 'xyz' } });
    expect(bodyUrns()).toEqual([]);
    expect(screen.getByText('No schools match “xyz”.')).toBeTruthy();
    expect(count()).toBe('Showing 0 of 3 schools');

    await fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(bodyUrns()).toHaveLength(3);
  });

  it('narrows by phase and by maintained or academy', async () => {
    await openTable();
    const phase = screen.getByLabelText('Phase') as HTMLSelectElement;
    expect([...phase.options].map((option) => option.textContent)).toEqual([
      'All phases',
      'Nursery',
      'Primary',
      'Secondary',
      '16 plus',
    ]);
    await fireEvent.change(phase, { target: { value: 'nursery' } });
    expect(bodyUrns()).toEqual(['990020']);

    await fireEvent.change(phase, { target: { value: '' } });
    await fireEvent.change(screen.getByLabelText('Maintained or academy'), { target: { value: 'academy' } });
    expect(bodyUrns()).toEqual(['140512']);
  });

  it('sorts by a column header, and reverses on a second click', async () => {
    await openTable();
    const urnButton = within(screen.getByRole('columnheader', { name: /^URN/ })).getByRole('button');

    await fireEvent.click(urnButton);
    expect(bodyUrns()).toEqual(['140512', '990001', '990020']);
    expect(screen.getByRole('columnheader', { name: /^URN/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('columnheader', { name: /^Name/ }).hasAttribute('aria-sort')).toBe(false);

    await fireEvent.click(urnButton);
    expect(bodyUrns()).toEqual(['990020', '990001', '140512']);
    expect(screen.getByRole('columnheader', { name: /^URN/ }).getAttribute('aria-sort')).toBe('descending');

    const nameButton = within(screen.getByRole('columnheader', { name: /^Name/ })).getByRole('button');
    await fireEvent.click(nameButton);
    await fireEvent.click(nameButton);
    expect(bodyUrns()).toEqual(['990020', '990001', '140512']);
  });

  it('shows each school’s category, direction of travel, review due, visits owed and overdue actions', async () => {
    await openTable();
    const cells = (urn: number) =>
      [...(document.querySelector(`tr[data-urn="${urn}"]`) as HTMLElement).children].map((cell) =>
        cell.textContent?.replace(/\s+/g, ' ').trim(),
      );
    const headers = screen.getAllByRole('columnheader').map((header) => header.textContent?.replace(/[▲▼↕]/g, ''));
    expect(headers.slice(0, 7)).toEqual(['Name', 'URN', 'Category', 'Direction', 'Review', 'Visits', 'Actions']);
    expect(cells(990001).slice(2, 7)).toEqual(['Medium', '↑Improving', 'Done', '1 due Next 2 Dec', '–None overdue']);
    expect(cells(990020).slice(2, 7)).toEqual(['High', '↓Declining', 'Due this term', '2 overdue 1 due', '3 overdue']);
    // An academy with no review yet: blanks that a screen reader still reads out.
    expect(cells(140512).slice(2, 7)).toEqual([
      '–Not reviewed yet',
      '–No direction yet',
      'Done',
      '–None due',
      '–None overdue',
    ]);
    const arrow = document.querySelector('tr[data-urn="990020"] [data-direction]') as HTMLElement;
    expect(arrow.querySelector('[aria-hidden="true"]')?.textContent).toBe('↓');
    expect(arrow.querySelector('.visually-hidden')?.textContent).toBe('Declining');
  });

  it('sorts by category, and by visits owed with overdue ones first', async () => {
    await openTable();
    await fireEvent.click(within(screen.getByRole('columnheader', { name: /^Category/ })).getByRole('button'));
    expect(bodyUrns()).toEqual(['990001', '990020', '140512']);
    await fireEvent.click(within(screen.getByRole('columnheader', { name: /^Category/ })).getByRole('button'));
    expect(bodyUrns()).toEqual(['990020', '990001', '140512']);
    await fireEvent.click(within(screen.getByRole('columnheader', { name: /^Visits/ })).getByRole('button'));
    expect(bodyUrns()).toEqual(['990020', '990001', '140512']);
  });

  it('shows every school under All schools, closed ones tagged', async () => {
    await openTable();
    await fireEvent.click(screen.getByRole('button', { name: 'All schools (5)' }));
    expect(window.location.hash).toBe('#/all');
    expect(bodyUrns()).toHaveLength(5);
    const closedRow = document.querySelector(`tr[data-urn="${riverside.urn}"]`) as HTMLElement;
    expect(within(closedRow).getByText('Closed')).toBeTruthy();
    expect(document.getElementById('tab-all')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('opens a school from its name and comes back to the table as it was left', async () => {
    await openTable();
    answer(invoke, {
      store_status: () => demoStore,
      list_schools: (args) => (args?.scope === 'caseload' ? caseloadRows : allRows),
      school_profile: () => {
        throw 'not needed here';
      },
    });
    await fireEvent.input(screen.getByLabelText('Filter schools'), { target: { value: 'zoe' } });
    const link = document.querySelector('tr[data-urn="990020"] .school-link') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('#/school/990020');

    window.location.hash = '#/school/990020';
    await fireEvent(window, new HashChangeEvent('hashchange'));
    const back = await screen.findByRole('link', { name: '← Back to caseload' });
    expect(back.id).toBe('back');
    expect(invoke).toHaveBeenCalledWith('school_profile', { urn: 990020 });

    await fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByRole('table');
    expect((screen.getByLabelText('Filter schools') as HTMLInputElement).value).toBe('zoe');
    expect(bodyUrns()).toEqual(['990020']);
    // Keyboard users land back on the school they opened.
    await waitFor(() => expect(document.activeElement?.closest('tr')?.getAttribute('data-urn')).toBe('990020'));
  });
});
