// Typed wrappers over the sync commands (src-tauri/src/sync_commands.rs) and
// their types. Kept beside api.ts, in the same style, so sync could be built
// while api.ts was being changed for MSP groups; fold it into api.ts and
// types.ts when convenient. No rule lives here: the back end syncs, merges
// and decides; this only calls and listens.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

/** What the header shows; the back end sends it again on every change. */
export type SyncStatus =
  | { state: 'not-enrolled' }
  | { state: 'waiting' }
  | { state: 'syncing'; stage: 'sending' | 'receiving'; done: number; total: number | null }
  | { state: 'up-to-date'; at: string; received: number; conflicts: number; refused: number }
  | { state: 'offline'; reason: string; pending: number }
  | { state: 'error'; message: string; pending: number };

export interface ConflictVersion {
  value: unknown;
  hlc: number;
  device: string;
  this_device: boolean;
  pending: boolean;
}

/** A value that lost to a concurrent edit of the same field; editing the field resolves it. */
export interface FieldConflict {
  entity: string;
  key: string;
  urn: number | null;
  field: string;
  kept: ConflictVersion;
  lost: ConflictVersion;
}

/** An edit the office refused: it will never apply; its values are kept to read. */
export interface RefusedOperation {
  op_id: string;
  entity: string;
  key: string;
  reason: 'invalid' | 'out-of-scope' | 'frozen' | 'office-owned';
  message: string;
  fields: Record<string, unknown>;
  refused_at: string;
}

export interface EnrolledAs {
  name: string;
  role_label: string;
}

function messageOf(reason: unknown): string {
  if (typeof reason === 'string' && reason.trim() !== '') return reason;
  if (reason instanceof Error && reason.message) return reason.message;
  return 'The command failed without saying why.';
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw new Error(messageOf(reason));
  }
}

export function syncStatus(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_status');
}

/** Syncs now, or straight after the sync under way. */
export function syncNow(): Promise<void> {
  return call<void>('sync_now');
}

export function syncConflicts(): Promise<FieldConflict[]> {
  return call<FieldConflict[]>('sync_conflicts');
}

export function syncRefusals(): Promise<RefusedOperation[]> {
  return call<RefusedOperation[]>('sync_refusals');
}

export function dismissSyncRefusal(opId: string): Promise<void> {
  return call<void>('dismiss_sync_refusal', { opId });
}

export function enrolWithOffice(server: string, code: string): Promise<EnrolledAs> {
  return call<EnrolledAs>('enrol_with_office', { server, code });
}

/** Calls `onstatus` with every new status; resolves to a function that stops listening. */
export function onSyncStatus(onstatus: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>('sync-status', (event) => onstatus(event.payload));
}

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
