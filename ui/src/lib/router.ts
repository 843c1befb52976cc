// The app's places, kept in the URL hash so a reload keeps the adviser where
// they were: "#/caseload", "#/all", "#/school/990001" and a school's scoring
// screen, "#/school/990001/review".

import type { Scope } from './types';

export type Route =
  | { page: 'schools'; scope: Scope | null }
  | { page: 'school'; urn: number }
  | { page: 'review'; urn: number };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const school = /^school\/(\d+)(\/review)?$/.exec(path);
  if (school) {
    const urn = Number(school[1]);
    if (Number.isSafeInteger(urn) && urn > 0) return { page: school[2] ? 'review' : 'school', urn };
  }
  if (path === 'caseload' || path === 'all') return { page: 'schools', scope: path };
  return { page: 'schools', scope: null };
}

export function schoolsHref(scope: Scope | null): string {
  return scope === null ? '#/' : `#/${scope}`;
}

export function schoolHref(urn: number): string {
  return `#/school/${urn}`;
}

export function reviewHref(urn: number): string {
  return `#/school/${urn}/review`;
}
