// How dates, numbers and a school's governance read on screen: British
// English, the wording advisers use in letters.

import type { SchoolRow } from './types';

const longDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

const dayAndMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The day "2023-03-08" names, or null when it names none. */
function parseDate(iso: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) return null;
  return date;
}

/** "2023-03-08" reads "8 March 2023"; text that is not a date is shown as it came. */
export function formatDate(iso: string): string {
  const date = parseDate(iso);
  return date ? longDate.format(date) : iso;
}

/** "2026-12-02" reads "2 Dec", where a table has little room; text that is not a date is shown as it came. */
export function formatDayMonth(iso: string): string {
  const date = parseDate(iso);
  return date ? dayAndMonth.format(date) : iso;
}

const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** 1234 reads "1,234". */
export function formatCount(value: number): string {
  return wholeNumber.format(value);
}

/** 23.45 reads "23.5%". */
export function formatPercent(value: number): string {
  return `${oneDecimal.format(value)}%`;
}

/** Who runs the school, which is what decides the authority's powers over it. */
export function describeGovernance(row: Pick<SchoolRow, 'governance' | 'trust'>): string {
  switch (row.governance) {
    case 'maintained':
      return 'Maintained by the local authority';
    case 'academy':
      return row.trust ? `Academy — run by ${row.trust}` : 'Academy';
    case 'independent':
      return 'Independent — not maintained by the local authority';
    case 'other':
      return 'Not maintained by the local authority';
  }
}

/** The tag shown beside a school that is not simply open, or null. */
export function statusTag(row: Pick<SchoolRow, 'status' | 'status_label'>): string | null {
  if (row.status === 'open') return null;
  if (row.status === 'closed') return 'Closed';
  return row.status_label;
}

/** Text with its first letter a capital, to start a sentence, a heading or a label. */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
