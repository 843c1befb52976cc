// Presentation of the authority-wide view: the back end counts and lists
// (`authority_view`); this turns its URN lists into rows and its shares
// into words. No rule about who is counted lives here.

import { categoryWords } from './dashboard';
import type { AuthoritySchool, AuthorityView, AuthorityCategoryCount, GoodShare, TermDirection } from './types';

/** A list opened from one of the view's figures. */
export interface OpenedList {
  title: string;
  urns: number[];
}

/** The view's schools whose URNs are in `urns`, in the view's order (by name). */
export function schoolsOf(view: AuthorityView, urns: number[]): AuthoritySchool[] {
  const wanted = new Set(urns);
  return view.schools.filter((school) => wanted.has(school.urn));
}

/** "83%" of a share, to the nearest whole number; a dash when nothing is judged. */
export function percentText(share: GoodShare): string {
  return share.percent === null ? '–' : `${Math.round(share.percent)}%`;
}

/** How a share stands against the target, in words. */
export function againstTarget(share: GoodShare, target: number): string {
  if (share.meets_target === null) return 'No inspection on record yet';
  const words = share.meets_target ? 'at or above' : 'below';
  const count = (value: number) => value.toLocaleString('en-GB');
  return `${count(share.good_or_better)} of ${count(share.judged)}, ${words} the target of ${target}%`;
}

/** The title of the list behind a count of `row`'s schools in one category. */
export function categoryListTitle(row: string, count: AuthorityCategoryCount): string {
  return `${row}: ${categoryWords(count.category).toLowerCase()}`;
}

/** The back end's words for a direction of travel. */
export function directionWords(view: AuthorityView, direction: TermDirection): string {
  return view.direction.find((entry) => entry.direction === direction)?.label ?? direction;
}
