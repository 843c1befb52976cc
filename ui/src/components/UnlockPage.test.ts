import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import App from '../App.svelte';
import { caseloadRows, allRows, demoStore } from '../test/fixtures';
import { dashboard } from '../test/dashboardFixtures';
import { answer } from '../test/tauri';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const STORE = '/home/sia/.local/share/caseload/caseload.sqlite3';
const WRONG = 'That passphrase does not open the store. Check it and try again.';

function locked(ask: 'unlock' | 'create' | 'encrypt', note: string | null = null) {
  return () => ({ state: 'locked', ask, store: STORE, note, min_chars: 8 });
}

beforeEach(() => {
  window.location.hash = '';
  invoke.mockReset();
});

describe('the unlock screen', () => {
  it('shows nothing of the caseload until the right passphrase is typed, and lets a wrong one be retried', async () => {
    let open = false;
    answer(invoke, {
      store_lock: locked('unlock'),
      unlock_store: (args) => {
        if (args?.passphrase !== 'correct horse battery staple') throw WRONG;
        open = true;
      },
      store_status: () => {
        if (!open) throw 'the store is locked';
        return demoStore;
      },
      list_schools: (args) => (args?.scope === 'caseload' ? caseloadRows : allRows),
      dashboard: () => {
        if (!open) throw 'the store is locked';
        return dashboard();
      },
    });
    render(App);

    expect(await screen.findByRole('heading', { level: 1, name: 'Unlock your store' })).toBeTruthy();
    expect(screen.getByText(STORE)).toBeTruthy();
    const field = screen.getByLabelText('Passphrase') as HTMLInputElement;
    expect(field.type).toBe('password');
    expect(screen.queryByRole('table')).toBeNull();
    expect(invoke).not.toHaveBeenCalledWith('store_status', undefined);
    expect(invoke).not.toHaveBeenCalledWith('dashboard', expect.anything());

    await fireEvent.input(field, { target: { value: 'tr0ub4dor' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(WRONG);
    expect(field.value).toBe('');
    expect(screen.queryByRole('table')).toBeNull();

    await fireEvent.input(field, { target: { value: 'correct horse battery staple' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Your caseload this term' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Unlock your store' })).toBeNull();
  });

  it('asks for the lock password once the app has locked a store whose key is the keyring\'s, and says how long to wait after wrong tries', async () => {
    const WAIT = 'Too many wrong tries: wait 5 seconds before trying again';
    answer(invoke, {
      store_lock: () => ({ ...locked('unlock', 'Caseload locked after 10 minutes without use.')(), lock_password: true }),
      unlock_store: () => {
        throw WAIT;
      },
    });
    render(App);
    expect(await screen.findByRole('heading', { level: 1, name: 'Caseload is locked' })).toBeTruthy();
    expect(screen.getByText('Caseload locked after 10 minutes without use.')).toBeTruthy();
    const field = screen.getByLabelText('Lock password') as HTMLInputElement;
    expect(field.type).toBe('password');
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText('Enter the lock password')).toBeTruthy();
    await fireEvent.input(field, { target: { value: '1234' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect((await screen.findByRole('alert')).textContent).toContain(WAIT);
    expect(invoke).toHaveBeenCalledWith('unlock_store', { passphrase: '1234' });
  });

  it('asks for an empty passphrase to be entered without trying it', async () => {
    answer(invoke, { store_lock: locked('unlock', 'The passphrase in CASELOAD_PASSPHRASE does not open this store.') });
    render(App);
    await screen.findByRole('heading', { level: 1, name: 'Unlock your store' });
    expect(screen.getByText('The passphrase in CASELOAD_PASSPHRASE does not open this store.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText('Enter the passphrase')).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith('unlock_store', expect.anything());
  });

  it('has a new passphrase typed twice and long enough before encrypting with it', async () => {
    let open = false;
    answer(invoke, {
      store_lock: locked('encrypt'),
      unlock_store: () => {
        open = true;
      },
      store_status: () => (open ? demoStore : Promise.reject('locked')),
      list_schools: (args) => (args?.scope === 'caseload' ? caseloadRows : allRows),
      dashboard: () => dashboard(),
    });
    render(App);
    expect(await screen.findByRole('heading', { level: 1, name: 'Encrypt your store' })).toBeTruthy();
    const first = screen.getByLabelText('Passphrase');
    const second = screen.getByLabelText('The passphrase again');

    await fireEvent.input(first, { target: { value: 'short' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Encrypt and open' }));
    expect(await screen.findByText('The passphrase needs at least 8 characters')).toBeTruthy();

    await fireEvent.input(first, { target: { value: 'kestrel whitby abbey' } });
    await fireEvent.input(second, { target: { value: 'kestrel whitby abbye' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Encrypt and open' }));
    expect(await screen.findByText('The two passphrases are not the same')).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith('unlock_store', expect.anything());

    await fireEvent.input(second, { target: { value: 'kestrel whitby abbey' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Encrypt and open' }));
    await screen.findByRole('heading', { level: 1, name: 'Your caseload this term' });
    expect(invoke).toHaveBeenCalledWith('unlock_store', { passphrase: 'kestrel whitby abbey' });
  });
});
