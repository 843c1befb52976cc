import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import SchoolLetters from './SchoolLetters.svelte';
import { answer } from '../test/tauri';
import { LETTER_ID, letter } from '../test/letterFixtures';
import type { SchoolDue } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const DRAFTED = '0190f3c2-0000-7000-8000-00000000c002';

const due: SchoolDue[] = [
  {
    urn: 990007,
    school: 'Northgate Primary School',
    letters: [
      {
        kind: 'significant-concerns',
        indicators: [
          { id: 'leadership-capacity', text: 'Leadership does not have the capacity to address the school’s problems.' },
          { id: 'persistent-concerns', text: 'There are persistent concerns about achievement.' },
        ],
        visit: null,
      },
      { kind: 'visit-note', indicators: [], visit: '0190f3c2-0000-7000-8000-00000000a001' },
    ],
  },
];

beforeEach(() => {
  invoke.mockReset();
});

afterEach(() => {
  window.location.hash = '';
});

function backEnd(more: Record<string, (args?: Record<string, unknown>) => unknown> = {}) {
  answer(invoke, {
    letters_due: () => due,
    school_letters: () => ({
      letters: [
        letter({ status: 'issued', pdf_sha256: 'ab'.repeat(32) }),
        letter({ id: '0190f3c2-0000-7000-8000-00000000c003', kind: 'congratulations', reference: 'SIA/990007/CON/2026-10-01', dated: '2026-10-01', corrects: LETTER_ID }),
      ],
      kinds: ['congratulations', 'significant-concerns', 'warning-notice'],
    }),
    draft_letter: (args) => letter({ id: DRAFTED, kind: args?.kind as 'significant-concerns' }),
    ...more,
  });
}

describe('a school’s letters', () => {
  it('lists what the records say is due with what it would cite, and the letters drafted and issued', async () => {
    backEnd();
    render(SchoolLetters, { urn: 990007, schoolName: 'Northgate Primary School' });

    const dueList = await screen.findByText('Due, from the records');
    const panel = dueList.parentElement as HTMLElement;
    expect(invoke).toHaveBeenCalledWith('letters_due', { urn: 990007 });
    const concerns = panel.querySelector('[data-due="significant-concerns"]') as HTMLElement;
    expect(concerns.textContent).toContain('Significant concerns letter');
    expect(within(concerns).getAllByRole('listitem').map((item) => item.dataset.indicator)).toEqual([
      'leadership-capacity',
      'persistent-concerns',
    ]);
    expect(panel.querySelector('[data-due="visit-note"]')?.textContent).not.toContain('Would cite');

    const table = screen.getByRole('table', { name: /Letters to Northgate Primary School/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.dataset.status)).toEqual(['issued', 'draft']);
    expect(rows[0].textContent).toContain('23 November 2026');
    expect(rows[0].textContent).toContain('SIA/990007/SC/2026-11-23');
    expect(rows[0].textContent).toContain('Issued');
    expect(rows[1].textContent).toContain('Correction');
    const link = within(rows[0]).getByRole('link', { name: 'Significant concerns letter' });
    expect(link.getAttribute('href')).toBe(`#/school/990007/letter/${LETTER_ID}`);
  });

  it('drafts a due letter with the indicators it cites and opens it', async () => {
    backEnd();
    render(SchoolLetters, { urn: 990007, schoolName: 'Northgate Primary School' });

    await fireEvent.click(await screen.findByRole('button', { name: 'Draft the significant concerns letter' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/school/990007/letter/${DRAFTED}`));
    expect(invoke).toHaveBeenCalledWith('draft_letter', {
      urn: 990007,
      kind: 'significant-concerns',
      visit: null,
      indicators: ['leadership-capacity', 'persistent-concerns'],
      terms: null,
    });

    await fireEvent.click(screen.getByRole('button', { name: 'Draft the note of visit' }));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('draft_letter', {
        urn: 990007,
        kind: 'visit-note',
        visit: '0190f3c2-0000-7000-8000-00000000a001',
        indicators: null,
        terms: null,
      }),
    );
  });

  it('drafts any kind the school may be sent, asking for the kind first, and says why the back end refused', async () => {
    backEnd({
      draft_letter: () => {
        throw 'no adviser is recorded as writing this letter, and its template is signed by the author';
      },
    });
    render(SchoolLetters, { urn: 990007, schoolName: 'Northgate Primary School' });
    const kinds = (await screen.findByLabelText('Kind of letter')) as HTMLSelectElement;
    expect([...kinds.options].map((option) => option.textContent)).toEqual([
      'Choose a kind of letter…',
      'Congratulations letter',
      'Significant concerns letter',
      'Formal warning notice',
    ]);

    await fireEvent.click(screen.getByRole('button', { name: 'Draft a letter' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Choose the kind of letter to draft');
    expect(invoke).not.toHaveBeenCalledWith('draft_letter', expect.anything());

    await fireEvent.change(kinds, { target: { value: 'congratulations' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Draft a letter' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('no adviser is recorded'));
    expect(invoke).toHaveBeenCalledWith('draft_letter', {
      urn: 990007,
      kind: 'congratulations',
      visit: null,
      indicators: null,
      terms: null,
    });
    expect(window.location.hash).toBe('');
  });
});
