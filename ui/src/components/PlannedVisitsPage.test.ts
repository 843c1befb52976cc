import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import PlannedVisitsPage from './PlannedVisitsPage.svelte';
import { answer } from '../test/tauri';
import { visit } from '../test/visitFixtures';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

const planned = [
  [visit({ id: 'p1', visited_on: '2026-12-02', session: 'pm', kind: 'core' }), { urn: 990008, name: 'Westfield Primary School' }],
  [visit({ id: 'p2', visited_on: '2027-01-12' }), { urn: 990001, name: 'St Mary’s' }],
];

describe('planned visits', () => {
  it('lists the planned visits soonest first and exports them to the file named', async () => {
    answer(invoke, {
      planned_visits: () => planned,
      export_calendar: () => ({ visits: 2, meetings: 1 }),
      calendar_subscription: () => ({ path: '/home/adviser/.local/share/caseload/calendar.ics', kept: false }),
    });
    render(PlannedVisitsPage);
    const table = await screen.findByRole('table', { name: 'Planned visits, soonest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0].textContent).toContain('2 December 2026');
    expect(rows[0].textContent).toContain('Afternoon (PM)');
    expect(within(rows[0]).getByRole('link', { name: 'Westfield Primary School' }).getAttribute('href')).toBe(
      '#/school/990008/visit/p1',
    );

    await fireEvent.input(screen.getByLabelText('File to write'), { target: { value: ' /home/adviser/visits.ics ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export to a file' }));
    expect(await screen.findByText('2 planned visits and 1 planned MSP meeting written to /home/adviser/visits.ics.')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('export_calendar', { path: '/home/adviser/visits.ics' });
  });

  it('shows why the file could not be written beside the field', async () => {
    answer(invoke, {
      planned_visits: () => [],
      calendar_subscription: () => ({ path: '/home/adviser/.local/share/caseload/calendar.ics', kept: false }),
      export_calendar: () => {
        throw 'cannot write the calendar to /nowhere/visits.ics: No such file or directory (os error 2)';
      },
    });
    render(PlannedVisitsPage);
    expect(await screen.findByText(/No visits are planned/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('File to write'), { target: { value: '/nowhere/visits.ics' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export to a file' }));
    expect(await screen.findByText(/No such file or directory/)).toBeTruthy();
    expect(document.activeElement?.id).toBe('calendar-path');
    expect(screen.getByLabelText('File to write').getAttribute('aria-invalid')).toBe('true');
  });

  it('keeps a calendar file for a subscription and offers its path to copy', async () => {
    const path = '/home/adviser/.local/share/caseload/calendar.ics';
    answer(invoke, {
      planned_visits: () => planned,
      calendar_subscription: () => ({ path, kept: false }),
      keep_calendar_subscription: () => ({ path, kept: true }),
    });
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(PlannedVisitsPage);
    await fireEvent.click(await screen.findByRole('button', { name: 'Keep a calendar file' }));
    expect(invoke).toHaveBeenCalledWith('keep_calendar_subscription', undefined);
    const field = (await screen.findByLabelText('Calendar file')) as HTMLInputElement;
    expect(field.value).toBe(path);
    await fireEvent.click(screen.getByRole('button', { name: 'Copy path' }));
    expect(writeText).toHaveBeenCalledWith(path);
    expect(await screen.findByText('Path copied.')).toBeTruthy();
  });
});
