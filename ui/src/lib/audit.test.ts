import { describe, expect, it } from 'vitest';
import { authorLine, describeValue, fieldLabel } from './audit';
import type { AuditEntry } from './types';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  entity: 'visit',
  key: 'k',
  origin: 'edit',
  device: 'd',
  this_device: true,
  adviser: 'a1',
  adviser_name: 'Priya Raman',
  first_at: '2026-12-02T09:00:00Z',
  last_at: '2026-12-02T09:00:00Z',
  changes: [],
  ...over,
});

describe('authorLine', () => {
  it('names the adviser and the device of an edit', () => {
    expect(authorLine(entry({}))).toBe('Edited by Priya Raman on this device');
    expect(authorLine(entry({ this_device: false }))).toBe('Edited by Priya Raman on another device');
  });

  it('says an edit made before the store had an adviser was no one’s in particular, not the office’s', () => {
    expect(authorLine(entry({ adviser: null, adviser_name: null }))).toBe(
      'Entered on this device before an adviser was set',
    );
  });

  it('calls a pulled change with no adviser the office’s', () => {
    expect(authorLine(entry({ origin: 'pulled', adviser: null, adviser_name: null }))).toBe('Changed at the office');
  });
});

describe('a deletion', () => {
  it('reads as the record deleted, from no to yes', () => {
    expect(fieldLabel('deleted')).toBe('Deleted');
    expect([describeValue(false), describeValue(true)]).toEqual(['No', 'Yes']);
  });
});
