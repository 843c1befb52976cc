import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import MspSection from './MspSection.svelte';
import { answer } from '../test/tauri';
import { CHAIR, GROUP, SECOND, groupView } from '../test/mspFixtures';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

afterEach(() => {
  window.location.hash = '';
});

const offer = { urn: 990007, school: 'Northgate Primary School', high_since: '2026-09-15' };
const chairs = [{ id: CHAIR, name: 'Margaret Okonjo', role_label: 'Senior School Improvement Adviser' }];

describe('a school’s MSP section', () => {
  it('shows the open group at a glance: chair, members, next meeting, meetings and live log', async () => {
    answer(invoke, { school_msp: () => ({ offer: null, chairs: [], groups: [groupView()] }) });
    render(MspSection, { urn: 990007, schoolName: 'Northgate Primary School' });

    const section = await screen.findByRole('region', { name: 'MSP group' });
    expect(invoke).toHaveBeenCalledWith('school_msp', { urn: 990007 });
    expect(within(section).getByRole('link', { name: 'Open the group' }).getAttribute('href')).toBe(`#/msp/${GROUP}`);
    expect(section.textContent).toContain('Margaret Okonjo');
    expect(section.textContent).toContain('Mrs Helen Achebe');
    const next = document.getElementById('msp-next') as HTMLElement;
    expect(next.textContent?.replace(/\s+/g, ' ').trim()).toBe('None planned due by 19 February 2027');
    expect(document.getElementById('msp-concerns')?.textContent).toContain('Concerns remain');
    const meetings = document.querySelectorAll('#msp-school-meetings li');
    expect(meetings).toHaveLength(2);
    expect(meetings[1].textContent).toContain('18 November 2026');
    expect(meetings[1].textContent).toContain('Concerns remain');
    expect(within(meetings[1] as HTMLElement).getByRole('link').getAttribute('href')).toBe(`#/msp/${GROUP}/meeting/${SECOND}`);
    const log = within(section).getByRole('table', { name: /Open actions of the MSP group/ });
    expect(log.textContent).toContain('Publish a sequenced curriculum map');
    expect(log.querySelector('.rag--red')?.textContent).toBe('Red');
    expect(document.getElementById('msp-offer')).toBeNull();
  });

  it('flags a group whose next meeting is overdue, in the back end’s words', async () => {
    const view = groupView();
    answer(invoke, {
      school_msp: () => ({
        offer: null,
        chairs: [],
        groups: [{ ...view, cadence: { ...view.cadence!, due_by: '2026-10-23', overdue: true } }],
      }),
    });
    render(MspSection, { urn: 990007, schoolName: 'Northgate Primary School' });
    const next = await screen.findByText('Overdue');
    expect(next.closest('#msp-next')?.getAttribute('data-overdue')).toBe('true');
  });

  it('offers to open a group for a school in high support without one, and opens it with the chair chosen', async () => {
    answer(invoke, {
      school_msp: () => ({ offer, chairs, groups: [] }),
      open_msp_group: () => ({ id: GROUP }),
    });
    render(MspSection, { urn: 990007, schoolName: 'Northgate Primary School' });
    const form = await screen.findByText(/has been in high support since 15 September 2026/);
    expect(form.closest('#msp-offer')).not.toBeNull();
    expect((screen.getByLabelText('Chair') as HTMLSelectElement).value).toBe(CHAIR);
    await fireEvent.click(screen.getByRole('button', { name: 'Open an MSP group' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/msp/${GROUP}`));
    expect(invoke).toHaveBeenCalledWith('open_msp_group', { urn: 990007, chair: CHAIR });
  });

  it('says why a group could not be opened, beside the chair', async () => {
    answer(invoke, {
      school_msp: () => ({ offer, chairs, groups: [] }),
      open_msp_group: () => {
        throw 'the group needs the chair or vice-chair of governors: add them to the school’s contacts';
      },
    });
    render(MspSection, { urn: 990007, schoolName: 'Northgate Primary School' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Open an MSP group' }));
    expect((await screen.findByRole('alert')).textContent).toContain('add them to the school’s contacts');
    expect(window.location.hash).toBe('');
  });

  it('shows nothing for a school with no group and none offered', async () => {
    answer(invoke, { school_msp: () => ({ offer: null, chairs: [], groups: [] }) });
    render(MspSection, { urn: 990001, schoolName: 'St Mary’s' });
    await waitFor(() => expect(invoke).toHaveBeenCalled());
    expect(screen.queryByRole('region', { name: 'MSP group' })).toBeNull();
    expect(screen.queryByRole('heading')).toBeNull();
  });
});
