// Rows and profiles shaped as the Tauri commands return them, for tests only.

import { CATEGORIES } from '../lib/category';
import type {
  Adviser,
  BestFit,
  CriteriaSet,
  HistoryEntry,
  FigureView,
  Mark,
  MeasurePanel,
  Override,
  PerformancePanel,
  Review,
  SchoolProfile,
  SchoolRow,
  Scorecard,
  Share,
  StoreStatus,
  SupportCategory,
} from '../lib/types';

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
    category: null,
    direction: null,
    review_due: false,
    visits_due: 0,
    visits_overdue: 0,
    next_visit: null,
    actions_overdue: 0,
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
  category: 'medium',
  direction: 'improving',
  visits_due: 1,
  next_visit: '2026-12-02',
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
  category: 'high',
  direction: 'declining',
  review_due: true,
  visits_due: 1,
  visits_overdue: 2,
  actions_overdue: 3,
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
  category: 'low',
  review_due: true,
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
  authority_view: false,
  demo_advisers: [],
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

/** Two areas, a statement at each level in each, one decisive and one that reads data. */
export const smallSet: CriteriaSet = {
  id: 'small',
  name: 'A small set',
  source: null,
  areas: [
    { id: 'leadership', name: 'Leadership' },
    { id: 'teaching', name: 'Teaching' },
  ],
  statements: [
    { id: 'l-low', area: 'leadership', level: 'low', text: 'Leaders are strong' },
    { id: 'l-medium', area: 'leadership', level: 'medium', text: 'Leaders need support' },
    { id: 'l-high', area: 'leadership', level: 'high', text: 'Leadership is of serious concern' },
    {
      id: 'l-safeguarding',
      area: 'leadership',
      level: 'high',
      text: 'Safeguarding statutory responsibilities are not met',
      decisive: true,
    },
    { id: 't-low', area: 'teaching', level: 'low', text: 'Teaching is good' },
    { id: 't-medium', area: 'teaching', level: 'medium', text: 'Teaching is inconsistent' },
    { id: 't-high', area: 'teaching', level: 'high', text: 'Too much teaching is inadequate', measure: 'attainment' },
  ],
};

export const otherSet: CriteriaSet = {
  id: 'other',
  name: 'Another set',
  source: null,
  areas: [{ id: 'inclusion', name: 'Inclusion' }],
  statements: [
    { id: 'i-low', area: 'inclusion', level: 'low', text: 'Pupils with SEND thrive' },
    { id: 'i-medium', area: 'inclusion', level: 'medium', text: 'Support for SEND is patchy' },
    { id: 'i-high', area: 'inclusion', level: 'high', text: 'Pupils with SEND are let down' },
  ],
};

function fitOf(set: CriteriaSet, marks: Mark[], area: string | null): BestFit {
  const marked = new Map(marks.map((mark) => [mark.statement, mark]));
  const statements = set.statements.filter((statement) => area === null || statement.area === area);
  const shares = {} as Record<SupportCategory, Share>;
  for (const level of CATEGORIES) {
    const at = statements.filter((statement) => statement.level === level);
    shares[level] = { met: at.filter((statement) => marked.has(statement.id)).length, of: at.length };
  }
  const ticked = statements.filter((statement) => marked.has(statement.id));
  const decisive = ticked.filter((statement) => statement.decisive);
  const level = [...CATEGORIES].reverse().find((candidate) => shares[candidate].met > 0) ?? null;
  const carried = decisive.length > 0 ? decisive : ticked.filter((statement) => statement.level === level);
  return {
    level,
    shares,
    reasons: carried.map((statement) => ({
      statement: statement.id,
      level: statement.level,
      text: statement.text,
      decisive: statement.decisive === true,
      evidence: marked.get(statement.id)?.evidence ?? null,
    })),
  };
}

/**
 * A stand-in for the back end's `score_marks`: the highest level ticked is the
 * best fit. Not the real rule, which lives in caseload-core; the screen only
 * shows what it is given.
 */
export function standInScore(set: CriteriaSet, marks: Mark[]): Scorecard {
  return {
    set: set.id,
    areas: set.areas.map((area) => ({ area: area.id, name: area.name, ...fitOf(set, marks, area.id) })),
    overall: fitOf(set, marks, null),
  };
}

export function draftReview(marks: Mark[], overridden: Override | null = null): Review {
  return {
    id: '0190f3c2-0000-7000-8000-000000000001',
    urn: stMarys.urn,
    criteria_set: smallSet.id,
    reviewed_on: '2026-11-20',
    adviser: adviser.id,
    marks,
    status: 'draft',
    computed: null,
    overridden,
  };
}

export const firstReview: HistoryEntry = {
  review: '0190f3c2-0000-7000-8000-0000000000a1',
  reviewed_on: '2026-03-10',
  year: 2025,
  term: 'spring',
  category: 'high',
  overridden: false,
  rationale: null,
  direction: null,
};

export const secondReview: HistoryEntry = {
  review: '0190f3c2-0000-7000-8000-0000000000a2',
  reviewed_on: '2026-09-30',
  year: 2026,
  term: 'autumn',
  category: 'medium',
  overridden: true,
  rationale: 'Governors have a credible plan for reading',
  direction: 'improving',
};

function shown(value: number, text = `${value}%`): FigureView {
  return { value, missing: null, text };
}

const suppressed: FigureView = { value: null, missing: 'suppressed', text: 'suppressed: too few pupils to publish' };

/** KS2 below England three years running, as the demo's Marsh Lane. */
export const ks2Measure: MeasurePanel = {
  measure: 'ks2-rwm-expected',
  label: 'KS2 reading, writing and maths: expected standard',
  group: 'attainment',
  higher_is_better: true,
  years: [
    { year: '2022/23', school: shown(48), la: shown(58), national: shown(60) },
    { year: '2023/24', school: shown(50), la: shown(59), national: shown(61) },
    { year: '2024/25', school: shown(47), la: shown(60), national: shown(62) },
  ],
};

/** A year with the school's figure suppressed. */
export const phonicsMeasure: MeasurePanel = {
  measure: 'phonics-year1',
  label: 'Year 1 phonics screening check: meeting the standard',
  group: 'attainment',
  higher_is_better: true,
  years: [
    { year: '2022/23', school: shown(70), la: shown(77), national: shown(79) },
    { year: '2023/24', school: suppressed, la: shown(78), national: shown(80) },
    { year: '2024/25', school: shown(76), la: shown(79), national: shown(80) },
  ],
};

export const absenceMeasure: MeasurePanel = {
  measure: 'overall-absence',
  label: 'Overall absence',
  group: 'attendance',
  higher_is_better: false,
  years: [
    { year: '2023/24', school: shown(6.3), la: shown(5.8), national: shown(5.5) },
    { year: '2024/25', school: shown(6.3), la: shown(5.6), national: shown(5.3) },
  ],
};

export const ks2Sentence =
  'KS2 reading, writing and maths: expected standard was below national in each of the last three years: ' +
  '48% against 60% in 2022/23, 50% against 61% in 2023/24, 47% against 62% in 2024/25.';

/** Matched against the small set: the KS2 finding offers `t-high`; the attendance one nothing. */
export const smallPanel: PerformancePanel = {
  urn: 990001,
  criteria_set: 'small',
  measures: [ks2Measure, phonicsMeasure, absenceMeasure],
  suggestions: [
    {
      kind: 'consistently-below-national',
      measure: 'ks2-rwm-expected',
      group: 'attainment',
      level: 'high',
      sentence: ks2Sentence,
      evidence: [
        { year: '2022/23', school: 48, la: 58, national: 60 },
        { year: '2023/24', school: 50, la: 59, national: 61 },
        { year: '2024/25', school: 47, la: 60, national: 62 },
      ],
      statements: ['t-high'],
    },
    {
      kind: 'attendance-low-not-improving',
      measure: 'overall-absence',
      group: 'attendance',
      level: 'medium',
      sentence: 'Overall absence in 2024/25 was 6.3%, worse than national (5.3%), and no better than in 2023/24 (6.3%).',
      evidence: [
        { year: '2023/24', school: 6.3, la: 5.8, national: 5.5 },
        { year: '2024/25', school: 6.3, la: 5.6, national: 5.3 },
      ],
      statements: [],
    },
  ],
};

/** A school with no figures imported. */
export const emptyPanel: PerformancePanel = { urn: 990001, criteria_set: 'small', measures: [], suggestions: [] };
