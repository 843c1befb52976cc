import { describe, expect, it } from 'vitest';
import { diaryCount } from './calendar';

describe('diaryCount', () => {
  it('counts visits and meetings apart, in the singular for one', () => {
    expect(diaryCount({ visits: 1, meetings: 0 })).toBe('1 planned visit and 0 planned MSP meetings');
    expect(diaryCount({ visits: 3, meetings: 1 })).toBe('3 planned visits and 1 planned MSP meeting');
  });
});
