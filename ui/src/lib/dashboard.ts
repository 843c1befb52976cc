// The dashboard's presentation: which lists it has, the rows each list
// shows with the page each row opens, and the category chart's geometry.
// What is due, done or overdue is the back end's answer (`dashboard`);
// every figure here is the length of a list it gave.

import { categoryLabel } from './category';
import { formatDate, sentenceCase } from './format';
import { letterHref, mspGroupHref, mspMeetingHref, reviewHref, schoolHref, visitHref } from './router';
import type { CategoryMove, Dashboard, OverdueAction, SchoolRef, SupportCategory } from './types';

/** A category as list names use it: "none" for schools not yet categorised. */
export type CategoryKey = SupportCategory | 'none';

const CATEGORY_KEYS: readonly CategoryKey[] = ['low', 'medium', 'high', 'none'];

const FIGURE_LISTS = [
  'visits-due',
  'visits-done',
  'visits-overdue',
  'msp-due',
  'msp-overdue',
  'actions-overdue',
  'not-reviewed',
  'letters',
  'improved',
  'declined',
  'first-categorised',
] as const;

export type DashboardList =
  | (typeof FIGURE_LISTS)[number]
  | `now-${CategoryKey}`
  | `last-term-${CategoryKey}`;

export const DASHBOARD_LISTS: readonly DashboardList[] = [
  ...FIGURE_LISTS,
  ...CATEGORY_KEYS.map((key) => `now-${key}` as const),
  ...CATEGORY_KEYS.map((key) => `last-term-${key}` as const),
];

export function isDashboardList(text: string): text is DashboardList {
  return (DASHBOARD_LISTS as readonly string[]).includes(text);
}

export function categoryKey(category: SupportCategory | null): CategoryKey {
  return category ?? 'none';
}

/** "Low support", or "Not yet categorised". */
export function categoryWords(category: SupportCategory | null): string {
  return category === null ? 'Not yet categorised' : categoryLabel(category);
}

/** One row of a list behind a figure: the school, what it is counted for, and the page to open. */
export interface ListRow {
  key: string;
  school: SchoolRef;
  detail: string;
  href: string;
  open: string;
}

export interface ListView {
  title: string;
  /** What the list is empty of, said as a sentence. */
  empty: string;
  rows: ListRow[];
}

/** The list behind the figure `list`, each row linking to the page it counts. */
export function listView(dashboard: Dashboard, list: DashboardList): ListView {
  const { visits, msp_meetings: meetings, categories } = dashboard;
  switch (list) {
    case 'visits-due':
      return view('Visits due this term', 'No visit is due this term.', visits.due.map((owed) => {
        const planned = owed.visits[0];
        return planned
          ? row(`${owed.school.urn}/${owed.first_day}`, owed.school, `${owed.period}: planned for ${formatDate(planned.visited_on)}`, visitHref(owed.school.urn, planned.id), 'Open the planned visit')
          : row(`${owed.school.urn}/${owed.first_day}`, owed.school, `${owed.period}: not planned, by ${formatDate(owed.last_day)}`, schoolHref(owed.school.urn), 'Plan a visit');
      }));
    case 'visits-done':
      return view('Visits done this term', 'No visit has been made this term.', visits.done.map((owed) => {
        const made = owed.visits[owed.visits.length - 1];
        return row(`${owed.school.urn}/${owed.first_day}`, owed.school, `${owed.period}: visited ${formatDate(made.visited_on)}`, visitHref(owed.school.urn, made.id), 'Open the visit');
      }));
    case 'visits-overdue':
      return view('Visits overdue', 'No visit is overdue.', visits.overdue.map((owed) =>
        row(`${owed.school.urn}/${owed.first_day}`, owed.school, `${owed.period}: ended ${formatDate(owed.last_day)} without a visit`, schoolHref(owed.school.urn), 'Open the school'),
      ));
    case 'msp-due':
    case 'msp-overdue': {
      const owed = list === 'msp-due' ? meetings.due : meetings.overdue;
      const title = list === 'msp-due' ? 'MSP meetings due this half-term' : 'MSP meetings overdue';
      return view(title, list === 'msp-due' ? 'No MSP meeting is due this half-term.' : 'No MSP meeting is overdue.', owed.map((meeting) => {
        const planned = meeting.next_planned ? `planned for ${formatDate(meeting.next_planned)}` : 'not planned';
        return row(meeting.group, meeting.school, `Due by ${formatDate(meeting.due_by)}, ${planned}`, mspGroupHref(meeting.group), 'Open the MSP group');
      }));
    }
    case 'actions-overdue':
      return view('Actions overdue', 'No action is overdue.', dashboard.actions_overdue.map((action) =>
        row(action.id, action.school, `${action.text} (${action.owner}, due ${formatDate(action.due_on)})`, actionHref(action), 'Open where it was agreed'),
      ));
    case 'not-reviewed':
      return view('Not reviewed this term', 'Every school has been reviewed this term.', dashboard.not_reviewed.map((school) => {
        const last = school.last_reviewed ? `last reviewed ${formatDate(school.last_reviewed)}` : 'never reviewed';
        return row(String(school.school.urn), school.school, `${categoryWords(school.category)}, ${last}`, reviewHref(school.school.urn), 'Review the category');
      }));
    case 'letters':
      return view('Letters suggested, not yet issued', 'No letter is suggested.', dashboard.letters.map((letter) => {
        const key = `${letter.school.urn}/${letter.kind}/${letter.visit ?? ''}`;
        const kind = sentenceCase(letter.kind_label);
        return letter.draft
          ? row(key, letter.school, `${kind}: drafted`, letterHref(letter.school.urn, letter.draft), 'Open the draft')
          : row(key, letter.school, `${kind}: not drafted`, schoolHref(letter.school.urn), 'Draft it from the school’s page');
      }));
    case 'improved':
      return moves('Improved since the end of last term', 'No school needs less support than at the end of last term.', categories.improved);
    case 'declined':
      return moves('Declined since the end of last term', 'No school needs more support than at the end of last term.', categories.declined);
    case 'first-categorised':
      return moves('Categorised for the first time this term', 'No school was categorised for the first time this term.', categories.first_categorised);
    default:
      return categoryList(dashboard, list);
  }
}

function categoryList(dashboard: Dashboard, list: `now-${CategoryKey}` | `last-term-${CategoryKey}`): ListView {
  const now = list.startsWith('now-');
  const key = list.replace(/^(now|last-term)-/, '');
  const found = dashboard.categories.rows.find((entry) => categoryKey(entry.category) === key);
  const category = found?.category ?? null;
  const when = now ? 'now' : `at the end of the ${dashboard.categories.last_term}`;
  const schools = (now ? found?.now : found?.last_term) ?? [];
  return view(`${categoryWords(category)} ${when}`, `No school was in this category ${when}.`, schools.map((school) =>
    row(String(school.urn), school, categoryWords(category), schoolHref(school.urn), 'Open the school'),
  ));
}

function moves(title: string, empty: string, moved: CategoryMove[]): ListView {
  return view(title, empty, moved.map((move) => {
    const from = move.from === null ? 'not categorised' : categoryLabel(move.from);
    return row(String(move.school.urn), move.school, `${from} → ${categoryLabel(move.to)}`, reviewHref(move.school.urn), 'Open its reviews');
  }));
}

/** Where an overdue action was agreed: the visit, the MSP meeting or the letter. */
export function actionHref(action: OverdueAction): string {
  const { source, school } = action;
  if (source.kind === 'visit') return visitHref(school.urn, source.id);
  if (source.kind === 'letter') return letterHref(school.urn, source.id);
  return action.msp_group ? mspMeetingHref(action.msp_group, source.id) : schoolHref(school.urn);
}

function view(title: string, empty: string, rows: ListRow[]): ListView {
  return { title, empty, rows };
}

function row(key: string, school: SchoolRef, detail: string, href: string, open: string): ListRow {
  return { key, school, detail, href, open };
}


/** One bar of the category chart, in the SVG's units. */
export interface Bar {
  list: DashboardList;
  category: CategoryKey;
  when: 'last-term' | 'now';
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const CHART = { width: 360, height: 160, base: 130, top: 20, group: 90, bar: 32, gap: 6, left: 8 } as const;

/** Two bars per category (the end of last term, then now), heights to scale of the largest count. */
export function categoryBars(dashboard: Dashboard): Bar[] {
  const rows = dashboard.categories.rows;
  const largest = Math.max(1, ...rows.flatMap((entry) => [entry.now.length, entry.last_term.length]));
  const scale = (CHART.base - CHART.top) / largest;
  return rows.flatMap((entry, index) => {
    const category = categoryKey(entry.category);
    const x = CHART.left + index * CHART.group;
    return (['last-term', 'now'] as const).map((when, offset) => {
      const count = when === 'now' ? entry.now.length : entry.last_term.length;
      const height = count * scale;
      return {
        list: `${when}-${category}` as DashboardList,
        category,
        when,
        count,
        x: x + offset * (CHART.bar + CHART.gap),
        y: CHART.base - height,
        width: CHART.bar,
        height,
      };
    });
  });
}
