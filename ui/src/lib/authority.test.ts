import { describe, expect, it } from 'vitest';
import { againstTarget, categoryListTitle, directionWords, percentText, schoolsOf } from './authority';
import type { AuthoritySchool, AuthorityView } from './types';

const school = (urn: number, name: string): AuthoritySchool => ({
  urn,
  name,
  phase_label: 'Primary',
  ward: 'Castle',
  establishment_type: 'Community school',
  maintained: true,
  pupils: 200,
  link_sia_name: 'Priya Raman',
  category: 'medium',
  direction: 'steady',
  ofsted: 'Good (2019 framework)',
  good_or_better: true,
  visits_overdue: 0,
  msp_group_opened: null,
  warning_notice: null,
  academy_concern: null,
});

const view = {
  schools: [school(2, 'Abbey'), school(1, 'Brook'), school(3, 'Cedar')],
  direction: [{ direction: 'not-reviewed', label: 'Not reviewed this term', schools: [] }],
} as unknown as AuthorityView;

describe('the authority-wide view', () => {
  it('lists the schools behind a count in the view’s own order', () => {
    expect(schoolsOf(view, [3, 2]).map((row) => row.name)).toEqual(['Abbey', 'Cedar']);
    expect(schoolsOf(view, [])).toEqual([]);
  });

  it('rounds a share to a whole percentage and says how it stands against the target', () => {
    const share = { good_or_better: 5, judged: 6, percent: 83.333, meets_target: false };
    expect(percentText(share)).toBe('83%');
    expect(againstTarget(share, 90)).toBe('5 of 6, below the target of 90%');
    const met = { good_or_better: 9, judged: 10, percent: 90, meets_target: true };
    expect(againstTarget(met, 90)).toBe('9 of 10, at or above the target of 90%');
    const pupils = { good_or_better: 4170, judged: 5932, percent: 70.3, meets_target: false };
    expect(againstTarget(pupils, 90)).toBe('4,170 of 5,932, below the target of 90%');
    const none = { good_or_better: 0, judged: 0, percent: null, meets_target: null };
    expect(percentText(none)).toBe('–');
    expect(againstTarget(none, 90)).toBe('No inspection on record yet');
  });

  it('names a list by its row and category, and a direction in the back end’s words', () => {
    expect(categoryListTitle('Primary', { category: 'high', schools: [] })).toBe('Primary: high support');
    expect(categoryListTitle('Castle', { category: null, schools: [] })).toBe('Castle: not yet categorised');
    expect(directionWords(view, 'not-reviewed')).toBe('Not reviewed this term');
  });
});
