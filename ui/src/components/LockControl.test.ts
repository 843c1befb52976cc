import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import LockControl from './LockControl.svelte';
import { answer } from '../test/tauri';
import type { LockSettings } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
const listeners = vi.hoisted(() => new Map<string, () => void>());
vi.mock('@tauri-apps/api/event', () => ({
  listen: vi.fn(async (name: string, handler: () => void) => {
    listeners.set(name, handler);
    return () => listeners.delete(name);
  }),
}));

function keyringDevice(overrides: Partial<LockSettings> = {}): LockSettings {
  return {
    lock_after: 10,
    choices: [1, 2, 5, 10, 15, 30, 60],
    test_seconds: null,
    uses_lock_password: true,
    has_lock_password: false,
    min_password_chars: 4,
    can_lock: false,
    ...overrides,
  };
}

beforeEach(() => {
  invoke.mockReset();
  listeners.clear();
});

describe('the lock in the header', () => {
  it('asks a keyring device for a lock password, refuses a short one and then can lock', async () => {
    let settings = keyringDevice();
    answer(invoke, {
      lock_settings: () => settings,
      note_activity: () => undefined,
      set_lock_password: (args) => {
        settings = keyringDevice({ has_lock_password: true, can_lock: true });
        expect(args?.password).toBe('heron 42');
        return settings;
      },
    });
    render(LockControl, { reload: vi.fn() });

    await fireEvent.click(await screen.findByRole('button', { name: 'Set a lock password' }));
    const field = screen.getByLabelText('Set a lock password') as HTMLInputElement;
    expect(field.type).toBe('password');
    expect((screen.getByLabelText('Lock Caseload after') as HTMLSelectElement).disabled).toBe(true);

    await fireEvent.input(field, { target: { value: 'abc' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save lock password' }));
    expect(await screen.findByText(/needs at least 4 characters/)).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith('set_lock_password', expect.anything());

    await fireEvent.input(field, { target: { value: 'heron 42' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save lock password' }));
    expect(await screen.findByText(/Lock password saved/)).toBeTruthy();
    expect((screen.getByLabelText('Lock Caseload after') as HTMLSelectElement).disabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Lock settings' })).toBeTruthy();
  });

  it('keeps the idle time the adviser chooses', async () => {
    answer(invoke, {
      lock_settings: () => keyringDevice({ uses_lock_password: false, can_lock: true }),
      set_lock_after: (args) => keyringDevice({ uses_lock_password: false, can_lock: true, lock_after: args?.minutes as number | null }),
    });
    render(LockControl, { reload: vi.fn() });
    await fireEvent.click(await screen.findByRole('button', { name: 'Lock settings' }));
    const select = screen.getByLabelText('Lock Caseload after') as HTMLSelectElement;
    expect(select.value).toBe('10');
    await fireEvent.change(select, { target: { value: 'never' } });
    expect(await screen.findByText('Saved for this computer.')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('set_lock_after', { minutes: null });
  });

  it('locks on Ctrl+L and reloads onto the lock screen', async () => {
    const reload = vi.fn();
    answer(invoke, {
      lock_settings: () => keyringDevice({ uses_lock_password: false, can_lock: true }),
      note_activity: () => undefined,
      lock_app: () => undefined,
    });
    render(LockControl, { reload });
    await screen.findByRole('button', { name: 'Lock settings' });
    await fireEvent.keyDown(window, { key: 'l', ctrlKey: true });
    await vi.waitFor(() => expect(reload).toHaveBeenCalled());
    expect(invoke).toHaveBeenCalledWith('lock_app', undefined);
  });

  it('locks when the back end says the idle time has passed, and reloads when it locked without the window', async () => {
    const reload = vi.fn();
    answer(invoke, {
      lock_settings: () => keyringDevice({ uses_lock_password: false, can_lock: true }),
      lock_app: () => undefined,
    });
    render(LockControl, { reload });
    await screen.findByRole('button', { name: 'Lock settings' });
    await vi.waitFor(() => expect(listeners.size).toBe(2));
    listeners.get('app-lock://lock')?.();
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(invoke).toHaveBeenCalledWith('lock_app', undefined);
    listeners.get('app-lock://locked')?.();
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('says why when the app cannot lock, and stays as it is', async () => {
    const reload = vi.fn();
    answer(invoke, {
      lock_settings: () => keyringDevice(),
      note_activity: () => undefined,
      lock_app: () => {
        throw 'Set a lock password first: nothing else could unlock Caseload on this computer';
      },
    });
    render(LockControl, { reload });
    await fireEvent.click(await screen.findByRole('button', { name: 'Lock' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Set a lock password first');
    expect(reload).not.toHaveBeenCalled();
  });
});
