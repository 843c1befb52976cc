import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import LettersBatchPage from './LettersBatchPage.svelte';
import { answer, type Handler } from '../test/tauri';
import type { BatchEnd, BatchProgress, LetterKind } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

// The back end's events, delivered by the test.
const listeners = vi.hoisted(() => new Map<string, (event: { payload: unknown }) => void>());
vi.mock('@tauri-apps/api/event', () => ({
  listen: vi.fn(async (name: string, handler: (event: { payload: unknown }) => void) => {
    listeners.set(name, handler);
    return () => listeners.delete(name);
  }),
}));

const FOLDER = '/home/priya/Documents/Caseload letters';

const eligible: Partial<Record<LetterKind, { urn: number; name: string }[]>> = {
  congratulations: [
    { urn: 990001, name: 'Ashby Primary School' },
    { urn: 990004, name: 'Hartfield High School' },
    { urn: 990012, name: 'Riverside Nursery School' },
  ],
  'warning-notice': [],
};

beforeEach(() => {
  invoke.mockReset();
  listeners.clear();
});

function backEnd(more: Record<string, Handler> = {}) {
  answer(invoke, {
    default_letter_folder: () => FOLDER,
    letters_eligible: (args) => eligible[args?.kind as LetterKind] ?? [],
    start_letter_batch: (args) => ({ total: (args?.urns as number[]).length, folder: args?.folder }),
    cancel_letter_batch: () => null,
    ...more,
  });
}

function progress(done: number, total: number) {
  listeners.get('letters://progress')?.({ payload: { done, total } satisfies BatchProgress });
}

function end(payload: BatchEnd) {
  listeners.get('letters://finished')?.({ payload });
}

function callsOf(command: string): Record<string, unknown>[] {
  return invoke.mock.calls.filter(([name]) => name === command).map(([, args]) => args as Record<string, unknown>);
}

async function openPage() {
  render(LettersBatchPage);
  await screen.findByLabelText(/Ashby Primary School/);
  await waitFor(() => expect(listeners.size).toBe(2));
}

describe('letters in a batch', () => {
  it('lists the schools a kind is due for, all chosen, and the Documents folder to write to', async () => {
    backEnd();
    await openPage();
    expect(callsOf('letters_eligible')).toEqual([{ kind: 'congratulations' }]);
    const boxes = [...document.querySelectorAll<HTMLInputElement>('#batch-schools input[data-urn]')];
    expect(boxes.map((box) => [box.dataset.urn, box.checked])).toEqual([
      ['990001', true],
      ['990004', true],
      ['990012', true],
    ]);
    expect((document.getElementById('batch-folder') as HTMLInputElement).value).toBe(FOLDER);
    expect(screen.getByRole('button', { name: 'Preview 3 letters' })).toBeTruthy();

    await fireEvent.change(screen.getByLabelText('Kind of letter'), { target: { value: 'warning-notice' } });
    expect((await screen.findByText(/no school in your caseload/)).textContent).toContain('formal warning notice');
    expect(document.getElementById('start-batch')).toBeNull();
  });

  it('issues the chosen schools’ letters, showing progress, then lists the files written', async () => {
    backEnd();
    await openPage();
    await fireEvent.click(screen.getByLabelText(/Hartfield High School/));
    expect((document.getElementById('batch-all') as HTMLInputElement).indeterminate).toBe(true);
    await fireEvent.click(screen.getByLabelText(/Issue: record every letter/));
    await fireEvent.click(screen.getByRole('button', { name: 'Issue 2 letters' }));

    expect(callsOf('start_letter_batch')).toEqual([
      { kind: 'congratulations', urns: [990001, 990012], folder: FOLDER, issue: true },
    ]);
    const bar = (await waitFor(() => {
      const element = document.getElementById('batch-progress');
      if (!element) throw new Error('no progress bar yet');
      return element;
    })) as HTMLProgressElement;
    expect(bar.max).toBe(2);
    progress(1, 2);
    await waitFor(() => expect(bar.value).toBe(1));
    expect(screen.getByText('Laying out the letters: 1 of 2')).toBeTruthy();
    expect((screen.getByLabelText(/Ashby Primary School/) as HTMLInputElement).disabled).toBe(true);

    progress(2, 2);
    end({
      outcome: 'written',
      paths: [`${FOLDER}/990001-congratulations-2026-11-23.pdf`, `${FOLDER}/990012-congratulations-2026-11-23.pdf`],
      folder: FOLDER,
      issued: true,
    });
    const outcome = await waitFor(() => {
      const element = document.getElementById('batch-outcome');
      if (!element) throw new Error('no outcome yet');
      return element;
    });
    expect(outcome.dataset.outcome).toBe('written');
    expect(outcome.textContent).toContain('2 letters issued and written');
    expect([...document.querySelectorAll('#batch-written li')].map((item) => item.textContent)).toEqual([
      `${FOLDER}/990001-congratulations-2026-11-23.pdf`,
      `${FOLDER}/990012-congratulations-2026-11-23.pdf`,
    ]);
    expect(document.getElementById('batch-progress')).toBeNull();
    // The issued letters are no longer due: the list is asked for again.
    await waitFor(() => expect(callsOf('letters_eligible')).toHaveLength(2));
  });

  it('cancels a batch under way, and says nothing was written', async () => {
    backEnd();
    await openPage();
    await fireEvent.click(screen.getByRole('button', { name: 'Preview 3 letters' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(callsOf('cancel_letter_batch')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toBeTruthy();
    end({ outcome: 'cancelled' });
    expect((await screen.findByText(/Cancelled/)).textContent).toContain('no file was written and no letter issued');
    expect(screen.getByRole('button', { name: 'Preview 3 letters' })).toBeTruthy();
  });

  it('shows why a batch stopped, and why one could not start', async () => {
    backEnd();
    await openPage();
    await fireEvent.click(screen.getByRole('button', { name: 'Preview 3 letters' }));
    end({ outcome: 'failed', message: 'Hartfield High School (URN 990004): the letter font has no ☃' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Hartfield High School (URN 990004)');
    expect(alert.textContent).toContain('No file was written');

    backEnd({
      start_letter_batch: () => {
        throw 'A batch of letters is already being printed: wait for it or cancel it';
      },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview 3 letters' }));
    expect((await screen.findByText(/already being printed/)).id).toBe('batch-error');

    await fireEvent.click(screen.getByLabelText('All 3 schools'));
    await fireEvent.click(screen.getByRole('button', { name: 'Preview letters' }));
    expect(document.getElementById('batch-error')?.textContent).toBe('Choose at least one school');
  });
});
