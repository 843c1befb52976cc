import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { allRows, caseloadRows, demoStore, emptyStore } from '../test/fixtures';
import { dashboard } from '../test/dashboardFixtures';
import { answer } from '../test/tauri';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  window.location.hash = '';
  invoke.mockReset();
});

afterEach(() => {
  window.location.hash = '';
});

describe('first run', () => {
  it('loads the demo caseload and then shows the adviser’s dashboard, the caseload one click away', async () => {
    let loaded = false;
    answer(invoke, {
      store_status: () => (loaded ? demoStore : emptyStore),
      load_demo: () => {
        loaded = true;
        return demoStore;
      },
      list_schools: (args) => (args?.scope === 'caseload' ? caseloadRows : allRows),
      dashboard: () => dashboard(),
    });
    render(App);

    const button = await screen.findByRole('button', { name: 'Load the demo caseload' });
    expect(button.id).toBe('load-demo');
    expect(screen.getByRole('heading', { level: 1, name: 'Welcome to Caseload' })).toBeTruthy();

    await fireEvent.click(button);

    expect(await screen.findByRole('heading', { level: 1, name: 'Your caseload this term' })).toBeTruthy();
    expect(window.location.hash).toBe('#/');
    const caseload = document.getElementById('open-caseload');
    if (!caseload) throw new Error('no Caseload link in the header');
    await fireEvent.click(caseload);
    await screen.findByLabelText('Filter schools');
    const table = document.getElementById('schools');
    if (!table) throw new Error('no #schools table');
    expect(invoke).toHaveBeenCalledWith('load_demo', undefined);
    expect(table.querySelectorAll('tbody tr[data-urn]')).toHaveLength(caseloadRows.length);
    expect(document.getElementById('tab-caseload')?.getAttribute('aria-pressed')).toBe('true');
    expect(document.getElementById('tab-caseload')?.textContent).toContain('My caseload (3)');
    expect(document.getElementById('tab-all')?.textContent).toContain('All schools (5)');
    expect(window.location.hash).toBe('#/caseload');
    // The header names who is working and when.
    const banner = screen.getByRole('banner');
    expect(within(banner).getByText('Priya Natarajan')).toBeTruthy();
    expect(within(banner).getByText('Autumn term 2026/27, first half-term')).toBeTruthy();
  });

  it('shows the back end’s message when the demo cannot be loaded', async () => {
    answer(invoke, {
      store_status: () => emptyStore,
      load_demo: () => {
        throw 'the store already holds schools';
      },
    });
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Load the demo caseload' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the store already holds schools');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('asks for a path before importing, and checks the LA code', async () => {
    answer(invoke, { store_status: () => emptyStore });
    render(App);
    const path = await screen.findByLabelText('Path to the GIAS establishment file (edubasealldata….csv)');
    await fireEvent.input(screen.getByLabelText('Local authority code (optional)'), { target: { value: '99' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Import' }));

    expect(await screen.findByText('Enter the path to the GIAS establishment file')).toBeTruthy();
    expect(screen.getByText(/Enter the local authority code as three digits/)).toBeTruthy();
    expect(path.getAttribute('aria-invalid')).toBe('true');
    expect(invoke).not.toHaveBeenCalledWith('import_gias', expect.anything());
  });

  it('imports a GIAS file and shows what it did', async () => {
    let imported = false;
    answer(invoke, {
      store_status: () => (imported ? { ...emptyStore, schools: 212 } : emptyStore),
      import_gias: () => {
        imported = true;
        return { added: 212, updated: 0, unchanged: 0, closed: 31, other_la: 49012, warnings: ['line 88: no ward'] };
      },
      list_schools: () => allRows,
    });
    render(App);
    const path = await screen.findByLabelText('Path to the GIAS establishment file (edubasealldata….csv)');
    await fireEvent.input(path, { target: { value: '  /tmp/edubasealldata20260901.csv ' } });
    await fireEvent.input(screen.getByLabelText('Local authority code (optional)'), { target: { value: '990' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Import' }));

    expect(await screen.findByText('Import finished')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('import_gias', { path: '/tmp/edubasealldata20260901.csv', la: 990 });
    expect(screen.getByText('49,012')).toBeTruthy();
    expect(screen.getByText('line 88: no ward')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Open the school list' }));
    // No adviser is set, so the list opens on every school and offers no caseload tab.
    await screen.findByRole('table');
    expect(document.getElementById('tab-caseload')).toBeNull();
    expect(document.getElementById('tab-all')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('shows the import error next to the form', async () => {
    answer(invoke, {
      store_status: () => emptyStore,
      import_gias: () => {
        throw 'edubasealldata.csv, line 14, field "URN": "abc" is not a URN';
      },
    });
    render(App);
    const path = await screen.findByLabelText('Path to the GIAS establishment file (edubasealldata….csv)');
    await fireEvent.input(path, { target: { value: '/tmp/edubasealldata.csv' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The file could not be imported');
    expect(alert.textContent).toContain('line 14, field "URN"');
  });
});
