import { describe, expect, it } from 'vitest';
import { describeGovernance, formatCount, formatDate, formatDayMonth, formatPercent, statusTag } from './format';

describe('formatDate', () => {
  it('writes dates the British way without a leading zero', () => {
    expect(formatDate('2023-03-08')).toBe('8 March 2023');
    expect(formatDate('2025-11-20')).toBe('20 November 2025');
  });

  it('does not shift a date across midnight', () => {
    expect(formatDate('2026-01-01')).toBe('1 January 2026');
    expect(formatDate('2025-12-31')).toBe('31 December 2025');
  });

  it('shows text that is not a real date as it came', () => {
    expect(formatDate('2023-02-30')).toBe('2023-02-30');
    expect(formatDate('March 2023')).toBe('March 2023');
    expect(formatDayMonth('2023-02-30')).toBe('2023-02-30');
  });

  it('writes a day and a short month where a table has little room', () => {
    expect(formatDayMonth('2026-12-02')).toBe('2 Dec');
    expect(formatDayMonth('2027-01-31')).toBe('31 Jan');
  });
});

describe('numbers', () => {
  it('groups thousands and gives percentages one decimal place', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatPercent(23.45)).toMatch(/^23\.[45]%$/);
    expect(formatPercent(7)).toBe('7.0%');
    expect(formatPercent(12.34)).toBe('12.3%');
  });
});

describe('describeGovernance', () => {
  it('says who runs the school', () => {
    expect(describeGovernance({ governance: 'maintained', trust: null })).toBe('Maintained by the local authority');
    expect(describeGovernance({ governance: 'academy', trust: 'Northgate Learning Trust' })).toBe(
      'Academy — run by Northgate Learning Trust',
    );
    expect(describeGovernance({ governance: 'academy', trust: null })).toBe('Academy');
  });
});

describe('statusTag', () => {
  it('tags closed and changing schools, not open ones', () => {
    expect(statusTag({ status: 'open', status_label: 'Open' })).toBeNull();
    expect(statusTag({ status: 'closed', status_label: 'Closed' })).toBe('Closed');
    expect(statusTag({ status: 'open_proposed_to_close', status_label: 'Open, proposed to close' })).toBe(
      'Open, proposed to close',
    );
  });
});
