import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import SchoolVisits from './SchoolVisits.svelte';
import { answer } from '../test/tauri';
import { action, visit } from '../test/visitFixtures';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

afterEach(() => {
  window.location.hash = '';
});

const autumn = visit({ id: 'v1', visited_on: '2026-10-14', session: 'pm', status: 'finalised' });
const addendum = visit({ id: 'v2', visited_on: '2026-10-20', status: 'draft', addendum_to: 'v1' });
const planned = visit({ id: 'v3', visited_on: '2026-12-02', kind: 'monitoring' });

function open() {
  render(SchoolVisits, { urn: 990001, schoolName: 'St Mary’s' });
  return screen.findByRole('table', { name: /Visits to St Mary’s/ });
}

describe('a school’s visits and actions', () => {
  it('lists the visits newest first and the actions with the overdue ones flagged', async () => {
    answer(invoke, {
      school_visits: () => [autumn, addendum, planned],
      school_actions: () => [
        action('a1', { overdue: true }),
        action('a2', { text: 'Report to governors', status: { state: 'done', on: '2026-11-02' }, rag: 'green' }),
      ],
    });
    const table = await open();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-visit'))).toEqual(['v3', 'v2', 'v1']);
    expect(rows[0].textContent).toContain('2 December 2026');
    expect(rows[0].textContent).toContain('Monitoring');
    expect(rows[0].textContent).toContain('Planned');
    expect(rows[1].textContent).toContain('Addendum');
    expect(rows[2].textContent).toContain('Afternoon (PM)');
    expect(rows[2].textContent).toContain('Finalised');
    expect(within(rows[2]).getByRole('link').getAttribute('href')).toBe('#/school/990001/visit/v1');
    expect(invoke).toHaveBeenCalledWith('school_visits', { urn: 990001 });

    const actions = screen.getByRole('table', { name: /Actions agreed with St Mary’s/ });
    const overdue = actions.querySelector('tr[data-action="a1"]') as HTMLElement;
    expect(overdue.textContent).toContain('Overdue');
    expect(overdue.textContent).toContain('Amber');
    const done = actions.querySelector('tr[data-action="a2"]') as HTMLElement;
    expect(done.textContent).not.toContain('Overdue');
    expect(done.textContent).toContain('Done on 2 November 2026');
  });

  it('plans a visit and opens it', async () => {
    answer(invoke, {
      school_visits: () => [],
      school_actions: () => [],
      plan_visit: () => visit({ id: 'new1' }),
    });
    render(SchoolVisits, { urn: 990001, schoolName: 'St Mary’s' });
    expect(await screen.findByText('No visits recorded or planned.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Plan a visit' }));
    expect(document.activeElement?.id).toBe('plan-date');
    await fireEvent.input(screen.getByLabelText('Date'), { target: { value: '2026-12-02' } });
    await fireEvent.change(screen.getByLabelText('Half-day'), { target: { value: 'pm' } });
    await fireEvent.change(screen.getByLabelText('Kind of visit'), { target: { value: 'core' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Plan and open the visit' }));
    await waitFor(() => expect(window.location.hash).toBe('#/school/990001/visit/new1'));
    expect(invoke).toHaveBeenCalledWith('plan_visit', {
      urn: 990001,
      visited_on: '2026-12-02',
      session: 'pm',
      kind: 'core',
    });
  });

  it('asks for a whole date and shows why the back end refused a plan', async () => {
    answer(invoke, {
      school_visits: () => [],
      school_actions: () => [],
      plan_visit: () => {
        throw 'no school with URN 990001 in the store';
      },
    });
    render(SchoolVisits, { urn: 990001, schoolName: 'St Mary’s' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Plan a visit' }));
    await fireEvent.input(screen.getByLabelText('Date'), { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Plan and open the visit' }));
    expect(screen.getByText(/Enter the date of the visit/)).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith('plan_visit', expect.anything());

    await fireEvent.input(screen.getByLabelText('Date'), { target: { value: '2026-12-02' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Plan and open the visit' }));
    expect(await screen.findByText(/no school with URN 990001 in the store/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement?.id).toBe('plan-visit');
  });
});
