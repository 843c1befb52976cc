import { describe, expect, it } from 'vitest';
import { dataHref, parseHash, reviewHref, schoolHref, schoolsHref } from './router';

describe('parseHash', () => {
  it('reads the school page, its scoring screen and the two lists', () => {
    expect(parseHash('#/school/990001')).toEqual({ page: 'school', urn: 990001 });
    expect(parseHash('#/school/990001/review')).toEqual({ page: 'review', urn: 990001 });
    expect(parseHash('#/school/990001/data')).toEqual({ page: 'data', urn: 990001 });
    expect(parseHash('#/caseload')).toEqual({ page: 'schools', scope: 'caseload' });
    expect(parseHash('#/all')).toEqual({ page: 'schools', scope: 'all' });
  });

  it('falls back to the school list for anything else', () => {
    for (const hash of ['', '#', '#/', '#/school/', '#/school/abc', '#/school/0', '#/school/0/review', '#/school/0/data', '#/school/1/notes', '#/school/1/datum', '#/letters']) {
      expect(parseHash(hash)).toEqual({ page: 'schools', scope: null });
    }
  });

  it('round-trips the links it makes', () => {
    expect(parseHash(schoolHref(140512))).toEqual({ page: 'school', urn: 140512 });
    expect(parseHash(reviewHref(140512))).toEqual({ page: 'review', urn: 140512 });
    expect(parseHash(dataHref(140512))).toEqual({ page: 'data', urn: 140512 });
    expect(parseHash(schoolsHref('all'))).toEqual({ page: 'schools', scope: 'all' });
    expect(parseHash(schoolsHref(null))).toEqual({ page: 'schools', scope: null });
  });
});
