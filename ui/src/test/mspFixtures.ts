// MSP groups and meetings shaped as the Tauri commands return them, after
// the demo's group at Northgate Primary, for tests only.

import type {
  LoggedAction,
  MspGroupPage,
  MspGroupView,
  MspMeeting,
  MspMeetingPage,
  MspMemberRow,
} from '../lib/types';

export const GROUP = '01a209e6-e1a4-72a9-9fc2-b218721beb0f';
export const FIRST = '01a209e6-e1aa-75a6-ba10-b3cbaf28ad90';
export const SECOND = '01a209e6-e1af-71e3-96cd-22d13900d43a';
export const THIRD = '01a209e6-e1b9-7000-8000-000000000003';
export const CHAIR = '01a209e6-e06d-7479-ae0a-39bdc26bc578';
export const LINK = '01a209e6-e063-7313-9d4d-a539beb06985';
export const HEAD = '01a209e6-e1a4-72a9-9fc2-b219ed2903b0';
export const GOVERNOR = '01a209e6-e070-7156-a4a9-f6149dfcc20b';
export const INVITED = '01a209e6-e1a5-7191-b067-fee8ecbb0b4c';
export const CURRICULUM = '01a209e6-e1ac-7232-b670-726394f56861';
export const ATTENDANCE = '01a209e6-e1b5-7617-baf8-a73b8c2e0ab2';

export const AGENDA = [
  'Minutes of the previous meeting and the action log',
  "Impact of leaders' actions",
  'Support received, and whether to refocus it',
  'Data',
  'Next steps',
];

export function members(): MspMemberRow[] {
  return [
    { id: CHAIR, name: 'Margaret Okonjo', roles: ['chair'], organisation: null, email: null, role_label: 'Chair', removable: false },
    {
      id: LINK,
      name: 'Priya Raman',
      roles: ['link-sia'],
      organisation: null,
      email: null,
      role_label: 'Link School Improvement Adviser',
      removable: false,
    },
    { id: HEAD, name: 'Mr Kwame Mensah', roles: ['headteacher'], organisation: null, email: null, role_label: 'Headteacher', removable: false },
    {
      id: GOVERNOR,
      name: 'Mr Geoffrey Lambert',
      roles: ['chair-of-governors'],
      organisation: null,
      email: null,
      role_label: 'Chair of governors',
      removable: false,
    },
    {
      id: INVITED,
      name: 'Mrs Helen Achebe',
      roles: ['invited'],
      organisation: 'Attendance and Inclusion Service',
      email: null,
      role_label: 'Attendance and Inclusion Service',
      removable: true,
    },
  ];
}

export function curriculumRow(overrides: Partial<LoggedAction> = {}): LoggedAction {
  return {
    action: CURRICULUM,
    text: 'Publish a sequenced curriculum map for every subject',
    owner: 'Mr Kwame Mensah',
    due_on: '2026-12-11',
    rag: 'red',
    status: { state: 'open' },
    agreed_here: false,
    ...overrides,
  };
}

export function attendanceRow(overrides: Partial<LoggedAction> = {}): LoggedAction {
  return {
    action: ATTENDANCE,
    text: 'Meet each week with the families of pupils whose attendance is below 90%',
    owner: 'Mrs Helen Achebe',
    due_on: '2027-01-29',
    rag: 'amber',
    status: { state: 'open' },
    agreed_here: false,
    ...overrides,
  };
}

export function groupView(overrides: Partial<MspGroupView> = {}): MspGroupView {
  return {
    group: {
      id: GROUP,
      urn: 990007,
      chair: CHAIR,
      members: members().map(({ id, name, roles, organisation, email }) => ({ id, name, roles, organisation, email })),
      opened_on: '2026-09-28',
      closed: null,
    },
    school: 'Northgate Primary School',
    chair: 'Margaret Okonjo',
    meetings: [
      { id: FIRST, meets_on: '2026-10-07', place: 'Northgate Primary School, the library', status: 'approved', concerns_remain: false },
      { id: SECOND, meets_on: '2026-11-18', place: 'Northgate Primary School, the library', status: 'approved', concerns_remain: true },
    ],
    cadence: {
      last_met: '2026-11-18',
      next_planned: null,
      due_by: '2027-02-19',
      overdue: false,
      planned_late: false,
      proposed: '2027-01-06',
    },
    live_log: [
      {
        id: CURRICULUM,
        urn: 990007,
        text: 'Publish a sequenced curriculum map for every subject',
        owner: 'Mr Kwame Mensah',
        due_on: '2026-12-11',
        status: { state: 'open' },
        rag: 'red',
        source: { kind: 'msp-meeting', id: FIRST },
        overdue: false,
      },
    ],
    escalation: {
      group: GROUP,
      urn: 990007,
      concerns: [{ kind: 'concerns-remain', meeting: SECOND, meets_on: '2026-11-18' }],
      letters: [
        { kind: 'warning-notice', indicators: ['insufficient-progress'] },
        { kind: 'member-alert', indicators: ['member-msp-concerns'] },
      ],
      outstanding: [curriculumRow()],
    },
    close_suggested: null,
    ...overrides,
  };
}

export function groupPage(overrides: Partial<MspGroupPage> = {}): MspGroupPage {
  return {
    ...groupView(),
    members: members(),
    proposed: [
      {
        kind: 'warning-notice',
        indicators: [{ id: 'insufficient-progress', text: 'The school has made insufficient progress.' }],
      },
      {
        kind: 'member-alert',
        indicators: [{ id: 'member-msp-concerns', text: 'The MSP finds that concerns remain.' }],
      },
    ],
    ...overrides,
  };
}

export function meeting(overrides: Partial<MspMeeting> = {}): MspMeeting {
  return {
    id: THIRD,
    msp_group: GROUP,
    urn: 990007,
    meets_on: '2026-11-23',
    place: 'Northgate Primary School',
    status: 'planned',
    attendees: [],
    apologies: [],
    agenda: AGENDA.map((title) => ({ title, minutes: '' })),
    decisions: [],
    concerns_remain: false,
    action_log: [],
    summary: '',
    approved_on: null,
    ...overrides,
  };
}

export function meetingPage(overrides: Partial<MspMeetingPage> = {}): MspMeetingPage {
  return {
    meeting: meeting(),
    log: [curriculumRow(), attendanceRow()],
    group: groupPage(),
    unapproved: 'the meeting of 2026-11-23 cannot be approved: nothing has been written up yet',
    files: {
      minutes: '/home/adviser/Documents/Caseload letters/990007-msp-minutes-2026-11-23.pdf',
      summary: '/home/adviser/Documents/Caseload letters/990007-msp-summary-2026-11-23.pdf',
    },
    ...overrides,
  };
}
