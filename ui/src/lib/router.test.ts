import { describe, expect, it } from 'vitest';
import { AUTHORITY_HREF, HOME_HREF, LETTERS_HREF, PLANNED_HREF, concernHref, dashboardHref, dataHref, letterHref, parseHash, reviewHref, schoolHref, schoolsHref, visitHref } from './router';

describe('parseHash', () => {
  it('reads the school page, its scoring screen and the two lists', () => {
    expect(parseHash('#/school/990001')).toEqual({ page: 'school', urn: 990001 });
    expect(parseHash('#/school/990001/review')).toEqual({ page: 'review', urn: 990001 });
    expect(parseHash('#/school/990001/data')).toEqual({ page: 'data', urn: 990001 });
    expect(parseHash('#/caseload')).toEqual({ page: 'schools', scope: 'caseload' });
    expect(parseHash('#/all')).toEqual({ page: 'schools', scope: 'all' });
  });

  it('reads the authority-wide view', () => {
    expect(parseHash(AUTHORITY_HREF)).toEqual({ page: 'authority' });
  });

  it('falls back to the dashboard, the home page, for anything else', () => {
    for (const hash of ['', '#', '#/', '#/school/', '#/school/abc', '#/school/0', '#/school/0/review', '#/school/0/data', '#/school/1/notes', '#/school/1/datum', '#/letter', '#/home/', '#/home/nothing', '#/home/now-none/x']) {
      expect(parseHash(hash)).toEqual({ page: 'dashboard', list: null });
    }
  });

  it('reads the dashboard with the list behind a figure open, and round-trips its links', () => {
    expect(parseHash(HOME_HREF)).toEqual({ page: 'dashboard', list: null });
    for (const list of ['visits-overdue', 'letters', 'now-none', 'last-term-high'] as const) {
      expect(parseHash(dashboardHref(list))).toEqual({ page: 'dashboard', list });
    }
  });

  it('round-trips the links it makes', () => {
    expect(parseHash(schoolHref(140512))).toEqual({ page: 'school', urn: 140512 });
    expect(parseHash(reviewHref(140512))).toEqual({ page: 'review', urn: 140512 });
    expect(parseHash(dataHref(140512))).toEqual({ page: 'data', urn: 140512 });
    expect(parseHash(schoolsHref('all'))).toEqual({ page: 'schools', scope: 'all' });
    expect(parseHash(schoolsHref('caseload'))).toEqual({ page: 'schools', scope: 'caseload' });
  });
});

describe('visit routes', () => {
  const id = '0190f3c2-7a41-7c3e-9d2b-3f1a5c6e7b80';

  it('reads a visit of a school and the planned visits, and round-trips their links', () => {
    expect(parseHash(visitHref(990001, id))).toEqual({ page: 'visit', urn: 990001, id });
    expect(parseHash(PLANNED_HREF)).toEqual({ page: 'planned' });
  });

  it('leaves a visit link that is not one to the school list', () => {
    for (const hash of [`#/school/0/visit/${id}`, '#/school/990001/visit/', '#/school/990001/visit/not-an-id', `#/school/990001/visit/${id}x`]) {
      expect(parseHash(hash)).toEqual({ page: 'dashboard', list: null });
    }
  });
});

describe('letter routes', () => {
  const id = '0190f3c2-7a41-7c3e-9d2b-3f1a5c6e7b81';

  it('reads a letter of a school and the batch page, and round-trips their links', () => {
    expect(parseHash(letterHref(990007, id))).toEqual({ page: 'letter', urn: 990007, id });
    expect(parseHash(LETTERS_HREF)).toEqual({ page: 'letters' });
  });

  it('leaves a letter link that is not one to the school list', () => {
    for (const hash of [`#/school/0/letter/${id}`, '#/school/990007/letter/', `#/school/990007/letters/${id}`]) {
      expect(parseHash(hash)).toEqual({ page: 'dashboard', list: null });
    }
  });
});

describe('academy concern routes', () => {
  const id = '0190f3c2-7a41-7c3e-9d2b-3f1a5c6e7b81';

  it('reads a concern of a school and round-trips its link', () => {
    expect(parseHash(concernHref(990031, id))).toEqual({ page: 'concern', urn: 990031, id });
    expect(parseHash(`#/school/990031/concerns/${id}`)).toEqual({ page: 'dashboard', list: null });
  });
});
