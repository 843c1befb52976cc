// The sync status and a conflict's values in words, as the header and the
// sync details show them. The calls are in api.ts, the types in types.ts.

import type { SyncStatus } from './types';

/** The status in words, as the header shows it. */
export function describeSync(status: SyncStatus): string {
  switch (status.state) {
    case 'not-enrolled':
      return 'Not connected to the office';
    case 'waiting':
      return 'Sync starting';
    case 'syncing':
      return status.stage === 'sending'
        ? `Syncing: sending ${status.done} of ${status.total ?? status.done}`
        : `Syncing: ${status.done} received`;
    case 'up-to-date':
      return `Up to date at ${clock(status.at)}`;
    case 'offline':
      return status.pending > 0 ? `Offline: ${changes(status.pending)} waiting` : 'Offline';
    case 'error':
      return 'Sync failed';
  }
}

function changes(count: number): string {
  return count === 1 ? '1 change' : `${count} changes`;
}

/** HH:MM on the adviser's own clock. */
export function clock(at: string): string {
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) return at;
  return `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`;
}

/** A field's value in words, for the conflicts list. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '(empty)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    // Visit notes: [{area, evidence, ...}]; show the words written.
    const words = value
      .map((item) =>
        item && typeof item === 'object' && 'evidence' in item ? String((item as { evidence: unknown }).evidence) : valueText(item),
      )
      .filter((text) => text !== '');
    return words.join('; ');
  }
  return JSON.stringify(value);
}
