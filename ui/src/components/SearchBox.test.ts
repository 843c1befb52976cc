import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import SearchBox from './SearchBox.svelte';
import { answer } from '../test/tauri';
import { actionHit, visitHit } from '../test/visitFixtures';
import type { SearchHit } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

function box(): HTMLInputElement {
  return screen.getByLabelText('Search visit notes, actions and letters') as HTMLInputElement;
}

describe('search box', () => {
  it('searches as the adviser types and shows school, day, kind and the matched words', async () => {
    answer(invoke, { search: () => [actionHit, visitHit] });
    render(SearchBox);
    await fireEvent.input(box(), { target: { value: 'read' } });
    const results = await screen.findByRole('list');
    const links = within(results).getAllByRole('link');
    expect(invoke).toHaveBeenCalledWith('search', { text: 'read' });

    expect(links[0].textContent).toContain('Westfield Primary School');
    expect(links[0].textContent).toContain('Agreed action, due 15 January 2027');
    // An action from no visit opens its school.
    expect(links[0].getAttribute('href')).toBe('#/school/990008');
    expect(links[1].textContent).toContain('Visit notes, 18 November 2026');
    expect(links[1].getAttribute('href')).toBe(`#/school/990001/visit/${visitHit.visit}`);
    expect([...links[1].querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['reading']);
    expect(links[1].querySelector('.snippet')?.textContent).toBe('…guided reading in Year 4');
  });

  it('opens a letter found by its text in the letter editor', async () => {
    const letterHit: SearchHit = {
      kind: 'letter',
      id: 'letter-1',
      urn: 990007,
      school: 'Northgate Primary School',
      day: '2026-11-23',
      visit: null,
      snippet: [{ text: 'warning', hit: true }, { text: ' notice', hit: false }],
    };
    answer(invoke, { search: () => [letterHit] });
    render(SearchBox);
    await fireEvent.input(box(), { target: { value: 'warning' } });
    const link = await screen.findByRole('link');
    expect(link.textContent).toContain('Letter, 23 November 2026');
    expect(link.getAttribute('href')).toBe('#/school/990007/letter/letter-1');
  });

  it('shows only the answer to the latest words typed', async () => {
    let finishFirst: (hits: SearchHit[]) => void = () => {};
    invoke.mockImplementation((_command: string, args: { text: string }) =>
      args.text === 're' ? new Promise((resolve) => (finishFirst = resolve)) : Promise.resolve([visitHit]),
    );
    render(SearchBox);
    await fireEvent.input(box(), { target: { value: 're' } });
    await fireEvent.input(box(), { target: { value: 'reading' } });
    await screen.findByText(/Visit notes/);
    finishFirst([actionHit]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByText(/Westfield/)).toBeNull();
  });

  it('says when nothing matches, closes on Escape and moves into the results with ↓', async () => {
    answer(invoke, { search: (args) => ((args?.text as string) === 'zzz' ? [] : [visitHit]) });
    render(SearchBox);
    await fireEvent.input(box(), { target: { value: 'zzz' } });
    expect(await screen.findByText('No visit notes, actions or letters match “zzz”.')).toBeTruthy();

    await fireEvent.input(box(), { target: { value: 'reading' } });
    const link = await screen.findByRole('link');
    box().focus();
    await fireEvent.keyDown(box(), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(link);
    await fireEvent.keyDown(link, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(box());
    await fireEvent.keyDown(box(), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('link')).toBeNull());

    await fireEvent.input(box(), { target: { value: '  ' } });
    expect(document.getElementById('search-results')).toBeNull();
  });
});
