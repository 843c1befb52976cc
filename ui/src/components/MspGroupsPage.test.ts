import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import MspGroupsPage from './MspGroupsPage.svelte';
import { answer } from '../test/tauri';
import { GROUP, groupView } from '../test/mspFixtures';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

describe('the MSP groups page', () => {
  it('lists the groups with the back end’s overdue flag and the schools still waiting for one', async () => {
    const view = groupView();
    const overdue = {
      ...view,
      group: { ...view.group, id: 'other', urn: 990012 },
      school: 'Riverside Academy',
      cadence: { ...view.cadence!, due_by: '2026-10-23', overdue: true },
      escalation: null,
    };
    answer(invoke, {
      msp_groups: () => [view, overdue],
      msp_offers: () => [{ urn: 990020, school: 'Hill Top Infant School', high_since: '2026-11-02' }],
    });
    render(MspGroupsPage);
    const table = await screen.findByRole('table', { name: 'MSP groups, oldest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-overdue'))).toEqual(['false', 'true']);
    expect(within(rows[0]).getByRole('link', { name: 'Northgate Primary School' }).getAttribute('href')).toBe(`#/msp/${GROUP}`);
    expect(rows[0].textContent).toContain('Concerns remain');
    expect(rows[0].textContent).toContain('1 (1 red)');
    expect(within(rows[1]).getByText('Overdue')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('msp_groups', { all: false });
    const offers = document.getElementById('msp-offers') as HTMLElement;
    expect(within(offers).getByRole('link', { name: 'Hill Top Infant School' }).getAttribute('href')).toBe('#/school/990020');
  });

  it('shows closed groups when asked, and sends the calendar to the planned visits page', async () => {
    answer(invoke, { msp_groups: () => [groupView()], msp_offers: () => [] });
    render(MspGroupsPage);
    await screen.findByRole('table', { name: 'MSP groups, oldest first' });
    await fireEvent.click(screen.getByLabelText('Show closed groups'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('msp_groups', { all: true }));

    expect(screen.getByRole('link', { name: 'export or subscribe to it' }).getAttribute('href')).toBe('#/visits');
    expect(screen.queryByLabelText('File to write')).toBeNull();
  });
});
