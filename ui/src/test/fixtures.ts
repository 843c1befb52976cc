// Rows and profiles shaped as the Tauri commands return them, for tests only.

import type { Adviser, SchoolProfile, SchoolRow, StoreStatus } from '../lib/types';

export function school(overrides: Partial<SchoolRow> & Pick<SchoolRow, 'urn' | 'name'>): SchoolRow {
  return {
    phase: 'primary',
    phase_label: 'Primary',
    type: 'Community school',
    maintained: true,
    governance: 'maintained',
    status: 'open',
    status_label: 'Open',
    ward: null,
    town: null,
    trust: null,
    ofsted: null,
    link_sia: null,
    ...overrides,
  };
}

export const stMarys = school({
  urn: 990001,
  name: 'St Mary’s Church of England Primary School',
  type: 'Voluntary aided school',
  ward: 'Abbey',
  town: 'Hartfield',
  ofsted: 'Good (Mar 2023)',
  link_sia: 'Priya Natarajan',
});

export const abbeyFields = school({
  urn: 140512,
  name: 'Abbey Fields Primary Academy',
  type: 'Academy converter',
  maintained: false,
  governance: 'academy',
  ward: 'Abbey',
  town: 'Hartfield',
  trust: 'Northgate Learning Trust',
  link_sia: 'Priya Natarajan',
});

export const zoeHart = school({
  urn: 990020,
  name: 'Zoë Hart Nursery School',
  phase: 'nursery',
  phase_label: 'Nursery',
  type: 'Local authority nursery school',
  ward: 'Castle',
  town: 'Oakby',
  ofsted: 'Outstanding (Jun 2019)',
  link_sia: 'Priya Natarajan',
});

export const hartfieldHigh = school({
  urn: 99005,
  name: 'Hartfield High School',
  phase: 'secondary',
  phase_label: 'Secondary',
  type: 'Foundation school',
  ward: 'Castle',
  town: 'Hartfield',
  ofsted: 'Requires improvement (Nov 2024)',
  link_sia: 'Tom Whitfield',
});

export const riverside = school({
  urn: 990031,
  name: 'Riverside Sixth Form College',
  phase: 'sixteen_plus',
  phase_label: '16 plus',
  type: 'Free schools 16 to 19',
  maintained: false,
  governance: 'academy',
  status: 'closed',
  status_label: 'Closed',
  town: 'Oakby',
  trust: 'Oakby Futures Trust',
});

export const caseloadRows: SchoolRow[] = [stMarys, abbeyFields, zoeHart];
export const allRows: SchoolRow[] = [stMarys, abbeyFields, zoeHart, hartfieldHigh, riverside];

export const adviser: Adviser = {
  id: '0190f3c2-7a41-7c3e-9d2b-3f1a5c6e7b80',
  name: 'Priya Natarajan',
  email: 'priya.natarajan@example.gov.uk',
  role: 'link-sia',
  role_label: 'School Improvement Adviser',
};

export const emptyStore: StoreStatus = {
  path: '/home/adviser/.local/share/caseload/store.sqlite',
  schools: 0,
  caseload: 0,
  adviser: null,
  term: 'Autumn term 2026/27, first half-term',
};

export const demoStore: StoreStatus = {
  ...emptyStore,
  schools: 4,
  caseload: 3,
  adviser,
};

export const stMarysProfile: SchoolProfile = {
  row: stMarys,
  la_code: '990',
  address_lines: ['Church Lane', 'Hartfield', 'HF1 2AB'],
  headteacher: 'Mrs Zoë Okafor',
  telephone: '01632 960123',
  website: 'https://www.st-marys-hartfield.example',
  pupils: 1234,
  percentage_fsm: 23.45,
  open_date: '2023-03-08',
  close_date: null,
  link_sia: adviser,
  contacts: [
    {
      id: 'c1',
      role: 'headteacher',
      role_label: 'Headteacher',
      name: 'Mrs Zoë Okafor',
      email: 'head@st-marys-hartfield.example',
      phone: '01632 960123',
      address: null,
    },
    {
      id: 'c2',
      role: 'chair-of-governors',
      role_label: 'Chair of governors',
      name: 'Mr David Ellis',
      email: null,
      phone: null,
      address: null,
    },
  ],
  inspections: [
    {
      id: 'i2',
      inspected_on: '2025-11-20',
      framework: 'report-card-2025',
      framework_label: 'Report card (2025 framework)',
      summary: 'Expected standard in most areas; inclusion needs attention.',
      judgements: [
        { area: 'Inclusion', grade: 'Needs attention' },
        { area: 'Curriculum and teaching', grade: 'Expected standard' },
      ],
      safeguarding: 'Met',
    },
    {
      id: 'i1',
      inspected_on: '2023-03-08',
      framework: 'graded-2019',
      framework_label: 'Graded inspection (2019 framework)',
      summary: 'Good',
      judgements: [
        { area: 'Overall effectiveness', grade: 'Good' },
        { area: 'Quality of education', grade: 'Good' },
      ],
      safeguarding: null,
    },
  ],
};
