import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import MspGroupPage from './MspGroupPage.svelte';
import { answer } from '../test/tauri';
import { FIRST, GROUP, INVITED, THIRD, groupPage, members } from '../test/mspFixtures';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

afterEach(() => {
  window.location.hash = '';
});

function callsOf(command: string): Record<string, unknown>[] {
  return invoke.mock.calls.filter(([name]) => name === command).map(([, args]) => args as Record<string, unknown>);
}

async function openGroup() {
  render(MspGroupPage, { group: GROUP });
  return screen.findByRole('heading', { level: 1 });
}

describe('an MSP group’s page', () => {
  it('shows the chair, members, meetings, next meeting, live log and the escalation the back end proposes', async () => {
    answer(invoke, { msp_group: () => groupPage() });
    const heading = await openGroup();
    expect(heading.textContent).toContain('Northgate Primary School');
    expect(heading.querySelector('[data-status]')?.textContent).toBe('Open');
    expect(document.body.textContent).toContain('Chaired by Margaret Okonjo');
    expect(screen.getByRole('link', { name: '← Back to Northgate Primary School' }).getAttribute('href')).toBe('#/school/990007');

    const rows = document.querySelectorAll('#msp-meetings tr[data-meeting]');
    expect(Array.from(rows).map((row) => row.getAttribute('data-status'))).toEqual(['approved', 'approved']);
    expect(within(rows[0] as HTMLElement).getByRole('link').getAttribute('href')).toBe(`#/msp/${GROUP}/meeting/${FIRST}`);
    expect(rows[1].textContent).toContain('Concerns remain');
    expect(document.getElementById('msp-cadence')?.textContent).toContain('due by 19 February 2027');
    expect((screen.getByLabelText('Date') as HTMLInputElement).value).toBe('2027-01-06');
    expect(document.querySelector('#msp-live-log tr[data-action]')?.textContent).toContain('Red');

    const members = document.querySelectorAll('#msp-members li');
    expect(members).toHaveLength(5);
    expect(members[4].textContent).toContain('Attendance and Inclusion Service');
    // Only a member the back end would let go has a Remove button.
    expect(document.querySelectorAll('#msp-members [data-remove]')).toHaveLength(1);
    expect(document.querySelector(`[data-remove="${INVITED}"]`)).not.toBeNull();

    const escalation = document.getElementById('msp-escalation') as HTMLElement;
    expect(escalation.textContent).toContain('concerns remain');
    expect(escalation.querySelector('[data-indicator="insufficient-progress"]')?.textContent).toContain(
      'insufficient progress',
    );
    expect(within(escalation).getByRole('button', { name: 'Draft the formal warning notice' })).toBeTruthy();
  });

  it('plans a meeting on the date chosen and opens it', async () => {
    answer(invoke, { msp_group: () => groupPage(), schedule_msp_meeting: () => ({ id: THIRD }) });
    await openGroup();
    await fireEvent.input(screen.getByLabelText('Date'), { target: { value: '2026-11-23' } });
    await fireEvent.input(screen.getByLabelText('Place'), { target: { value: 'Civic Centre' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Plan meeting' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/msp/${GROUP}/meeting/${THIRD}`));
    expect(callsOf('schedule_msp_meeting')).toEqual([{ group: GROUP, meets_on: '2026-11-23', place: 'Civic Centre' }]);
  });

  it('invites a member and takes one off', async () => {
    const invited = { ...members()[4], id: 'new-member', name: 'Revd Anne Holt', role_label: 'Diocese of Fenbridge' };
    answer(invoke, {
      msp_group: () => groupPage(),
      invite_msp_member: () => groupPage({ members: [...members(), invited] }),
      remove_msp_member: () => groupPage({ members: members().slice(0, 4) }),
    });
    await openGroup();
    await fireEvent.click(screen.getByRole('button', { name: 'Invite a member' }));
    expect(document.activeElement?.id).toBe('invite-name');
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Revd Anne Holt' } });
    await fireEvent.input(screen.getByLabelText('Organisation'), { target: { value: 'Diocese of Fenbridge' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Invite' }));
    await waitFor(() => expect(document.querySelectorAll('#msp-members li')).toHaveLength(6));
    expect(callsOf('invite_msp_member')).toEqual([
      { group: GROUP, name: 'Revd Anne Holt', organisation: 'Diocese of Fenbridge', email: null },
    ]);

    await fireEvent.click(document.querySelector(`[data-remove="${INVITED}"]`) as HTMLElement);
    await waitFor(() => expect(document.querySelectorAll('#msp-members li')).toHaveLength(4));
    expect(callsOf('remove_msp_member')).toEqual([{ group: GROUP, member: INVITED }]);
  });

  it('closes the group only with a reason, after the confirmation', async () => {
    const closed = groupPage({
      group: { ...groupPage().group, closed: { on: '2026-11-23', reason: 'The school left high support' } },
      cadence: null,
      escalation: null,
      proposed: [],
    });
    answer(invoke, { msp_group: () => groupPage(), close_msp_group: () => closed });
    await openGroup();
    await fireEvent.click(screen.getByRole('button', { name: 'Close the group' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, close it' }));
    expect(await screen.findByText('Say why the group closes')).toBeTruthy();
    expect(callsOf('close_msp_group')).toHaveLength(0);

    await fireEvent.input(screen.getByLabelText('Why it closes'), { target: { value: 'The school left high support' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, close it' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).querySelector('[data-status]')?.textContent).toBe('Closed'));
    expect(callsOf('close_msp_group')).toEqual([{ group: GROUP, reason: 'The school left high support' }]);
    expect(document.body.textContent).toContain('Closed 23 November 2026: The school left high support');
    expect(screen.queryByRole('button', { name: 'Plan meeting' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Invite a member' })).toBeNull();
  });
});
