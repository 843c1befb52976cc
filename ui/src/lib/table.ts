// Filtering and sorting of the school table. Pure presentation over rows the
// store has already chosen: nothing here decides which schools an adviser
// may see, and nothing here calls the back end.

import { CATEGORIES } from './category';
import type { Direction, SchoolRow } from './types';

export type SortKey =
  | 'name'
  | 'urn'
  | 'phase'
  | 'type'
  | 'maintained'
  | 'ofsted'
  | 'ward'
  | 'category'
  | 'direction'
  | 'review'
  | 'visits'
  | 'actions';
export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  key: SortKey;
  direction: SortDirection;
}

/** "maintained" and "academy" narrow to that governance; "all" keeps every row. */
export type GovernanceFilter = 'all' | 'maintained' | 'academy';

export interface TableFilter {
  /** Free text matched against name, URN, ward, town, type and trust. */
  text: string;
  /** A phase id such as "primary", or "" for every phase. */
  phase: string;
  governance: GovernanceFilter;
}

export const NO_FILTER: TableFilter = { text: '', phase: '', governance: 'all' };
export const DEFAULT_SORT: SortOrder = { key: 'name', direction: 'ascending' };

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'variant' });

/** Locale-aware comparison, so "Zoë" sits beside "Zoe" and not after "Zz". */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Folds text for matching: lower case, accents and apostrophes removed, so
 * "st marys" and "St Mary's" both find "St Mary’s", and "zoe" finds "Zoë".
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['\u2018\u2019\u02bc`\u00b4]/g, '')
    .toLowerCase();
}

function searchableFields(row: SchoolRow): string[] {
  const fields = [row.name, String(row.urn), row.ward, row.town, row.type, row.trust];
  return fields.filter((field): field is string => field !== null && field !== '').map(foldForSearch);
}

/**
 * Keeps the rows that match every word of the filter text (each word in any
 * field) and the chosen phase and governance. Row order is kept.
 */
export function filterSchools(rows: readonly SchoolRow[], filter: TableFilter): SchoolRow[] {
  const terms = foldForSearch(filter.text).split(/\s+/).filter((term) => term !== '');
  return rows.filter((row) => {
    if (filter.phase !== '' && row.phase !== filter.phase) return false;
    if (filter.governance !== 'all' && row.governance !== filter.governance) return false;
    if (terms.length === 0) return true;
    const fields = searchableFields(row);
    return terms.every((term) => fields.some((field) => field.includes(term)));
  });
}

/** The order GIAS lists phases in, which advisers read from youngest to oldest. */
const PHASE_ORDER = [
  'nursery',
  'primary',
  'middle_deemed_primary',
  'secondary',
  'middle_deemed_secondary',
  'sixteen_plus',
  'all_through',
  'not_applicable',
];

function phaseRank(phase: string): number {
  const rank = PHASE_ORDER.indexOf(phase);
  return rank === -1 ? PHASE_ORDER.length : rank;
}

function comparePhase(a: SchoolRow, b: SchoolRow): number {
  return phaseRank(a.phase) - phaseRank(b.phase) || compareText(a.phase_label, b.phase_label);
}

/** Improving first when ascending, as categories run from low support up. */
const DIRECTION_ORDER: readonly Direction[] = ['improving', 'steady', 'declining'];

/** The value a column sorts on; null means "not recorded" and always sorts last. */
function sortValue(row: SchoolRow, key: SortKey): string | number | null {
  switch (key) {
    case 'name':
      return row.name;
    case 'urn':
      return row.urn;
    case 'phase':
      return row.phase;
    case 'type':
      return row.type;
    case 'maintained':
      // Maintained schools first when ascending: they are the authority's own.
      return row.maintained ? 0 : 1;
    case 'ofsted':
      return row.ofsted;
    case 'ward':
      return row.ward;
    case 'category':
      return row.category === null ? null : CATEGORIES.indexOf(row.category);
    case 'direction':
      return row.direction === null ? null : DIRECTION_ORDER.indexOf(row.direction);
    case 'review':
      // Reviews due this term first when ascending: they are the ones to do.
      return row.review_due ? 0 : 1;
    case 'visits':
      // Most owed first when ascending, overdue visits before any number merely due.
      return -(row.visits_overdue * 1000 + row.visits_due);
    case 'actions':
      // Most overdue first when ascending.
      return -row.actions_overdue;
  }
}

function compareBy(key: SortKey, a: SchoolRow, b: SchoolRow): number {
  if (key === 'phase') return comparePhase(a, b);
  const left = sortValue(a, key);
  const right = sortValue(b, key);
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  return compareText(String(left), String(right));
}

function isBlank(row: SchoolRow, key: SortKey): boolean {
  const value = sortValue(row, key);
  return value === null || value === '';
}

/**
 * Sorts by one column. Rows with nothing recorded in that column come last in
 * either direction; ties are broken by name (A to Z), and rows still equal
 * keep their original order.
 */
export function sortSchools(rows: readonly SchoolRow[], order: SortOrder): SchoolRow[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const blankA = isBlank(a.row, order.key);
      const blankB = isBlank(b.row, order.key);
      if (blankA !== blankB) return blankA ? 1 : -1;
      const primary = blankA ? 0 : sign * compareBy(order.key, a.row, b.row);
      if (primary !== 0) return primary;
      if (order.key !== 'name') {
        const byName = compareText(a.row.name, b.row.name);
        if (byName !== 0) return byName;
      }
      return a.index - b.index;
    })
    .map(({ row }) => row);
}

/** Clicking the sorted column reverses it; clicking another sorts it ascending. */
export function nextSort(current: SortOrder, key: SortKey): SortOrder {
  if (current.key === key) {
    return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  return { key, direction: 'ascending' };
}

export interface PhaseOption {
  value: string;
  label: string;
}

/** The phases present in the rows, in GIAS order, each once. */
export function phaseOptions(rows: readonly SchoolRow[]): PhaseOption[] {
  const seen = new Map<string, SchoolRow>();
  for (const row of rows) if (!seen.has(row.phase)) seen.set(row.phase, row);
  return [...seen.values()]
    .sort(comparePhase)
    .map((row) => ({ value: row.phase, label: row.phase_label }));
}

/** "Showing 12 of 30 schools". */
export function resultCount(shown: number, total: number): string {
  return `Showing ${shown} of ${total} ${total === 1 ? 'school' : 'schools'}`;
}
