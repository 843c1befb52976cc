import { describe, expect, it } from 'vitest';
import {
  acceptSuggestion,
  agreeProblems,
  carriedStatements,
  formOf,
  groupStatements,
  isAccepted,
  marksOf,
  overrideOf,
} from './review';
import { draftReview, smallSet, standInScore } from '../test/fixtures';

describe('groupStatements', () => {
  it('groups by area, then level from low to high, in the set’s order', () => {
    const groups = groupStatements(smallSet);
    expect(groups.map((group) => group.area.id)).toEqual(['leadership', 'teaching']);
    expect(groups[0].levels.map((level) => [level.level, level.statements.map((statement) => statement.id)])).toEqual([
      ['low', ['l-low']],
      ['medium', ['l-medium']],
      ['high', ['l-high', 'l-safeguarding']],
    ]);
  });
});

describe('the review form', () => {
  it('turns ticks into marks in the set’s order, with trimmed notes and blank ones left out', () => {
    const form = formOf(null);
    form.ticked = { 't-high': true, 'l-low': true, 'l-medium': false };
    form.notes = { 't-high': '  Books show gaps ', 'l-low': '   ', 'l-medium': 'kept for later' };
    expect(marksOf(smallSet, form)).toEqual([
      { statement: 'l-low' },
      { statement: 't-high', evidence: 'Books show gaps' },
    ]);
  });

  it('comes back from a saved draft as it was left', () => {
    const draft = draftReview([{ statement: 'l-high', evidence: 'Turnover' }, { statement: 't-low' }], {
      category: 'low',
      rationale: 'New leadership team',
    });
    const form = formOf(draft);
    expect(marksOf(smallSet, form)).toEqual(draft.marks);
    expect(overrideOf(form)).toEqual(draft.overridden);
    expect(formOf(null)).toEqual({ ticked: {}, notes: {}, overruling: false, overrideCategory: null, rationale: '' });
  });

  it('has an override only once overruling with a category chosen', () => {
    const form = formOf(null);
    form.overrideCategory = 'high';
    expect(overrideOf(form)).toBeNull();
    form.overruling = true;
    form.rationale = ' Warning notice issued ';
    expect(overrideOf(form)).toEqual({ category: 'high', rationale: 'Warning notice issued' });
  });

  it('says what stops the review being agreed, field by field', () => {
    const form = formOf(null);
    expect(Object.keys(agreeProblems(form, []))).toEqual(['marks']);
    form.overruling = true;
    form.rationale = '  ';
    expect(Object.keys(agreeProblems(form, [{ statement: 'l-low' }]))).toEqual(['category', 'rationale']);
    form.overrideCategory = 'medium';
    form.rationale = 'Because';
    expect(agreeProblems(form, [{ statement: 'l-low' }])).toEqual({});
  });
});

describe('carriedStatements', () => {
  it('collects the statements that carried each area’s best fit', () => {
    const card = standInScore(smallSet, [{ statement: 'l-low' }, { statement: 't-medium' }, { statement: 't-low' }]);
    expect([...carriedStatements(card)].sort()).toEqual(['l-low', 't-medium']);
    expect(carriedStatements(null).size).toBe(0);
  });
});

describe('accepting a suggestion from the data', () => {
  const sentence = 'KS2 results were below national in each of the last three years.';

  it('ticks the statement with the sentence as its evidence, leaving the form it was given alone', () => {
    const form = formOf(null);
    const accepted = acceptSuggestion(form, 't-high', sentence);
    expect(marksOf(smallSet, accepted)).toEqual([{ statement: 't-high', evidence: sentence }]);
    expect(isAccepted(accepted, 't-high', sentence)).toBe(true);
    expect(form.ticked).toEqual({});
    expect(isAccepted(form, 't-high', sentence)).toBe(false);
  });

  it('adds the sentence after a note already written, once', () => {
    const form = formOf(draftReview([{ statement: 't-high', evidence: 'Books show gaps' }]));
    const accepted = acceptSuggestion(acceptSuggestion(form, 't-high', sentence), 't-high', sentence);
    expect(accepted.notes['t-high']).toBe(`Books show gaps\n${sentence}`);
  });

  it('is no longer accepted once unticked', () => {
    const accepted = acceptSuggestion(formOf(null), 't-high', sentence);
    accepted.ticked['t-high'] = false;
    expect(isAccepted(accepted, 't-high', sentence)).toBe(false);
  });
});
