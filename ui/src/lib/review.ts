// The scoring screen's bookkeeping: statements grouped for display, the
// adviser's ticks, notes and override turned into what is saved and back, a
// suggestion from the data accepted into them, and which ticked statements
// the back end says carried a result. The best fit itself is never worked
// out here: the screen asks `score_marks` on every tick.

import { CATEGORIES } from './category';
import type {
  CriteriaArea,
  CriteriaSet,
  Mark,
  Override,
  Review,
  Scorecard,
  Share,
  Statement,
  SupportCategory,
} from './types';

export interface LevelGroup {
  level: SupportCategory;
  statements: Statement[];
}

export interface AreaGroup {
  area: CriteriaArea;
  /** Low to high, each level that has statements, in the set's order within it. */
  levels: LevelGroup[];
}

export function groupStatements(set: CriteriaSet): AreaGroup[] {
  return set.areas.map((area) => ({
    area,
    levels: CATEGORIES.map((level) => ({
      level,
      statements: set.statements.filter((statement) => statement.area === area.id && statement.level === level),
    })).filter((group) => group.statements.length > 0),
  }));
}

/** What the adviser has ticked and written on the scoring screen. */
export interface ReviewForm {
  ticked: Record<string, boolean>;
  /** Kept when a statement is unticked, so ticking it again brings the note back. */
  notes: Record<string, string>;
  overruling: boolean;
  overrideCategory: SupportCategory | null;
  rationale: string;
}

/** The form as a saved draft left it, or empty when there is none. */
export function formOf(review: Review | null): ReviewForm {
  const form: ReviewForm = {
    ticked: {},
    notes: {},
    overruling: review?.overridden != null,
    overrideCategory: review?.overridden?.category ?? null,
    rationale: review?.overridden?.rationale ?? '',
  };
  for (const mark of review?.marks ?? []) {
    form.ticked[mark.statement] = true;
    if (mark.evidence) form.notes[mark.statement] = mark.evidence;
  }
  return form;
}

/** The marks to score and save: ticked statements in the set's order, blank notes left out. */
export function marksOf(set: CriteriaSet, form: ReviewForm): Mark[] {
  return set.statements
    .filter((statement) => form.ticked[statement.id])
    .map((statement) => {
      const evidence = form.notes[statement.id]?.trim() ?? '';
      return evidence === '' ? { statement: statement.id } : { statement: statement.id, evidence };
    });
}

/** The override being written, once a category is chosen. */
export function overrideOf(form: ReviewForm): Override | null {
  if (!form.overruling || form.overrideCategory === null) return null;
  return { category: form.overrideCategory, rationale: form.rationale.trim() };
}

/** Why the review cannot be agreed yet, by field; empty when it can. */
export interface AgreeProblems {
  marks?: string;
  category?: string;
  rationale?: string;
}

export function agreeProblems(form: ReviewForm, marks: readonly Mark[]): AgreeProblems {
  const problems: AgreeProblems = {};
  if (marks.length === 0) problems.marks = 'Tick the statements that apply before agreeing the review';
  if (form.overruling) {
    if (form.overrideCategory === null) problems.category = 'Choose the category you place the school in';
    if (form.rationale.trim() === '') problems.rationale = 'Write why you overrule the computed category';
  }
  return problems;
}

/**
 * The form once the adviser accepts a suggestion from the data: the statement
 * ticked, and the suggestion's sentence in its evidence note after anything
 * already written there.
 */
export function acceptSuggestion(form: ReviewForm, statement: string, sentence: string): ReviewForm {
  const note = form.notes[statement]?.trim() ?? '';
  const evidence = note.includes(sentence) ? note : [note, sentence].filter((part) => part !== '').join('\n');
  return {
    ...form,
    ticked: { ...form.ticked, [statement]: true },
    notes: { ...form.notes, [statement]: evidence },
  };
}

/** Whether the statement is ticked with the suggestion's sentence in its note. */
export function isAccepted(form: ReviewForm, statement: string, sentence: string): boolean {
  return form.ticked[statement] === true && (form.notes[statement] ?? '').includes(sentence);
}

/** The ticked statements that carried their area's best fit, by the back end's reasons. */
export function carriedStatements(card: Scorecard | null): Set<string> {
  return new Set(card?.areas.flatMap((area) => area.reasons.map((reason) => reason.statement)) ?? []);
}

/** "2 of 5" */
export function describeShare(share: Share): string {
  return `${share.met} of ${share.of}`;
}
