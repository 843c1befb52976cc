import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SyncStatus from './SyncStatus.svelte';
import { answer } from '../test/tauri';
import type { FieldConflict, RefusedOperation, SyncStatus as Status, WithdrawnNotice } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
const listeners = vi.hoisted(() => [] as ((event: { payload: unknown }) => void)[]);
vi.mock('@tauri-apps/api/event', () => ({
  listen: vi.fn(async (_name: string, handler: (event: { payload: unknown }) => void) => {
    listeners.push(handler);
    return () => {};
  }),
}));

beforeEach(() => {
  invoke.mockReset();
  listeners.length = 0;
});

const conflict: FieldConflict = {
  entity: 'visit',
  key: '01900000-0000-7000-8000-000000000001',
  urn: 990001,
  field: 'notes',
  kept: { value: [{ area: 'general', evidence: "Margaret's notes", judgement: null }], hlc: 2, device: 'b', this_device: false, pending: false },
  lost: { value: [{ area: 'general', evidence: "Priya's notes", judgement: null }], hlc: 1, device: 'a', this_device: true, pending: false },
};

const refusal: RefusedOperation = {
  op_id: '01900000-0000-7000-8000-000000000009',
  entity: 'visit',
  key: '01900000-0000-7000-8000-000000000002',
  reason: 'frozen',
  message: 'this note of visit is finalised and cannot change: add an addendum instead',
  fields: { purpose: 'A late thought' },
  refused_at: '2026-11-23T14:02:00Z',
};

const withdrawn: WithdrawnNotice = {
  id: 3,
  urn: 990001,
  msp_group: null,
  records: 12,
  withdrawn_at: '2026-11-23T14:02:00Z',
  message:
    'St Mary’s Church of England Primary School (URN 990001) is no longer in your caseload: the office reassigned it on 2026-11-23, and its 12 records left this device',
};

describe('sync status', () => {
  it('says when the store last synced, follows the back end as it syncs, and syncs on request', async () => {
    const at = '2026-11-23T14:02:00Z';
    const local = new Date(at);
    const hhmm = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    answer(invoke, {
      sync_status: (): Status => ({ state: 'up-to-date', at, received: 0, conflicts: 0, refused: 0, withdrawn: [] }),
      sync_now: () => null,
    });
    render(SyncStatus);
    expect(await screen.findByText(`Up to date at ${hhmm}`)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(invoke).toHaveBeenCalledWith('sync_now', undefined);

    listeners.forEach((listener) => listener({ payload: { state: 'syncing', stage: 'sending', done: 3, total: 12 } }));
    expect(await screen.findByText('Syncing: sending 3 of 12')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();

    listeners.forEach((listener) =>
      listener({ payload: { state: 'offline', reason: 'the office at https://office.example cannot be reached', pending: 2 } }),
    );
    expect(await screen.findByText('Offline: 2 changes waiting')).toBeTruthy();
  });

  it('lists conflicts and refused edits, and a refusal can be dismissed', async () => {
    answer(invoke, {
      sync_status: (): Status => ({ state: 'up-to-date', at: '2026-11-23T14:02:00Z', received: 4, conflicts: 1, refused: 1, withdrawn: [] }),
      sync_conflicts: () => [conflict],
      sync_refusals: () => [refusal],
      sync_withdrawn: () => [],
      dismiss_sync_refusal: () => null,
    });
    render(SyncStatus);
    expect(await screen.findByText(/1 conflict, 1 edit refused/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Sync details' }));
    const table = await screen.findByRole('table');
    expect(table.textContent).toContain("Margaret's notes");
    expect(table.textContent).toContain("Priya's notes");
    expect(table.textContent).toContain('(on this device)');
    const link = screen.getByRole('link', { name: 'Visit' });
    expect(link.getAttribute('href')).toBe(`#/school/990001/visit/${conflict.key}`);
    expect(screen.getByText(/this note of visit is finalised/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(invoke).toHaveBeenCalledWith('dismiss_sync_refusal', { opId: refusal.op_id });
    await waitFor(() => expect(screen.queryByText(/this note of visit is finalised/)).toBeNull());
  });

  it('says which schools the office took off this device, until the notice is dismissed', async () => {
    answer(invoke, {
      sync_status: (): Status => ({ state: 'up-to-date', at: '2026-11-23T14:02:00Z', received: 0, conflicts: 0, refused: 0, withdrawn: [] }),
      sync_conflicts: () => [],
      sync_refusals: () => [],
      sync_withdrawn: () => [withdrawn],
      dismiss_sync_withdrawn: () => null,
    });
    render(SyncStatus);
    await fireEvent.click(await screen.findByRole('button', { name: 'Sync details' }));
    expect(await screen.findByRole('heading', { name: 'No longer on this device' })).toBeTruthy();
    expect(screen.getByText(/\(URN 990001\) is no longer in your caseload/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(invoke).toHaveBeenCalledWith('dismiss_sync_withdrawn', { id: 3 });
    await waitFor(() => expect(screen.queryByText(/is no longer in your caseload/)).toBeNull());
    expect(screen.queryByRole('heading', { name: 'No longer on this device' })).toBeNull();
  });

  it('connects a new device with the office address and a one-time code', async () => {
    answer(invoke, {
      sync_status: (): Status => ({ state: 'not-enrolled' }),
      enrol_with_office: () => ({ name: 'Priya Raman', role_label: 'Link SIA' }),
      sync_conflicts: () => [],
      sync_refusals: () => [],
      sync_withdrawn: () => [],
    });
    render(SyncStatus);
    expect(await screen.findByText('Not connected to the office')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Connect to the office' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Office address'), { target: { value: 'https://office.example' } });
    await fireEvent.input(screen.getByLabelText('One-time code'), { target: { value: 'ABCD-EFGH-JKMN' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText(/Connected as Priya Raman \(Link SIA\)/)).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('enrol_with_office', { server: 'https://office.example', code: 'ABCD-EFGH-JKMN' });
  });
});
