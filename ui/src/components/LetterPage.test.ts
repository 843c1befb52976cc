import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import LetterPage from './LetterPage.svelte';
import { answer, type Handler } from '../test/tauri';
import { LETTER_ID, letter, letterSheet, warningNotice } from '../test/letterFixtures';
import type { LetterEdits, LetterSheet } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

// jsdom cannot draw; pdf.js itself is tested in lib/pdf.test.ts. A PDF of
// n bytes "draws" as n pages here, so a test can tell two previews apart.
const drawPages = vi.hoisted(() =>
  vi.fn(async (bytes: ArrayBuffer) => Array.from({ length: bytes.byteLength }, () => document.createElement('canvas'))),
);
vi.mock('../lib/pdf', () => ({ drawPages }));

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const CORRECTION = '0190f3c2-0000-7000-8000-00000000c009';

beforeEach(() => {
  invoke.mockReset();
  drawPages.mockClear();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => {});
});

afterEach(() => {
  window.location.hash = '';
});

/** The back end: previews grow a page with each save, so the newest is recognisable. */
function backEnd(first: LetterSheet, more: Record<string, Handler> = {}) {
  let saves = 0;
  answer(invoke, {
    letter_sheet: () => first,
    save_letter: (args) => {
      saves += 1;
      const edits = args?.letter as LetterEdits;
      return { letter: { ...first.letter, ...edits }, incomplete: first.incomplete };
    },
    preview_letter: () => new ArrayBuffer(1 + saves),
    ...more,
  });
}

function callsOf(command: string): Record<string, unknown>[] {
  return invoke.mock.calls.filter(([name]) => name === command).map(([, args]) => args as Record<string, unknown>);
}

function field(id: string): HTMLInputElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`no #${id}`);
  return element as HTMLInputElement;
}

function lastSave(): LetterEdits {
  const saves = callsOf('save_letter');
  return saves[saves.length - 1]?.letter as LetterEdits;
}

function saveState(): string {
  return document.getElementById('save-state')?.textContent?.trim() ?? '';
}

function preview(): HTMLElement {
  return document.getElementById('letter-preview') as HTMLElement;
}

async function openLetter() {
  render(LetterPage, { urn: 990007, id: LETTER_ID });
  return screen.findByRole('heading', { level: 1 });
}

describe('letter editor', () => {
  it('opens the draft with its text, recipients and citations, and draws its preview', async () => {
    backEnd(letterSheet());
    const heading = await openLetter();
    expect(heading.textContent).toContain('Northgate Primary School');
    expect(heading.textContent).toContain('Significant concerns letter');
    expect(heading.querySelector('[data-status]')?.textContent).toBe('Draft');
    expect(document.body.textContent).toContain('SIA/990007/SC/2026-11-23');
    expect(document.body.textContent).toContain('Dated 23 November 2026');

    expect(field('letter-subject').value).toBe('Significant concerns about Northgate Primary School');
    expect(field('letter-body').value).toContain('within the next four weeks');
    expect(field('recipient-name-0').value).toBe('Mr Kwame Mensah');
    expect(field('recipient-address-0').value).toBe('Northgate Avenue\nFenbridge');
    expect(field('indicator-leadership-capacity').checked).toBe(true);
    expect(field('indicator-declining-performance').checked).toBe(false);
    expect(document.getElementById('warning-terms')).toBeNull();
    expect(document.getElementById('letter-readiness')?.textContent?.trim()).toBe('Ready to issue');

    await waitFor(() => expect(preview().dataset.state).toBe('ready'));
    expect(callsOf('preview_letter')).toEqual([{ id: LETTER_ID }]);
    expect(preview().querySelectorAll('[data-page] canvas')).toHaveLength(1);
    expect(within(preview()).getByRole('img').getAttribute('aria-label')).toBe(
      'Page 1 of 1 of the letter as it will print',
    );
  });

  it('saves the text as the adviser types, then lays the preview out again from what was saved', async () => {
    backEnd(letterSheet());
    await openLetter();
    await waitFor(() => expect(preview().dataset.pages).toBe('1'));

    const edited = letter().body.replace('within the next four weeks', 'before the end of term');
    await fireEvent.input(field('letter-body'), { target: { value: edited } });
    expect(saveState()).toBe('Saving…');
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 2000 });
    expect(callsOf('save_letter')).toEqual([
      {
        letter: {
          id: LETTER_ID,
          subject: 'Significant concerns about Northgate Primary School',
          body: edited,
          recipients: letter().recipients,
          copies_to: [],
          indicators: ['leadership-capacity'],
          terms: null,
        },
      },
    ]);
    await waitFor(() => expect(preview().dataset.pages).toBe('2'));
    expect(callsOf('preview_letter')).toHaveLength(2);
  });

  it('edits the recipients, copies and citations, saving each choice at once', async () => {
    backEnd(letterSheet());
    await openLetter();

    await fireEvent.click(screen.getByRole('button', { name: 'Remove recipient 2' }));
    await waitFor(() => expect(callsOf('save_letter')).toHaveLength(1));
    expect((callsOf('save_letter')[0].letter as LetterEdits).recipients.map((recipient) => recipient.name)).toEqual([
      'Mr Kwame Mensah',
    ]);

    await fireEvent.click(screen.getByRole('button', { name: 'Add a recipient' }));
    expect(document.activeElement?.id).toBe('recipient-name-1');
    await fireEvent.input(field('recipient-name-1'), { target: { value: 'The Clerk' } });
    await fireEvent.input(field('letter-copies'), { target: { value: 'Ofsted\n\nRegional Director' } });
    await fireEvent.click(field('indicator-declining-performance'));
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 2000 });
    const last = lastSave();
    expect(last.recipients.map((recipient) => recipient.name)).toEqual(['Mr Kwame Mensah', 'The Clerk']);
    expect(last.copies_to).toEqual(['Ofsted', 'Regional Director']);
    // In the strategy's order, whatever order they were ticked in.
    expect(last.indicators).toEqual(['declining-performance', 'leadership-capacity']);
  });

  it('shows a warning notice’s terms, saves them, and holds back a compliance period that is not a number', async () => {
    backEnd(letterSheet({ letter: warningNotice() }));
    await openLetter();

    const ground = field('terms-ground') as unknown as HTMLSelectElement;
    expect(ground.value).toBe('management-breakdown');
    expect(document.getElementById('terms-ground-hint')?.textContent).toContain('serious breakdown');
    expect(field('terms-days').value).toBe('15');
    expect(field('power-additional-governors').checked).toBe(true);
    expect(field('power-suspend-delegated-budget').checked).toBe(false);

    await fireEvent.change(ground, { target: { value: 'safety-threat' } });
    await fireEvent.click(field('power-suspend-delegated-budget'));
    await waitFor(() => expect(saveState()).toBe('Saved'), { timeout: 2000 });
    expect(lastSave().terms).toEqual({
      ground: 'safety-threat',
      compliance_days: 15,
      minded_to: ['additional-governors', 'interim-executive-board', 'suspend-delegated-budget'],
    });

    const saves = callsOf('save_letter').length;
    await fireEvent.input(field('terms-days'), { target: { value: '' } });
    expect(document.getElementById('terms-days-error')?.textContent).toContain('whole number of working days');
    expect(saveState()).toContain('Not saved');
    expect(callsOf('save_letter')).toHaveLength(saves);
  });

  it('issues the letter only after the confirmation, with every change saved first', async () => {
    let current = letterSheet();
    backEnd(current, {
      letter_sheet: () => current,
      issue_letter: () => {
        current = letterSheet({ letter: letter({ status: 'issued', pdf_sha256: SHA }) });
        return current.letter;
      },
      issued_letter_pdf: () => new ArrayBuffer(2),
    });
    await openLetter();
    await fireEvent.input(field('letter-subject'), { target: { value: 'Our concerns about Northgate Primary School' } });

    await fireEvent.click(screen.getByRole('button', { name: 'Issue letter' }));
    const confirmation = screen.getByRole('group', { name: 'Issue this letter?' });
    expect(confirmation.textContent).toContain('An issued letter can never be changed; a correction is a new letter.');
    expect(callsOf('issue_letter')).toHaveLength(0);

    await fireEvent.click(within(confirmation).getByRole('button', { name: 'Yes, issue it' }));
    await screen.findByText(/An issued letter never changes/);
    const order = invoke.mock.calls.map(([name]) => name);
    expect(order.lastIndexOf('save_letter')).toBeLessThan(order.indexOf('issue_letter'));
    expect(lastSave().subject).toBe(
      'Our concerns about Northgate Primary School',
    );
    expect(callsOf('issue_letter')).toEqual([{ id: LETTER_ID }]);
  });

  it('says why a letter is not ready, and shows the back end’s refusal when it is issued all the same', async () => {
    const incomplete = 'a formal warning notice must be copied to Ofsted';
    backEnd(letterSheet({ letter: warningNotice({ copies_to: [] }), incomplete }), {
      issue_letter: () => {
        throw incomplete;
      },
    });
    await openLetter();
    expect(document.getElementById('letter-readiness')?.textContent).toContain(`Not ready to issue: ${incomplete}`);

    await fireEvent.click(screen.getByRole('button', { name: 'Issue letter' }));
    expect(document.getElementById('issue-problem')?.textContent).toContain(incomplete);
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, issue it' }));
    const error = await waitFor(() => {
      const panel = document.getElementById('issue-error');
      if (!panel) throw new Error('no error yet');
      return panel;
    });
    expect(error.textContent).toContain('The letter could not be issued');
    expect(error.textContent).toContain(incomplete);
    expect(document.getElementById('letter-body')).not.toBeNull();
  });

  it('shows the back end’s reason when the preview cannot be laid out', async () => {
    backEnd(letterSheet(), {
      preview_letter: () => {
        throw 'the letter font has no \'☃\' (U+2603); replace it or remove it';
      },
    });
    await openLetter();
    await waitFor(() => expect(preview().dataset.state).toBe('failed'));
    expect(within(preview()).getByRole('alert').textContent).toContain('U+2603');
  });
});

describe('an issued letter', () => {
  function issued() {
    return letterSheet({ letter: letter({ status: 'issued', pdf_sha256: SHA }) });
  }

  it('opens read only with the PDF as issued, its SHA-256 and its text', async () => {
    backEnd(issued(), { issued_letter_pdf: () => new ArrayBuffer(2) });
    const heading = await openLetter();
    expect(heading.querySelector('[data-status]')?.textContent).toBe('Issued');
    expect(document.querySelectorAll('textarea, input')).toHaveLength(0);
    expect(document.getElementById('letter-sha256')?.textContent).toBe(SHA);
    expect(document.getElementById('letter-text')?.textContent).toContain('within the next four weeks');
    expect(document.getElementById('letter-record')?.textContent).toContain(
      'Leadership does not have the capacity to address the school’s problems.',
    );
    await waitFor(() => expect(preview().dataset.pages).toBe('2'));
    expect(callsOf('issued_letter_pdf')).toEqual([{ id: LETTER_ID }]);
    expect(callsOf('preview_letter')).toHaveLength(0);
  });

  it('starts a correction as a new draft and opens it', async () => {
    backEnd(issued(), {
      issued_letter_pdf: () => new ArrayBuffer(2),
      correct_letter: () => letter({ id: CORRECTION, corrects: LETTER_ID }),
    });
    await openLetter();
    await fireEvent.click(screen.getByRole('button', { name: 'Write a correction' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/school/990007/letter/${CORRECTION}`));
    expect(callsOf('correct_letter')).toEqual([{ id: LETTER_ID }]);
  });
});
