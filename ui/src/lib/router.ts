// The app's places, kept in the URL hash so a reload keeps the adviser where
// they were: the dashboard, "#/" (the home page; with the list behind one of
// its figures open, "#/home/visits-due"), the school table "#/caseload" and
// "#/all", "#/school/990001", a school's scoring
// screen, "#/school/990001/review", and its performance data, "#/school/990001/data".
// A visit is "#/school/990001/visit/<visit id>"; the planned visits, "#/visits".
// A letter is "#/school/990001/letter/<letter id>"; printing letters in a batch, "#/letters".
// A concern about an academy is "#/school/990031/concern/<concern id>".
// MSP groups are "#/msp"; one group "#/msp/<group id>", one of its meetings
// "#/msp/<group id>/meeting/<meeting id>". The authority-wide view is "#/authority".

import { isDashboardList, type DashboardList } from './dashboard';
import type { Scope } from './types';

export type Route =
  | { page: 'dashboard'; list: DashboardList | null }
  | { page: 'schools'; scope: Scope }
  | { page: 'school'; urn: number }
  | { page: 'review'; urn: number }
  | { page: 'data'; urn: number }
  | { page: 'visit'; urn: number; id: string }
  | { page: 'letter'; urn: number; id: string }
  | { page: 'concern'; urn: number; id: string }
  | { page: 'planned' }
  | { page: 'letters' }
  | { page: 'authority' }
  | { page: 'msp-groups' }
  | { page: 'msp-group'; group: string }
  | { page: 'msp-meeting'; group: string; id: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MSP = new RegExp(`^msp/(${UUID})(?:/meeting/(${UUID}))?$`);

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const record = /^school\/(\d+)\/(visit|letter|concern)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(path);
  if (record && Number.isSafeInteger(Number(record[1])) && Number(record[1]) > 0) {
    const kind = record[2];
    const page = kind === 'letter' || kind === 'concern' ? kind : 'visit';
    return { page, urn: Number(record[1]), id: record[3] };
  }
  if (path === 'visits') return { page: 'planned' };
  if (path === 'letters') return { page: 'letters' };
  if (path === 'authority') return { page: 'authority' };
  if (path === 'msp') return { page: 'msp-groups' };
  const msp = MSP.exec(path);
  if (msp) return msp[2] ? { page: 'msp-meeting', group: msp[1], id: msp[2] } : { page: 'msp-group', group: msp[1] };
  const school = /^school\/(\d+)(?:\/(review|data))?$/.exec(path);
  if (school) {
    const urn = Number(school[1]);
    const [, , sub] = school;
    const page = sub === 'review' || sub === 'data' ? sub : 'school';
    if (Number.isSafeInteger(urn) && urn > 0) return { page, urn };
  }
  if (path === 'caseload' || path === 'all') return { page: 'schools', scope: path };
  const home = /^home\/([a-z-]+)$/.exec(path);
  return { page: 'dashboard', list: home && isDashboardList(home[1]) ? home[1] : null };
}

export const HOME_HREF = '#/';

/** The dashboard with the list behind one of its figures open. */
export function dashboardHref(list: DashboardList): string {
  return `#/home/${list}`;
}

export function schoolsHref(scope: Scope): string {
  return `#/${scope}`;
}

export function schoolHref(urn: number): string {
  return `#/school/${urn}`;
}

export function reviewHref(urn: number): string {
  return `#/school/${urn}/review`;
}

export function dataHref(urn: number): string {
  return `#/school/${urn}/data`;
}

export function visitHref(urn: number, id: string): string {
  return `#/school/${urn}/visit/${id}`;
}

export function letterHref(urn: number, id: string): string {
  return `#/school/${urn}/letter/${id}`;
}

export function concernHref(urn: number, id: string): string {
  return `#/school/${urn}/concern/${id}`;
}

export const PLANNED_HREF = '#/visits';

export const LETTERS_HREF = '#/letters';

export const AUTHORITY_HREF = '#/authority';

export const MSP_HREF = '#/msp';

export function mspGroupHref(group: string): string {
  return `#/msp/${group}`;
}

export function mspMeetingHref(group: string, id: string): string {
  return `#/msp/${group}/meeting/${id}`;
}
