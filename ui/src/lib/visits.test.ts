import { describe, expect, it } from 'vitest';
import {
  actionStateLabel,
  draftOf,
  editorSections,
  isDate,
  noteAreas,
  notesOf,
  noteTexts,
  shortcutOf,
  todayIso,
  visitForm,
} from './visits';
import { visit } from '../test/visitFixtures';

const areas = [
  { id: 'leadership', name: 'Leadership' },
  { id: 'teaching', name: 'Teaching' },
];

function keys(key: string, more: Partial<KeyboardEvent> = {}) {
  return { key, code: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...more };
}

describe('the editor’s sections', () => {
  it('writes under the set’s areas, any earlier set’s area the notes hold, then other notes', () => {
    const notes = [
      { area: 'general', evidence: 'From the CLI', judgement: null },
      { area: 'old-area', evidence: 'Under last year’s set', judgement: null },
      { area: 'teaching', evidence: 'Brisk starts', judgement: null },
    ];
    expect(noteAreas(areas, notes).map((area) => area.id)).toEqual(['leadership', 'teaching', 'old-area', 'general']);
    expect(noteAreas(areas, [])).toEqual([...areas, { id: 'general', name: 'Other notes' }]);
  });

  it('puts the details first and the actions last', () => {
    expect(editorSections(areas).map((section) => section.id)).toEqual([
      'details',
      'area-leadership',
      'area-teaching',
      'strengths',
      'development',
      'actions',
    ]);
  });
});

describe('notes typed and saved', () => {
  it('round-trips the notes through the form, keeping text exactly as typed', () => {
    const notes = [{ area: 'teaching', evidence: 'Year 4 books  ', judgement: 'Strong' }];
    const texts = noteTexts(areas, notes);
    expect(texts).toEqual({
      leadership: { evidence: '', judgement: '' },
      teaching: { evidence: 'Year 4 books  ', judgement: 'Strong' },
    });
    expect(notesOf(areas, texts)).toEqual(notes);
  });

  it('saves only the areas with something typed, a blank judgement as none', () => {
    const texts = {
      leadership: { evidence: 'Leaders know the school', judgement: '' },
      teaching: { evidence: '', judgement: '' },
    };
    expect(notesOf(areas, texts)).toEqual([{ area: 'leadership', evidence: 'Leaders know the school', judgement: null }]);
  });

  it('makes the draft from the form without touching the visit it came from', () => {
    const original = visit({ activities: ['work-scrutiny'] });
    const form = visitForm(original, areas);
    form.visit.activities.push('data-review');
    form.notes.leadership.evidence = 'Typed';
    expect(draftOf(form, areas)).toMatchObject({
      id: original.id,
      activities: ['work-scrutiny', 'data-review'],
      notes: [{ area: 'leadership', evidence: 'Typed', judgement: null }],
    });
    expect(original.activities).toEqual(['work-scrutiny']);
  });
});

describe('keyboard shortcuts', () => {
  it('goes to a section by Alt and its number, by its key code whatever the layout types', () => {
    expect(shortcutOf(keys('2', { altKey: true, code: 'Digit2' }), -1, 6)).toEqual({ section: 1 });
    expect(shortcutOf(keys('¡', { altKey: true, code: 'Digit1' }), 3, 6)).toEqual({ section: 0 });
    expect(shortcutOf(keys('7', { altKey: true, code: 'Digit7' }), 0, 6)).toBeNull();
    expect(shortcutOf(keys('2', { code: 'Digit2' }), 0, 6)).toBeNull();
  });

  it('steps to the next or previous section with Ctrl and an arrow, stopping at the ends', () => {
    expect(shortcutOf(keys('ArrowDown', { ctrlKey: true }), 2, 6)).toEqual({ section: 3 });
    expect(shortcutOf(keys('ArrowDown', { ctrlKey: true }), 5, 6)).toEqual({ section: 5 });
    expect(shortcutOf(keys('ArrowUp', { ctrlKey: true }), 0, 6)).toEqual({ section: 0 });
    // Focus outside any section: the first one either way.
    expect(shortcutOf(keys('ArrowDown', { ctrlKey: true }), -1, 6)).toEqual({ section: 0 });
    expect(shortcutOf(keys('ArrowUp', { ctrlKey: true }), -1, 6)).toEqual({ section: 0 });
  });

  it('adds an action with Ctrl+Enter and leaves other keys to the page', () => {
    expect(shortcutOf(keys('Enter', { ctrlKey: true }), 0, 6)).toBe('add-action');
    expect(shortcutOf(keys('Enter'), 0, 6)).toBeNull();
    expect(shortcutOf(keys('Enter', { ctrlKey: true, shiftKey: true }), 0, 6)).toBeNull();
    expect(shortcutOf(keys('ArrowDown', { ctrlKey: true, altKey: true }), 0, 6)).toBeNull();
    expect(shortcutOf(keys('ArrowDown'), 0, 6)).toBeNull();
  });
});

describe('words and dates', () => {
  it('says how an action stands', () => {
    expect(actionStateLabel({ state: 'open' })).toBe('Open');
    expect(actionStateLabel({ state: 'done', on: '2026-12-03' })).toBe('Done on 3 December 2026');
    expect(actionStateLabel({ state: 'dropped', on: '2026-12-03', reason: 'In the MSP plan' })).toBe(
      'Dropped on 3 December 2026: In the MSP plan',
    );
  });

  it('knows a date that exists from one that does not', () => {
    expect(isDate('2028-02-29')).toBe(true);
    for (const text of ['2027-02-29', '2026-13-01', '2026-11-31', '23/11/2026', '', '2026-1-5']) {
      expect(isDate(text)).toBe(false);
    }
  });

  it('gives today in the adviser’s own time zone', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
