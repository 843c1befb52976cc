// Visits, actions and search hits shaped as the Tauri commands return them, for tests only.

import type { ActionOnDay, SearchHit, Visit, VisitSheet } from '../lib/types';

export const VISIT_ID = '0190f3c2-0000-7000-8000-00000000a001';

export function visit(overrides: Partial<Visit> = {}): Visit {
  return {
    id: VISIT_ID,
    urn: 990001,
    adviser: null,
    visited_on: '2026-11-18',
    session: 'am',
    kind: 'core',
    status: 'planned',
    purpose: '',
    activities: [],
    notes: [],
    strengths: '',
    development: '',
    addendum_to: null,
    ...overrides,
  };
}

export function action(id: string, overrides: Partial<ActionOnDay> = {}): ActionOnDay {
  return {
    id,
    urn: 990001,
    text: 'Publish the phonics catch-up plan',
    owner: 'Mrs Okafor (headteacher)',
    due_on: '2026-11-13',
    status: { state: 'open' },
    rag: 'amber',
    source: { kind: 'visit', id: '0190f3c2-0000-7000-8000-00000000a000' },
    overdue: false,
    ...overrides,
  };
}

export function sheet(overrides: Partial<VisitSheet> = {}): VisitSheet {
  return {
    visit: visit(),
    school: 'St Mary’s Church of England Primary School',
    areas: [
      { id: 'leadership', name: 'Leadership' },
      { id: 'teaching', name: 'Teaching' },
    ],
    agreed: [],
    to_review: [],
    addenda: [],
    ...overrides,
  };
}

export const visitHit: SearchHit = {
  kind: 'visit',
  id: VISIT_ID,
  urn: 990001,
  school: 'St Mary’s Church of England Primary School',
  day: '2026-11-18',
  visit: VISIT_ID,
  snippet: [
    { text: '…guided ', hit: false },
    { text: 'reading', hit: true },
    { text: ' in Year 4', hit: false },
  ],
};

export const actionHit: SearchHit = {
  kind: 'action',
  id: '0190f3c2-0000-7000-8000-00000000b001',
  urn: 990008,
  school: 'Westfield Primary School',
  day: '2027-01-15',
  visit: null,
  snippet: [
    { text: 'Buy ', hit: false },
    { text: 'reading', hit: true },
    { text: ' books', hit: false },
  ],
};
