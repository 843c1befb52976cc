// How a school's audit trail reads on screen: which record, who, when, and
// each field's value before and after, in words. Presentation only: what
// changed is the store's to say.

import { sentenceCase } from './format';
import type { AuditEntry } from './types';

const RECORDS: Record<string, string> = {
  school: 'School details',
  contact: 'Contact',
  inspection: 'Ofsted inspection',
  review: 'Review of support category',
  visit: 'Visit',
  action: 'Action',
  enhanced_offer: 'Enhanced offer',
  performance_figure: 'Performance figure',
  letter: 'Letter',
  msp_group: 'MSP group',
  msp_meeting: 'MSP meeting',
  academy_concern: 'Academy concern',
  academy_report: 'Academy report',
};

/** "msp_meeting" reads "MSP meeting"; a type this build does not name reads as its words. */
export function recordLabel(entity: string): string {
  return RECORDS[entity] ?? fieldLabel(entity);
}

/** "visited_on" reads "Visited on"; "urn" reads "URN". */
export function fieldLabel(field: string): string {
  if (field === 'urn') return 'URN';
  const words = field.replace(/_/g, ' ');
  return sentenceCase(words);
}

/** A stored value in words: text as written, yes or no, lists and records as their parts. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map(describeValue).join('; ');
  }
  if (typeof value === 'object') {
    return Object.values(value as Record<string, unknown>)
      .filter((part) => part !== null && part !== '')
      .map(describeValue)
      .join(' – ');
  }
  return String(value);
}

/** Characters of a value the list shows before the entry is expanded. */
export const SHORT_VALUE = 140;

/** The text cut at a word near `limit` characters, with an ellipsis; whole when short enough. */
export function shorten(text: string, limit = SHORT_VALUE): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf(' ', limit);
  return `${text.slice(0, cut > limit / 2 ? cut : limit).trimEnd()}…`;
}

/** True when some value of the entry is too long for the list. */
export function hasLongValues(entry: AuditEntry): boolean {
  return entry.changes.some(
    (change) => describeValue(change.before).length > SHORT_VALUE || describeValue(change.after).length > SHORT_VALUE,
  );
}

/** Who made the change, how, and on which device. */
export function authorLine(entry: AuditEntry): string {
  const who = entry.adviser_name ?? (entry.adviser === null ? 'the office' : 'an adviser this device does not know');
  const device = entry.this_device ? 'this device' : 'another device';
  switch (entry.origin) {
    case 'edit':
      // Records entered before the store had an adviser, the demo's among them.
      if (entry.adviser === null) return `Entered on ${device} before an adviser was set`;
      return `Edited by ${who} on ${device}`;
    case 'import':
      return `Imported from the school list by ${who} on ${device}`;
    case 'pulled':
      return entry.adviser === null ? 'Changed at the office' : `Edited by ${who} on ${device}, brought by sync`;
    case 'refused':
      return 'Put back as the office has it: the office refused the edit';
  }
}

const dayAndTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

const timeOnly = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** "2 Dec 2026, 09:05", or "2 Dec 2026, 09:05 to 11:40" for a run of writes. */
export function whenText(entry: AuditEntry): string {
  const first = new Date(entry.first_at);
  const last = new Date(entry.last_at);
  const start = dayAndTime.format(first);
  if (timeOnly.format(first) === timeOnly.format(last) && last.getTime() - first.getTime() < 60_000) return start;
  const sameDay = dayAndTime.format(first).split(',')[0] === dayAndTime.format(last).split(',')[0];
  return `${start} to ${sameDay ? timeOnly.format(last) : dayAndTime.format(last)}`;
}
