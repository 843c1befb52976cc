import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import SchoolPage from './SchoolPage.svelte';
import { hartfieldHigh, stMarysProfile } from '../test/fixtures';
import { answer } from '../test/tauri';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

beforeEach(() => {
  invoke.mockReset();
});

function fact(label: string): string {
  const term = screen.getByText(label, { selector: 'dt' });
  return term.nextElementSibling?.textContent?.trim() ?? '';
}

describe('school page', () => {
  it('shows the school’s facts, contacts and inspections', async () => {
    answer(invoke, { school_profile: () => stMarysProfile });
    render(SchoolPage, { urn: 990001, backHref: '#/caseload', onback: () => {} });

    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading.id).toBe('school-name');
    expect(heading.textContent).toContain('St Mary’s Church of England Primary School');
    expect(invoke).toHaveBeenCalledWith('school_profile', { urn: 990001 });

    expect(fact('URN')).toBe('990001');
    expect(fact('LA code')).toBe('990');
    expect(fact('Governance')).toBe('Maintained by the local authority');
    expect(fact('Pupils')).toBe('1,234');
    expect(fact('Free school meals')).toMatch(/^23\.[45]%$/);
    expect(fact('Opened')).toBe('8 March 2023');
    expect(fact('Headteacher')).toBe('Mrs Zoë Okafor');
    expect(fact('Link SIA')).toContain('Priya Natarajan');
    expect(screen.queryByText('Closed', { selector: 'dt' })).toBeNull();

    const standing = document.getElementById('school-category') as HTMLElement;
    expect(standing.textContent?.replace(/\s+/g, ' ').trim()).toBe('Support category Medium support ↑ Improving');
    const review = screen.getByRole('link', { name: 'Review support category' });
    expect(review.getAttribute('href')).toBe('#/school/990001/review');
    const data = screen.getByRole('link', { name: 'Performance data' });
    expect(data.getAttribute('href')).toBe('#/school/990001/data');

    const contacts = screen.getByRole('table', { name: /Contacts for/ });
    const headOfTable = within(contacts).getAllByRole('columnheader').map((cell) => cell.textContent);
    expect(headOfTable).toEqual(['Role', 'Name', 'Email', 'Phone']);
    const email = within(contacts).getByRole('link', { name: 'head@st-marys-hartfield.example' });
    expect(email.getAttribute('href')).toBe('mailto:head@st-marys-hartfield.example');
    expect(within(contacts).getByText('Mr David Ellis')).toBeTruthy();

    const inspections = screen.getAllByRole('article');
    expect(inspections.map((article) => within(article).getByRole('heading', { level: 3 }).textContent)).toEqual([
      '20 November 2025Latest',
      '8 March 2023',
    ]);
    expect(within(inspections[0]).getByText('Report card (2025 framework)')).toBeTruthy();
    expect(inspections[0].textContent).toContain('Safeguarding: Met');
    const grades = within(inspections[0]).getByRole('table', { name: /20 November 2025/ });
    expect(within(grades).getByRole('rowheader', { name: 'Inclusion' })).toBeTruthy();
    expect(within(grades).getByText('Needs attention')).toBeTruthy();
    expect(inspections[1].textContent).not.toContain('Safeguarding');
  });

  it('says when no contacts or inspections are recorded, and shows a closure', async () => {
    answer(invoke, {
      school_profile: () => ({
        ...stMarysProfile,
        row: { ...hartfieldHigh, status: 'closed', status_label: 'Closed', governance: 'academy', trust: 'Castle Trust' },
        headteacher: null,
        percentage_fsm: null,
        close_date: '2026-08-31',
        link_sia: null,
        contacts: [],
        inspections: [],
      }),
    });
    render(SchoolPage, { urn: 99005, backHref: '#/all', onback: () => {} });

    expect(await screen.findByText('No contacts recorded.')).toBeTruthy();
    expect(screen.getByText('No inspections recorded.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(fact('Closed')).toBe('31 August 2026');
    expect(fact('Headteacher')).toBe('Not recorded');
    expect(fact('Free school meals')).toBe('Not recorded');
    expect(fact('Governance')).toBe('Academy — run by Castle Trust');
    expect(fact('Link SIA')).toBe('No link SIA assigned');
    expect(document.getElementById('school-category')?.textContent).toContain('Low support');
    expect(document.getElementById('school-category')?.textContent).toContain('Not reviewed this term');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Closed');
    expect(screen.getByRole('link', { name: '← Back to caseload' }).getAttribute('href')).toBe('#/all');
  });

  it('goes back on Escape', async () => {
    answer(invoke, { school_profile: () => stMarysProfile });
    const onback = vi.fn();
    render(SchoolPage, { urn: 990001, backHref: '#/caseload', onback });
    await screen.findByRole('heading', { level: 1 });
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(onback).toHaveBeenCalledTimes(1);
  });

  it('shows the back end’s message when the school cannot be opened', async () => {
    answer(invoke, {
      school_profile: () => {
        throw 'no school with URN 123456 in the store';
      },
    });
    render(SchoolPage, { urn: 123456, backHref: '#/caseload', onback: () => {} });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('no school with URN 123456 in the store');
    expect(screen.getByRole('link', { name: '← Back to caseload' })).toBeTruthy();
  });
});
