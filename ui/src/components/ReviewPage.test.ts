import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ReviewPage from './ReviewPage.svelte';
import {
  draftReview,
  emptyPanel,
  firstReview,
  ks2Sentence,
  otherSet,
  secondReview,
  smallPanel,
  smallSet,
  standInScore,
  stMarysProfile,
} from '../test/fixtures';
import { answer, type Handler } from '../test/tauri';
import type { CriteriaSet, HistoryEntry, Mark, MarkedReview, Review } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

const sets: Record<string, CriteriaSet> = { small: smallSet, other: otherSet };

function backEnd(draft: Review | null, history: HistoryEntry[] = [], more: Record<string, Handler> = {}) {
  answer(invoke, {
    school_profile: () => stMarysProfile,
    review_draft: () => draft,
    criteria_sets: () => [smallSet, otherSet],
    criteria_set: (args) => sets[(args?.set as string | null) ?? 'small'],
    review_history: () => history,
    score_marks: (args) => standInScore(sets[args?.set as string], args?.marks as Mark[]),
    save_review_draft: (args) => draftReview((args?.review as MarkedReview).marks),
    performance_panel: () => emptyPanel,
    ...more,
  });
}

function openScreen() {
  render(ReviewPage, { urn: 990001, schoolHref: '#/school/990001' });
  return screen.findByRole('heading', { level: 1 });
}

function box(statement: string): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>(`input[data-statement="${statement}"]`);
  if (!input) throw new Error(`no checkbox for ${statement}`);
  return input;
}

function overall(): string {
  return document.getElementById('overall-category')?.textContent?.trim() ?? '';
}

function callsOf(command: string): Record<string, unknown>[] {
  return invoke.mock.calls.filter(([name]) => name === command).map(([, args]) => args as Record<string, unknown>);
}

/** The draft sent with the `index`th save, or the last one. */
function savedReview(index?: number): MarkedReview | undefined {
  const saves = callsOf('save_review_draft');
  return saves[index ?? saves.length - 1]?.review as MarkedReview | undefined;
}

describe('scoring screen', () => {
  it('opens on the draft under way, statements by area and level, with the back end’s best fit', async () => {
    backEnd(draftReview([{ statement: 'l-medium', evidence: 'Two leaders new in post' }]), [firstReview, secondReview]);
    const heading = await openScreen();
    expect(heading.textContent).toContain('St Mary’s Church of England Primary School');
    expect(heading.textContent).toContain('Support category review');
    expect(invoke).toHaveBeenCalledWith('criteria_set', { set: 'small' });

    const leadership = screen.getByRole('region', { name: 'Leadership' });
    const legends = within(leadership)
      .getAllByRole('group')
      .map((group) => group.querySelector('legend')?.textContent?.replace(/\s+/g, ' ').trim());
    expect(legends).toEqual(['Low support 0 of 1 ticked', 'Medium support 1 of 1 ticked', 'High support 0 of 2 ticked']);
    expect(box('l-medium').checked).toBe(true);
    expect((screen.getByLabelText(/Evidence/) as HTMLTextAreaElement).value).toBe('Two leaders new in post');
    await waitFor(() => expect(overall()).toBe('Medium support'));
    expect(callsOf('score_marks')[0]).toEqual({
      set: 'small',
      marks: [{ statement: 'l-medium', evidence: 'Two leaders new in post' }],
    });
    expect(screen.getByText('Draft last saved on 20 November 2026.')).toBeTruthy();
    // The set cannot change under ticks already made.
    expect(document.getElementById('criteria-set')).toBeNull();
    expect(screen.getByText('A small set')).toBeTruthy();
    // Decisive and data-reading statements say so.
    expect(screen.getByText('Decisive: on its own places the school in high support')).toBeTruthy();
    expect(screen.getByText('See data: attainment')).toBeTruthy();
  });

  it('asks the back end for the best fit on every tick and saves the draft', async () => {
    backEnd(null);
    await openScreen();
    expect(overall()).toBe('Nothing ticked yet');

    await fireEvent.click(box('l-low'));
    await waitFor(() => expect(overall()).toBe('Low support'));
    await waitFor(() =>
      expect(callsOf('save_review_draft')).toEqual([
        { urn: 990001, review: { set: 'small', marks: [{ statement: 'l-low' }], overridden: null } },
      ]),
    );
    expect(screen.getByText('Draft saved.')).toBeTruthy();
    const leadershipRow = document.querySelector('#area-fits tr[data-area="leadership"]') as HTMLElement;
    expect(leadershipRow.textContent).toContain('Low support');
    expect(document.querySelector('[data-carries="l-low"]')).not.toBeNull();

    await fireEvent.click(box('l-safeguarding'));
    await waitFor(() => expect(overall()).toBe('High support'));
    const decisive = document.getElementById('decisive-reasons') as HTMLElement;
    expect(decisive.textContent).toContain('Safeguarding statutory responsibilities are not met');

    await fireEvent.click(box('l-safeguarding'));
    await waitFor(() => expect(overall()).toBe('Low support'));
    expect(document.getElementById('decisive-reasons')).toBeNull();
    const reasons = document.getElementById('overall-reasons') as HTMLElement;
    expect(within(reasons).getByText('Leaders are strong')).toBeTruthy();
  });

  it('saves an evidence note once typing pauses, and only the latest text', async () => {
    backEnd(null);
    await openScreen();
    await fireEvent.click(box('t-medium'));
    await waitFor(() => expect(callsOf('save_review_draft')).toHaveLength(1));
    const note = screen.getByLabelText(/Evidence/);
    await fireEvent.input(note, { target: { value: 'Year 4' } });
    await fireEvent.input(note, { target: { value: 'Year 4 books show gaps ' } });
    await waitFor(() => expect(callsOf('save_review_draft')).toHaveLength(2), { timeout: 2000 });
    expect(savedReview(1)?.marks).toEqual([
      { statement: 't-medium', evidence: 'Year 4 books show gaps' },
    ]);
  });

  it('needs a category and a rationale to overrule, confirms, then shows the agreed review in the history', async () => {
    const agreed: Review = {
      ...draftReview([{ statement: 'l-low' }], { category: 'medium', rationale: 'Headteacher leaves at Christmas' }),
      status: 'agreed',
      computed: 'low',
      reviewed_on: '2026-11-23',
    };
    const afterwards: HistoryEntry = {
      ...secondReview,
      review: agreed.id,
      reviewed_on: '2026-11-23',
      category: 'medium',
      overridden: true,
      rationale: 'Headteacher leaves at Christmas',
      direction: 'steady',
    };
    let history = [secondReview];
    backEnd(null, [], {
      review_history: () => history,
      agree_review: () => {
        history = [secondReview, afterwards];
        return agreed;
      },
    });
    await openScreen();
    await fireEvent.click(box('l-low'));
    await waitFor(() => expect(overall()).toBe('Low support'));

    await fireEvent.click(screen.getByLabelText('Overrule the computed category'));
    await fireEvent.click(screen.getByRole('button', { name: 'Agree review' }));
    expect(screen.getByText('Choose the category you place the school in')).toBeTruthy();
    expect(screen.getByText('Write why you overrule the computed category')).toBeTruthy();
    expect(document.activeElement?.id).toBe('override-low');
    expect(callsOf('agree_review')).toHaveLength(0);

    await fireEvent.click(screen.getByLabelText('Medium support'));
    await fireEvent.input(screen.getByLabelText('Rationale'), {
      target: { value: 'Headteacher leaves at Christmas' },
    });
    await waitFor(() =>
      expect(savedReview()?.overridden).toEqual({
        category: 'medium',
        rationale: 'Headteacher leaves at Christmas',
      }),
      { timeout: 2000 },
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Agree review' }));
    const confirm = document.getElementById('confirm-agree-panel') as HTMLElement;
    expect(confirm.textContent).toContain('Medium support');
    expect(confirm.textContent).toContain('overruling the computed low support');
    expect(confirm.textContent).toContain('never changes');
    expect(document.activeElement?.id).toBe('confirm-heading');

    await fireEvent.click(screen.getByRole('button', { name: 'Yes, agree the review' }));
    const notice = await screen.findByText(/Review agreed on 23 November 2026/);
    expect(notice.closest('#agreed-notice')?.textContent).toContain('Medium support, overruling the computed low support');
    expect(callsOf('agree_review')).toEqual([
      {
        urn: 990001,
        review: {
          set: 'small',
          marks: [{ statement: 'l-low' }],
          overridden: { category: 'medium', rationale: 'Headteacher leaves at Christmas' },
        },
      },
    ]);
    const rows = document.querySelectorAll('#history tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('23 November 2026');
    expect(rows[0].textContent).toContain('Medium support');
    expect(rows[0].textContent).toContain('Yes: Headteacher leaves at Christmas');
    expect(rows[0].textContent).toMatch(/→\sSteady/);
    // The next review starts from nothing.
    expect(box('l-low').checked).toBe(false);
    expect((screen.getByLabelText('Overrule the computed category') as HTMLInputElement).checked).toBe(false);
    await waitFor(() => expect(overall()).toBe('Nothing ticked yet'));
  });

  it('says what to do when nothing is ticked, and cancels a confirmation with Escape', async () => {
    backEnd(null);
    await openScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Agree review' }));
    expect(screen.getByText('Tick the statements that apply before agreeing the review')).toBeTruthy();

    await fireEvent.click(box('t-low'));
    await fireEvent.click(screen.getByRole('button', { name: 'Agree review' }));
    expect(document.getElementById('confirm-agree-panel')).not.toBeNull();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(document.getElementById('confirm-agree-panel')).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe('agree-review'));
    expect(callsOf('agree_review')).toHaveLength(0);
  });

  it('offers what the data suggests, ticking a statement only when the adviser accepts it', async () => {
    backEnd(null, [], { performance_panel: () => smallPanel });
    await openScreen();
    expect(callsOf('performance_panel')).toEqual([{ urn: 990001, set: 'small' }]);
    const suggestions = await screen.findByRole('region', { name: 'Suggested by the school’s data' });
    const ks2 = suggestions.querySelector('[data-suggestion="consistently-below-national/ks2-rwm-expected"]') as HTMLElement;
    expect(ks2.textContent).toContain(ks2Sentence);
    expect(within(ks2).getByRole('row', { name: /2024\/25/ }).textContent).toMatch(/47%\s*60%\s*62%/);
    expect(ks2.textContent).toContain('Too much teaching is inadequate');
    const attendance = suggestions.querySelector('[data-suggestion="attendance-low-not-improving/overall-absence"]');
    expect(attendance?.textContent).toContain('No statement of the A small set matches it.');
    expect(document.querySelector('[data-suggested="t-high"]')?.textContent).toBe('Suggested by the data');
    // Offered, not ticked.
    expect(box('t-high').checked).toBe(false);
    expect(overall()).toBe('Nothing ticked yet');
    expect(callsOf('save_review_draft')).toHaveLength(0);

    await fireEvent.click(within(ks2).getByRole('button', { name: 'Accept: tick this statement' }));
    expect(box('t-high').checked).toBe(true);
    expect((document.querySelector('[data-evidence="t-high"]') as HTMLTextAreaElement).value).toBe(ks2Sentence);
    await waitFor(() => expect(overall()).toBe('High support'));
    await waitFor(() =>
      expect(savedReview()?.marks).toEqual([{ statement: 't-high', evidence: ks2Sentence }]),
    );
    const accepted = within(ks2).getByText('✓ Ticked, with this sentence as evidence');
    await waitFor(() => expect(document.activeElement).toBe(accepted));
    expect(within(ks2).queryByRole('button')).toBeNull();
  });

  it('scores without the data when it cannot be read, and asks again for another set', async () => {
    let fail = true;
    backEnd(null, [], {
      performance_panel: (args) => {
        if (fail) throw 'the store is busy';
        return { ...smallPanel, criteria_set: args?.set as string };
      },
    });
    await openScreen();
    expect((await screen.findByRole('alert')).textContent).toContain('the store is busy');
    await fireEvent.click(box('l-low'));
    await waitFor(() => expect(overall()).toBe('Low support'));
    await fireEvent.click(box('l-low'));

    fail = false;
    await fireEvent.change(screen.getByLabelText('Criteria'), { target: { value: 'other' } });
    await waitFor(() => expect(callsOf('performance_panel')).toContainEqual({ urn: 990001, set: 'other' }));
    await waitFor(() => expect(document.getElementById('data-suggestions')).not.toBeNull());
    expect(screen.queryByText(/the store is busy/)).toBeNull();
  });

  it('offers the other criteria sets while nothing is ticked', async () => {
    backEnd(null);
    await openScreen();
    const choice = screen.getByLabelText('Criteria') as HTMLSelectElement;
    expect([...choice.options].map((option) => option.textContent)).toEqual(['A small set', 'Another set']);
    await fireEvent.change(choice, { target: { value: 'other' } });
    expect(screen.getByRole('region', { name: 'Inclusion' })).toBeTruthy();
    await fireEvent.click(box('i-high'));
    await waitFor(() => expect(overall()).toBe('High support'));
    await waitFor(() => expect(savedReview()?.set).toBe('other'));
    expect(screen.queryByLabelText('Criteria')).toBeNull();
  });

  it('shows the back end’s words when the draft cannot be saved or the review agreed', async () => {
    backEnd(null, [], {
      save_review_draft: () => {
        throw 'database error: disk I/O error';
      },
      agree_review: () => {
        throw 'an override needs a written rationale';
      },
    });
    await openScreen();
    await fireEvent.click(box('l-high'));
    const status = await screen.findByText(/The draft could not be saved/);
    expect(status.textContent).toContain('disk I/O error');
    expect(status.getAttribute('role')).toBe('alert');

    await fireEvent.click(screen.getByRole('button', { name: 'Agree review' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, agree the review' }));
    const error = await screen.findByText('an override needs a written rationale');
    expect(error.closest('#agree-error')).not.toBeNull();
    expect(box('l-high').checked).toBe(true);
  });
});
