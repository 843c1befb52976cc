import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import VisitPage from './VisitPage.svelte';
import { answer, type Handler } from '../test/tauri';
import { action, sheet, visit, VISIT_ID } from '../test/visitFixtures';
import type { Visit, VisitSheet } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
  // jsdom lays nothing out, so it cannot scroll.
  Element.prototype.scrollIntoView = vi.fn();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => {});
});

afterEach(() => {
  window.location.hash = '';
});

function backEnd(first: VisitSheet, more: Record<string, Handler> = {}) {
  answer(invoke, {
    visit_sheet: () => first,
    save_visit_draft: (args) => ({ ...(args?.visit as Visit), status: 'draft' }),
    ...more,
  });
}

async function openVisit() {
  render(VisitPage, { urn: 990001, id: VISIT_ID });
  return screen.findByRole('heading', { level: 1 });
}

function callsOf(command: string): Record<string, unknown>[] {
  return invoke.mock.calls.filter(([name]) => name === command).map(([, args]) => args as Record<string, unknown>);
}

function field(id: string): HTMLInputElement | HTMLTextAreaElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`no #${id}`);
  return element as HTMLInputElement;
}

function saveState(): string {
  return document.getElementById('save-state')?.textContent?.trim() ?? '';
}

describe('visit editor', () => {
  it('opens on the visit with a section per area, and saves what is typed once typing pauses', async () => {
    backEnd(sheet());
    const heading = await openVisit();
    expect(heading.textContent).toContain('St Mary’s Church of England Primary School');
    expect(heading.textContent).toContain('Core visit, 18 November 2026, AM');
    const nav = screen.getByRole('navigation', { name: 'Sections of the visit' });
    expect(within(nav).getAllByRole('button').map((button) => button.textContent)).toEqual([
      'Visit details',
      'Leadership',
      'Teaching',
      'Other notes',
      'Strengths',
      'Areas for development',
      'Agreed actions',
    ]);
    expect(nav.textContent).toContain('Alt+2');
    expect(document.getElementById('shortcuts')?.textContent).toContain('Ctrl+Enter');
    expect(saveState()).toBe('Saved');

    await fireEvent.input(field('evidence-leadership'), { target: { value: 'Leaders know' } });
    await fireEvent.input(field('evidence-leadership'), { target: { value: 'Leaders know the school well' } });
    expect(saveState()).toBe('Saving…');
    expect(document.getElementById('save-state')?.dataset.state).toBe('saving');
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 2000 });
    const saves = callsOf('save_visit_draft');
    expect(saves).toHaveLength(1);
    expect(saves[0].visit).toMatchObject({
      id: VISIT_ID,
      notes: [{ area: 'leadership', evidence: 'Leaders know the school well', judgement: null }],
    });
  });

  it('saves a ticked activity at once, and says so when a save fails', async () => {
    backEnd(sheet(), {
      save_visit_draft: () => {
        throw 'database error: disk I/O error';
      },
    });
    await openVisit();
    await fireEvent.click(screen.getByLabelText('Work scrutiny'));
    const state = document.getElementById('save-state') as HTMLElement;
    await waitFor(() => expect(state.textContent).toContain('Not saved: database error: disk I/O error'));
    expect(state.getAttribute('role')).toBe('alert');
    expect((callsOf('save_visit_draft')[0].visit as Visit).activities).toEqual(['work-scrutiny']);
  });

  it('moves between sections with Alt and a number or Ctrl and an arrow, and starts an action with Ctrl+Enter', async () => {
    backEnd(sheet());
    await openVisit();
    await fireEvent.keyDown(document.body, { key: '2', code: 'Digit2', altKey: true });
    expect(document.activeElement?.id).toBe('evidence-leadership');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown', ctrlKey: true });
    expect(document.activeElement?.id).toBe('evidence-teaching');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowUp', ctrlKey: true });
    expect(document.activeElement?.id).toBe('evidence-leadership');
    await fireEvent.keyDown(document.activeElement as Element, { key: 'Enter', ctrlKey: true });
    expect(document.activeElement?.id).toBe('action-text');
    await fireEvent.click(within(screen.getByRole('navigation')).getByText('Strengths'));
    expect(document.activeElement?.id).toBe('visit-strengths');
  });

  it('agrees an action with Ctrl+Enter from its form and shows it agreed', async () => {
    const agreed = action('a1', { text: 'Share the plan with governors', due_on: '2027-01-15' });
    let current = sheet();
    backEnd(current, {
      visit_sheet: () => current,
      agree_action: () => {
        current = sheet({ agreed: [agreed] });
        return agreed;
      },
    });
    await openVisit();
    await fireEvent.input(field('action-text'), { target: { value: 'Share the plan with governors' } });
    await fireEvent.input(field('action-owner'), { target: { value: 'Chair' } });
    field('action-owner').focus();
    await fireEvent.keyDown(field('action-owner'), { key: 'Enter', ctrlKey: true });
    expect(screen.getByText(/Enter the date the action is due by/)).toBeTruthy();
    expect(callsOf('agree_action')).toHaveLength(0);

    await fireEvent.input(field('action-due'), { target: { value: '2027-01-15' } });
    field('action-due').focus();
    await fireEvent.keyDown(field('action-due'), { key: 'Enter', ctrlKey: true });
    const table = await screen.findByRole('table', { name: 'Actions agreed at this visit' });
    expect(table.textContent).toContain('Share the plan with governors');
    expect(table.textContent).toContain('15 January 2027');
    expect(callsOf('agree_action')).toEqual([
      { visit: VISIT_ID, text: 'Share the plan with governors', owner: 'Chair', due_on: '2027-01-15' },
    ]);
    expect(field('action-text').value).toBe('');
    expect(document.activeElement?.id).toBe('action-text');
  });

  it('shows the back end’s words when an action is refused', async () => {
    backEnd(sheet(), {
      agree_action: () => {
        throw 'an action needs a named owner';
      },
    });
    await openVisit();
    await fireEvent.input(field('action-text'), { target: { value: 'Do it' } });
    await fireEvent.input(field('action-due'), { target: { value: '2027-01-15' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add action' }));
    expect(await screen.findByText('The action was not added: an action needs a named owner')).toBeTruthy();
    expect(field('action-text').value).toBe('Do it');
  });

  it('reviews the open actions carried from before: done, or dropped with a reason', async () => {
    const overdue = action('old1', { overdue: true });
    const other = action('old2', { text: 'Book writing moderation' });
    let current = sheet({ to_review: [overdue, other] });
    backEnd(current, {
      visit_sheet: () => current,
      complete_action: () => {
        current = sheet({ to_review: [other] });
        return overdue;
      },
      drop_action: () => {
        current = sheet();
        return other;
      },
    });
    await openVisit();
    const table = screen.getByRole('table', { name: 'Open actions to review at this visit' });
    const first = table.querySelector('tr[data-action="old1"]') as HTMLElement;
    expect(first.textContent).toContain('Overdue');

    await fireEvent.click(within(first).getByRole('button', { name: /Done/ }));
    await waitFor(() => expect(table.querySelector('tr[data-action="old1"]')).toBeNull());
    expect(callsOf('complete_action')).toEqual([{ id: 'old1' }]);

    await fireEvent.click(screen.getByRole('button', { name: /Drop.*Book writing moderation/ }));
    expect(document.activeElement?.id).toBe('drop-reason');
    await fireEvent.input(field('drop-reason'), { target: { value: 'In the MSP action plan' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Drop action' }));
    await waitFor(() => expect(screen.queryByRole('table', { name: /to review/ })).toBeNull());
    expect(callsOf('drop_action')).toEqual([{ id: 'old2', reason: 'In the MSP action plan' }]);
  });

  it('saves what was just typed, then finalises after a confirmation and shows the record read only', async () => {
    let current = sheet();
    const order: string[] = [];
    backEnd(current, {
      visit_sheet: () => current,
      save_visit_draft: (args) => {
        order.push('save');
        return { ...(args?.visit as Visit), status: 'draft' };
      },
      finalise_visit: () => {
        order.push('finalise');
        current = sheet({
          visit: visit({ status: 'finalised', strengths: 'Reading is a strength' }),
          addenda: [visit({ id: 'add1', visited_on: '2026-11-20', status: 'draft', addendum_to: VISIT_ID })],
        });
        return current.visit;
      },
    });
    await openVisit();
    await fireEvent.input(field('visit-strengths'), { target: { value: 'Reading is a strength' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Finalise visit' }));
    expect(document.activeElement?.id).toBe('confirm-finalise-heading');
    expect(screen.getByText(/never changes/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, finalise' }));

    const record = await waitFor(() => {
      const element = document.getElementById('visit-record');
      if (!element) throw new Error('not yet');
      return element;
    });
    expect(order).toEqual(['save', 'finalise']);
    expect(record.textContent).toContain('Reading is a strength');
    expect(document.querySelector('textarea')).toBeNull();
    expect(within(record).getByRole('link', { name: 'Addendum of 20 November 2026' }).getAttribute('href')).toBe(
      '#/school/990001/visit/add1',
    );
  });

  it('says why a visit cannot be finalised, and lets it be written on', async () => {
    backEnd(sheet(), {
      finalise_visit: () => {
        throw 'the visit of 2026-11-18 has no notes: write what was seen before finalising';
      },
    });
    await openVisit();
    await fireEvent.click(screen.getByRole('button', { name: 'Finalise visit' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, finalise' }));
    const error = await screen.findByRole('alert');
    expect(error.textContent).toContain('has no notes');
    expect(screen.getByRole('button', { name: 'Finalise visit' })).toBeTruthy();
    expect(document.getElementById('evidence-leadership')).not.toBeNull();
  });

  it('starts an addendum to a finalised visit and opens it', async () => {
    const finalised = visit({ status: 'finalised', notes: [{ area: 'old-area', evidence: 'Old notes', judgement: 'Fine' }] });
    backEnd(sheet({ visit: finalised }), {
      add_addendum: () => visit({ id: 'add2', status: 'draft', addendum_to: VISIT_ID }),
    });
    await openVisit();
    const record = document.getElementById('visit-record') as HTMLElement;
    // A note under an area the set no longer has is still shown.
    expect(within(record).getByRole('heading', { name: 'old-area' })).toBeTruthy();
    expect(record.textContent).toContain('Old notes');
    await fireEvent.click(screen.getByRole('button', { name: 'Add addendum' }));
    await waitFor(() => expect(window.location.hash).toBe('#/school/990001/visit/add2'));
    expect(callsOf('add_addendum')).toEqual([{ id: VISIT_ID }]);
  });
});
