import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import MspMeetingPage from './MspMeetingPage.svelte';
import { answer, type Handler } from '../test/tauri';
import {
  AGENDA,
  ATTENDANCE,
  CHAIR,
  CURRICULUM,
  GROUP,
  HEAD,
  INVITED,
  THIRD,
  attendanceRow,
  curriculumRow,
  groupPage,
  meeting,
  meetingPage,
} from '../test/mspFixtures';
import type { ActionUpdate, MinutesEdit, MspMeetingPage as Page, NewAction } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

// jsdom cannot draw; a PDF of n bytes "draws" as n pages here.
const drawPages = vi.hoisted(() =>
  vi.fn(async (bytes: ArrayBuffer) => Array.from({ length: bytes.byteLength }, () => document.createElement('canvas'))),
);
vi.mock('../lib/pdf', () => ({ drawPages }));

beforeEach(() => {
  invoke.mockReset();
  drawPages.mockClear();
  Element.prototype.scrollIntoView = vi.fn();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => {});
});

afterEach(() => {
  window.location.hash = '';
});

const REPEATED = 'Curriculum plans are still missing for most foundation subjects';

/** The back end: a save moves the meeting to "being written up" and applies RAG changes to the log. */
function backEnd(first: Page, more: Record<string, Handler> = {}) {
  let current = first;
  answer(invoke, {
    msp_meeting: () => current,
    save_msp_meeting: (args) => {
      const updates = (args?.updates as ActionUpdate[]) ?? [];
      const added = (args?.new_actions as NewAction[]) ?? [];
      const log = current.log.map((row) => {
        const update = updates.find((candidate) => candidate.action === row.action);
        if (!update) return row;
        if (update.outcome === 'done') return { ...row, status: { state: 'done' as const, on: '2026-11-23' } };
        return { ...row, rag: update.rag ?? row.rag };
      });
      for (const action of added) {
        log.push({ ...curriculumRow(), action: 'new-1', text: action.text, owner: action.owner, due_on: action.due_on, rag: action.rag ?? 'amber', agreed_here: true });
      }
      current = { ...current, meeting: { ...current.meeting, status: 'draft' }, log, unapproved: null };
      return current;
    },
    ...more,
  });
}

async function openMeeting() {
  render(MspMeetingPage, { group: GROUP, id: THIRD });
  return screen.findByRole('heading', { level: 1 });
}

function callsOf(command: string): Record<string, unknown>[] {
  return invoke.mock.calls.filter(([name]) => name === command).map(([, args]) => args as Record<string, unknown>);
}

function field(id: string): HTMLInputElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`no #${id}`);
  return element as HTMLInputElement;
}

function saveState(): string {
  return document.getElementById('save-state')?.textContent?.trim() ?? '';
}

function lastEdit(): MinutesEdit {
  const saves = callsOf('save_msp_meeting').filter((args) => args.edit !== null);
  return saves[saves.length - 1]?.edit as MinutesEdit;
}

describe('MSP meeting editor', () => {
  it('opens a planned meeting with its members, the five agenda items and the log it carries', async () => {
    backEnd(meetingPage());
    const heading = await openMeeting();
    expect(heading.textContent).toContain('Northgate Primary School');
    expect(heading.textContent).toContain('Meeting of 23 November 2026');
    expect(heading.querySelector('[data-status]')?.textContent).toBe('Planned');
    expect(callsOf('msp_meeting')).toEqual([{ id: THIRD }]);

    const attendance = document.getElementById('meeting-attendance') as HTMLElement;
    expect(within(attendance).getAllByRole('rowheader').map((cell) => cell.querySelector('.name')?.textContent)).toEqual([
      'Margaret Okonjo',
      'Priya Raman',
      'Mr Kwame Mensah',
      'Mr Geoffrey Lambert',
      'Mrs Helen Achebe',
    ]);
    AGENDA.forEach((title, index) => {
      expect(screen.getByRole('textbox', { name: `${index + 1}. ${title}` }).id).toBe(`minutes-${index + 1}`);
    });
    const nav = screen.getByRole('navigation', { name: 'Sections of the meeting' });
    expect(within(nav).getAllByRole('button').map((button) => button.textContent)).toEqual([
      'Place and attendance',
      ...AGENDA,
      'Decisions',
      'Action log',
      'Summary key points',
    ]);

    const log = document.getElementById('meeting-log') as HTMLElement;
    const rows = log.querySelectorAll('tr[data-action]');
    expect(Array.from(rows).map((row) => row.getAttribute('data-action'))).toEqual([CURRICULUM, ATTENDANCE]);
    expect((log.querySelector(`select[data-rag-for="${CURRICULUM}"]`) as HTMLSelectElement).value).toBe('red');
    expect(log.textContent).toContain('Carried forward');
    expect(document.getElementById('meeting-readiness')?.textContent).toContain('nothing has been written up yet');
    expect(saveState()).toBe('Saved');
  });

  it('saves attendance, minutes, decisions and the summary as the chair types, all in one write-up', async () => {
    backEnd(meetingPage());
    await openMeeting();

    await fireEvent.click(field(`attendance-${CHAIR}-present`));
    await fireEvent.click(field(`attendance-${HEAD}-present`));
    await fireEvent.click(field(`attendance-${INVITED}-apologies`));
    await fireEvent.input(field('minutes-2'), { target: { value: 'Maps are complete for four subjects.' } });
    await fireEvent.input(field('meeting-decisions'), { target: { value: 'Meet again in January.\n\n  Review the maps.  ' } });
    await fireEvent.click(field('concerns-remain'));
    await fireEvent.input(field('meeting-summary'), { target: { value: 'The school has made progress this term.' } });
    expect(saveState()).toBe('Saving…');
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 2000 });

    expect(lastEdit()).toEqual({
      place: 'Northgate Primary School',
      attendees: [CHAIR, HEAD],
      apologies: [INVITED],
      items: AGENDA.map((title, index) => ({ title, minutes: index === 1 ? 'Maps are complete for four subjects.' : '' })),
      decisions: ['Meet again in January.', 'Review the maps.'],
      concerns_remain: true,
      summary: 'The school has made progress this term.',
    });
    const heading = screen.getByRole('heading', { level: 1 });
    expect(heading.querySelector('[data-status]')?.textContent).toBe('Being written up');
    expect(document.getElementById('meeting-readiness')?.textContent?.trim()).toBe('Ready to approve');
  });

  it('shows the back end’s refusal of a summary that repeats the minutes beside the summary, and keeps what was typed', async () => {
    backEnd(meetingPage(), {
      save_msp_meeting: (args) => {
        const edit = args?.edit as MinutesEdit;
        if (edit.summary?.includes(REPEATED)) {
          throw {
            message: `the summary key points repeat the confidential minutes: "${REPEATED}"; reword them for the governing body`,
            field: 'summary',
          };
        }
        return meetingPage({ meeting: meeting({ status: 'draft' }) });
      },
    });
    await openMeeting();
    await fireEvent.input(field('minutes-2'), { target: { value: `${REPEATED}.` } });
    await fireEvent.input(field('meeting-summary'), { target: { value: `${REPEATED}, the group heard.` } });

    const error = await screen.findByText(/repeat the confidential minutes/, { selector: '#summary-error' }, { timeout: 2000 });
    expect(error.textContent).toContain('reword them for the governing body');
    expect(field('meeting-summary').getAttribute('aria-invalid')).toBe('true');
    expect(saveState()).toContain('Not saved');
    expect(field('meeting-summary').value).toBe(`${REPEATED}, the group heard.`);
    expect(field('minutes-2').value).toBe(`${REPEATED}.`);

    await fireEvent.input(field('meeting-summary'), { target: { value: 'The group has asked for a timetable.' } });
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 2000 });
    expect(document.getElementById('summary-error')).toBeNull();
    expect(lastEdit().items[1].minutes).toBe(`${REPEATED}.`);
  });

  it('rates a carried action, marks one done and agrees a new one, each recorded at once after the write-up', async () => {
    backEnd(meetingPage());
    await openMeeting();
    await fireEvent.input(field('minutes-1'), { target: { value: 'The minutes were agreed.' } });

    const rag = document.querySelector(`select[data-rag-for="${CURRICULUM}"]`) as HTMLSelectElement;
    await fireEvent.change(rag, { target: { value: 'amber' } });
    await waitFor(() =>
      expect(document.querySelector(`#meeting-log tr[data-action="${CURRICULUM}"]`)?.getAttribute('data-rag')).toBe('amber'),
    );
    const saves = callsOf('save_msp_meeting');
    // The typing landed first, then the rating on its own.
    expect((saves[0].edit as MinutesEdit).items[0].minutes).toBe('The minutes were agreed.');
    expect(saves[1]).toEqual({ id: THIRD, edit: null, updates: [{ action: CURRICULUM, rag: 'amber' }], new_actions: [] });

    await fireEvent.click(document.querySelector(`button[data-complete="${ATTENDANCE}"]`) as HTMLElement);
    await waitFor(() =>
      expect(document.querySelector(`#meeting-log tr[data-action="${ATTENDANCE}"]`)?.getAttribute('data-state')).toBe('done'),
    );
    expect(document.querySelector(`#meeting-log tr[data-action="${ATTENDANCE}"]`)?.textContent).toContain(
      'Done on 23 November 2026',
    );

    await fireEvent.input(field('msp-action-text'), { target: { value: 'Share the maps with governors' } });
    await fireEvent.input(field('msp-action-owner'), { target: { value: 'Mr Lambert' } });
    await fireEvent.input(field('msp-action-due'), { target: { value: '2027-01-15' } });
    await fireEvent.change(field('msp-action-rag'), { target: { value: 'green' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add action' }));
    await screen.findByText('Agreed at this meeting');
    expect(callsOf('save_msp_meeting').pop()).toEqual({
      id: THIRD,
      edit: null,
      updates: [],
      new_actions: [{ text: 'Share the maps with governors', owner: 'Mr Lambert', due_on: '2027-01-15', rag: 'green' }],
    });
    expect(field('msp-action-text').value).toBe('');
  });

  it('puts a refused rating back and says why', async () => {
    backEnd(meetingPage(), {
      save_msp_meeting: () => {
        throw { message: 'the minutes of the meeting of 2026-11-23 are approved and cannot change', field: null };
      },
    });
    await openMeeting();
    const rag = document.querySelector(`select[data-rag-for="${CURRICULUM}"]`) as HTMLSelectElement;
    await fireEvent.change(rag, { target: { value: 'green' } });
    expect((await screen.findByRole('alert')).textContent).toContain('are approved and cannot change');
    expect(rag.value).toBe('red');
  });

  it('approves only after the confirmation, with every change saved first, then shows both documents', async () => {
    const approved = meetingPage({
      meeting: meeting({ status: 'approved', approved_on: '2026-11-23', attendees: [{ member: CHAIR, name: 'Margaret Okonjo', role: 'Chair' }] }),
      log: [curriculumRow({ rag: 'amber' }), attendanceRow()],
      group: groupPage({ escalation: null, proposed: [] }),
      unapproved: null,
    });
    backEnd(meetingPage({ unapproved: null, meeting: meeting({ status: 'draft' }) }), {
      approve_msp_meeting: () => approved,
      msp_pdf: (args) => new ArrayBuffer(args?.document === 'minutes' ? 3 : 1),
      save_msp_pdf: (args) => args?.path,
    });
    await openMeeting();
    await fireEvent.input(field('meeting-summary'), { target: { value: 'Key points for governors.' } });

    await fireEvent.click(screen.getByRole('button', { name: 'Approve the minutes' }));
    const confirmation = screen.getByRole('group', { name: 'Approve these minutes?' });
    expect(confirmation.textContent).toContain('Approved minutes can never be changed.');
    expect(callsOf('approve_msp_meeting')).toHaveLength(0);
    await fireEvent.click(within(confirmation).getByRole('button', { name: 'Yes, approve them' }));

    await screen.findByText(/Approved minutes never change/);
    const order = invoke.mock.calls.map(([name]) => name);
    expect(order.lastIndexOf('save_msp_meeting')).toBeLessThan(order.indexOf('approve_msp_meeting'));
    expect(lastEdit().summary).toBe('Key points for governors.');
    expect(document.querySelectorAll('textarea')).toHaveLength(0);
    expect(screen.getByRole('heading', { level: 1 }).querySelector('[data-status]')?.textContent).toBe('Approved');

    await waitFor(() => expect(document.getElementById('minutes-preview')?.dataset.state).toBe('ready'));
    await waitFor(() => expect(document.getElementById('summary-preview')?.dataset.state).toBe('ready'));
    expect(document.getElementById('minutes-preview')?.dataset.pages).toBe('3');
    expect(document.getElementById('summary-preview')?.dataset.pages).toBe('1');
    expect(callsOf('msp_pdf')).toEqual(
      expect.arrayContaining([
        { id: THIRD, document: 'minutes' },
        { id: THIRD, document: 'summary' },
      ]),
    );
    expect(screen.getByText('Members only')).toBeTruthy();
    expect(screen.getByText('For the governing body')).toBeTruthy();

    expect(field('summary-path').value).toBe('/home/adviser/Documents/Caseload letters/990007-msp-summary-2026-11-23.pdf');
    await fireEvent.input(field('summary-path'), { target: { value: '/home/adviser/governors.pdf' } });
    await fireEvent.click(document.getElementById('save-summary') as HTMLElement);
    expect((await screen.findByText(/Saved to/)).textContent).toBe('Saved to /home/adviser/governors.pdf');
    expect(callsOf('save_msp_pdf')).toEqual([{ id: THIRD, document: 'summary', path: '/home/adviser/governors.pdf' }]);
  });

  it('keeps the minutes open and says why when the back end refuses approval', async () => {
    backEnd(meetingPage({ meeting: meeting({ status: 'draft' }) }), {
      approve_msp_meeting: () => {
        throw 'the meeting of 2026-11-23 cannot be approved: record who attended';
      },
    });
    await openMeeting();
    await fireEvent.click(screen.getByRole('button', { name: 'Approve the minutes' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, approve them' }));
    const error = await screen.findByText(/record who attended/);
    expect(error.closest('#approve-error')).not.toBeNull();
    expect(field('meeting-summary')).toBeTruthy();
  });

  it('moves between sections with Alt+number', async () => {
    backEnd(meetingPage());
    await openMeeting();
    await fireEvent.keyDown(window, { key: '3', code: 'Digit3', altKey: true });
    expect(document.activeElement?.id).toBe('minutes-2');
    await fireEvent.keyDown(window, { key: 'ArrowDown', ctrlKey: true });
    expect(document.activeElement?.id).toBe('minutes-3');
    await fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    expect(document.activeElement?.id).toBe('msp-action-text');
  });
});

describe('an approved MSP meeting', () => {
  it('offers to draft the letters the escalation proposes', async () => {
    backEnd(
      meetingPage({
        meeting: meeting({ status: 'approved', approved_on: '2026-11-20', concerns_remain: true }),
        unapproved: null,
      }),
      {
        msp_pdf: () => new ArrayBuffer(1),
        draft_msp_letter: () => ({ id: '0190f3c2-0000-7000-8000-00000000c001' }),
      },
    );
    await openMeeting();
    const panel = document.getElementById('msp-escalation') as HTMLElement;
    expect(panel.textContent).toContain('The chair recorded at the meeting of 18 November 2026 that concerns remain.');
    await fireEvent.click(within(panel).getByRole('button', { name: 'Draft the alert to ward members' }));
    await waitFor(() => expect(window.location.hash).toBe('#/school/990007/letter/0190f3c2-0000-7000-8000-00000000c001'));
    expect(callsOf('draft_msp_letter')).toEqual([{ group: GROUP, kind: 'member-alert' }]);
  });
});
