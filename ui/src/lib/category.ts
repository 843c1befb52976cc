// How support categories, directions of travel and terms read on screen.
// Words only: which category a school is in comes from the back end.

import type { Direction, SupportCategory, Term } from './types';

/** Lowest to highest level of support. */
export const CATEGORIES: readonly SupportCategory[] = ['low', 'medium', 'high'];

const CATEGORY_NAMES: Record<SupportCategory, string> = { low: 'Low', medium: 'Medium', high: 'High' };

/** "Low", as a badge in a column headed "Category". */
export function categoryName(category: SupportCategory): string {
  return CATEGORY_NAMES[category];
}

/** "Low support", as the strategy names the categories. */
export function categoryLabel(category: SupportCategory): string {
  return `${CATEGORY_NAMES[category]} support`;
}

export interface DirectionWords {
  arrow: string;
  words: string;
}

const DIRECTIONS: Record<Direction, DirectionWords> = {
  improving: { arrow: '↑', words: 'Improving' },
  steady: { arrow: '→', words: 'Steady' },
  declining: { arrow: '↓', words: 'Declining' },
};

/** The arrow people see and the words a screen reader says. Improving points up. */
export function describeDirection(direction: Direction): DirectionWords {
  return DIRECTIONS[direction];
}

const TERM_NAMES: Record<Term, string> = { autumn: 'Autumn', spring: 'Spring', summer: 'Summer' };

/** "Autumn 2026/27" for the autumn term of the year starting September 2026. */
export function termLabel(term: Term, year: number): string {
  return `${TERM_NAMES[term]} ${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}
