// A dashboard as the back end answers `dashboard`, for the page's tests:
// the demo caseload's shape on 2 December 2026, cut down.

import type { Dashboard, SchoolRef } from '../lib/types';

export const NORTHGATE: SchoolRef = { urn: 990007, name: 'Northgate Primary School' };
export const MARSH_LANE: SchoolRef = { urn: 990009, name: 'Marsh Lane Primary School' };
export const WESTFIELD: SchoolRef = { urn: 990008, name: 'Westfield Primary School' };
export const ST_MARYS: SchoolRef = { urn: 990001, name: 'St Mary’s Church of England Primary School' };

export const GROUP = '0190f3c2-7a41-7c3e-9d2b-000000000001';
export const MEETING = '0190f3c2-7a41-7c3e-9d2b-000000000002';
export const PLANNED = '0190f3c2-7a41-7c3e-9d2b-000000000003';
export const MADE = '0190f3c2-7a41-7c3e-9d2b-000000000004';
export const DRAFT = '0190f3c2-7a41-7c3e-9d2b-000000000005';

export function dashboard(): Dashboard {
  return {
    today: '2026-12-02',
    term: 'Autumn term 2026/27',
    schools: 4,
    visits: {
      due: [
        {
          school: NORTHGATE,
          category: 'high',
          period: 'Autumn term, second half',
          first_day: '2026-11-02',
          last_day: '2027-01-04',
          visits: [],
        },
        {
          school: WESTFIELD,
          category: null,
          period: 'Autumn term (core visit)',
          first_day: '2026-09-01',
          last_day: '2027-01-04',
          visits: [{ id: PLANNED, visited_on: '2026-12-09', status: 'planned' }],
        },
      ],
      done: [
        {
          school: ST_MARYS,
          category: 'low',
          period: 'Autumn term (core visit)',
          first_day: '2026-09-01',
          last_day: '2027-01-04',
          visits: [{ id: MADE, visited_on: '2026-10-07', status: 'finalised' }],
        },
      ],
      overdue: [],
    },
    msp_meetings: {
      due: [{ school: NORTHGATE, group: GROUP, last_met: '2026-10-07', due_by: '2027-01-04', next_planned: null }],
      overdue: [],
    },
    actions_overdue: [
      {
        school: NORTHGATE,
        id: '0190f3c2-7a41-7c3e-9d2b-000000000006',
        text: 'Share the behaviour policy with parents',
        owner: 'Interim headteacher',
        due_on: '2026-11-13',
        source: { kind: 'msp-meeting', id: MEETING },
        msp_group: GROUP,
      },
    ],
    not_reviewed: [
      { school: ST_MARYS, category: 'low', last_reviewed: '2026-03-11' },
      { school: WESTFIELD, category: null, last_reviewed: null },
    ],
    categories: {
      last_term: 'Summer term 2025/26',
      rows: [
        { category: 'low', now: [ST_MARYS], last_term: [ST_MARYS] },
        { category: 'medium', now: [MARSH_LANE], last_term: [NORTHGATE] },
        { category: 'high', now: [NORTHGATE], last_term: [MARSH_LANE] },
        { category: null, now: [WESTFIELD], last_term: [WESTFIELD] },
      ],
      improved: [{ school: MARSH_LANE, from: 'high', to: 'medium' }],
      declined: [{ school: NORTHGATE, from: 'medium', to: 'high' }],
      first_categorised: [],
    },
    letters: [
      {
        school: NORTHGATE,
        kind: 'warning-notice',
        kind_label: 'formal warning notice',
        indicators: ['leadership-breakdown'],
        visit: null,
        draft: DRAFT,
      },
      {
        school: WESTFIELD,
        kind: 'significant-concerns',
        kind_label: 'significant concerns letter',
        indicators: ['safeguarding'],
        visit: null,
        draft: null,
      },
    ],
  };
}
