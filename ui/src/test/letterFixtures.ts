// Letters shaped as the Tauri commands return them, for tests only.

import type { Letter, LetterSheet } from '../lib/types';

export const LETTER_ID = '0190f3c2-0000-7000-8000-00000000c001';

export const BODY = `Dear Mr Mensah and Mr Lambert

I am writing to set out the local authority's significant concerns about Northgate Primary School.

## What we ask of leaders and governors

1. meet the authority's School Improvement Adviser within the next four weeks.
`;

export function letter(overrides: Partial<Letter> = {}): Letter {
  return {
    id: LETTER_ID,
    urn: 990007,
    kind: 'significant-concerns',
    status: 'draft',
    dated: '2026-11-23',
    reference: 'SIA/990007/SC/2026-11-23',
    recipients: [
      { name: 'Mr Kwame Mensah', role: 'Headteacher, Northgate Primary School', address: ['Northgate Avenue', 'Fenbridge'] },
      { name: 'Mr Geoffrey Lambert', role: 'Chair of governors', address: [] },
    ],
    copies_to: [],
    subject: 'Significant concerns about Northgate Primary School',
    body: BODY,
    marking: 'CONFIDENTIAL',
    indicators: ['leadership-capacity'],
    terms: null,
    visit: null,
    corrects: null,
    author: null,
    signatory: { name: 'Dr Helen Marsh', role: 'Director of Education' },
    pdf_sha256: null,
    ...overrides,
  };
}

export function letterSheet(overrides: Partial<LetterSheet> = {}): LetterSheet {
  return {
    letter: letter(),
    school: 'Northgate Primary School',
    indicators: [
      { id: 'declining-performance', text: 'Risk assessment confirms a declining trend in pupil performance.' },
      { id: 'leadership-capacity', text: 'Leadership does not have the capacity to address the school’s problems.' },
    ],
    grounds: [
      { id: 'low-standards', statement: 'the standards of performance of pupils at the school are unacceptably low' },
      { id: 'management-breakdown', statement: 'there has been a serious breakdown in the way the school is managed' },
      { id: 'safety-threat', statement: 'the safety of pupils or staff of the school is threatened' },
    ],
    powers: [
      { id: 'additional-governors', statement: 'appoint additional governors (section 64 of the Act)' },
      { id: 'interim-executive-board', statement: 'apply to replace the governing body with an interim executive board (section 65)' },
      { id: 'suspend-delegated-budget', statement: 'suspend the governing body’s right to a delegated budget (section 66)' },
    ],
    incomplete: null,
    ...overrides,
  };
}

export const warningNotice = (overrides: Partial<Letter> = {}): Letter =>
  letter({
    kind: 'warning-notice',
    reference: 'SIA/990007/WN/2026-11-23',
    indicators: [],
    copies_to: ['Ofsted'],
    terms: { ground: 'management-breakdown', compliance_days: 15, minded_to: ['additional-governors', 'interim-executive-board'] },
    ...overrides,
  });
