import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import SchoolHistory from './SchoolHistory.svelte';
import { answer } from '../test/tauri';
import type { AuditEntry, AuditPage } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const LONG_NOTE =
  'Learning walk with the headteacher through Reception and Year 1. ' +
  'Phonics sessions follow the scheme closely and pupils apply their sounds in writing. ' +
  'Books show that the weakest readers catch up by the spring. The end of the note.';

function entry(id: number, more: Partial<AuditEntry>): AuditEntry {
  return {
    id,
    entity: 'visit',
    key: '0190f3c2-0000-7000-8000-00000000a001',
    origin: 'edit',
    device: '0190f3c2-0000-7000-8000-0000000000d1',
    this_device: true,
    adviser: '0190f3c2-0000-7000-8000-0000000000a1',
    adviser_name: 'Priya Raman',
    first_at: '2026-12-02T09:05:00Z',
    last_at: '2026-12-02T11:40:00Z',
    changes: [],
    ...more,
  };
}

const firstPage: AuditPage = {
  entries: [
    entry(9, {
      changes: [
        { field: 'notes', before: null, after: [{ area: 'general', evidence: LONG_NOTE, judgement: null }] },
        { field: 'status', before: 'planned', after: 'draft' },
      ],
    }),
    entry(7, {
      entity: 'action',
      origin: 'pulled',
      this_device: false,
      adviser: '0190f3c2-0000-7000-8000-0000000000a2',
      adviser_name: 'Margaret Okonjo',
      first_at: '2026-12-01T15:00:00Z',
      last_at: '2026-12-01T15:00:00Z',
      changes: [{ field: 'due_on', before: '2026-12-11', after: '2027-01-15' }],
    }),
  ],
  next: 7,
};

const olderPage: AuditPage = {
  entries: [
    entry(3, {
      entity: 'school',
      origin: 'pulled',
      this_device: false,
      adviser: null,
      adviser_name: null,
      first_at: '2026-11-20T08:00:00Z',
      last_at: '2026-11-20T08:00:00Z',
      changes: [{ field: 'pupils', before: 212, after: 230 }],
    }),
  ],
  next: null,
};

beforeEach(() => {
  invoke.mockReset();
});

async function open() {
  const summary = screen.getByText('History').closest('summary') as HTMLElement;
  await fireEvent.click(summary);
}

describe('a school’s history', () => {
  it('reads nothing until opened, then lists who changed which record, when, and each field from what to what', async () => {
    answer(invoke, { school_audit: (args) => (args?.before === null ? firstPage : olderPage) });
    render(SchoolHistory, { urn: 990001 });
    expect(invoke).not.toHaveBeenCalled();

    await open();
    const list = await screen.findByRole('list');
    expect(invoke).toHaveBeenCalledWith('school_audit', { urn: 990001, before: null });
    const [visit, action] = within(list).getAllByRole('listitem');
    expect(within(visit).getByText('Visit')).toBeTruthy();
    expect(visit.textContent).toContain('2 Dec 2026, 09:05 to 11:40');
    expect(visit.textContent).toContain('Edited by Priya Raman on this device');
    const status = within(visit).getByRole('row', { name: /Status/ });
    expect(within(status).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['planned', 'draft']);

    expect(within(action).getByText('Action')).toBeTruthy();
    expect(action.textContent).toContain('1 Dec 2026, 15:00');
    expect(action.textContent).toContain('Edited by Margaret Okonjo on another device, brought by sync');
    const due = within(action).getByRole('row', { name: /Due on/ });
    expect(within(due).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['2026-12-11', '2027-01-15']);
  });

  it('shortens long text in the list and shows it whole when the entry is expanded', async () => {
    answer(invoke, { school_audit: () => firstPage });
    render(SchoolHistory, { urn: 990001 });
    await open();
    const list = await screen.findByRole('list');
    const visit = within(list).getAllByRole('listitem')[0];
    const notes = within(visit).getByRole('row', { name: /Notes/ });
    expect(notes.textContent).toContain('…');
    expect(notes.textContent).not.toContain('The end of the note.');

    const whole = within(visit).getByRole('button', { name: 'Show the text in full' });
    await fireEvent.click(whole);
    expect(notes.textContent).toContain(`general – ${LONG_NOTE}`);
    expect(whole.getAttribute('aria-expanded')).toBe('true');
    // An entry whose values are all short offers nothing to expand.
    const action = within(list).getAllByRole('listitem')[1];
    expect(within(action).queryByRole('button')).toBeNull();
  });

  it('brings older changes a page at a time, the office’s own as the office’s', async () => {
    answer(invoke, { school_audit: (args) => (args?.before === null ? firstPage : olderPage) });
    render(SchoolHistory, { urn: 990001 });
    await open();
    await fireEvent.click(await screen.findByRole('button', { name: 'Show older changes' }));
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(3));
    expect(invoke).toHaveBeenLastCalledWith('school_audit', { urn: 990001, before: 7 });
    const school = screen.getAllByRole('listitem')[2];
    expect(school.textContent).toContain('School details');
    expect(school.textContent).toContain('Changed at the office');
    expect(within(school).getByRole('row', { name: /Pupils/ }).textContent).toContain('230');
    expect(screen.queryByRole('button', { name: 'Show older changes' })).toBeNull();
  });

  it('says when nothing is recorded, and shows a failure with a retry', async () => {
    let fail = true;
    answer(invoke, {
      school_audit: () => {
        if (fail) throw 'the store is locked by another program';
        return { entries: [], next: null };
      },
    });
    render(SchoolHistory, { urn: 990001 });
    await open();
    expect(await screen.findByText('the store is locked by another program')).toBeTruthy();
    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: /Try again/ }));
    expect(await screen.findByText('No changes to this school or its records are recorded yet.')).toBeTruthy();
  });
});
