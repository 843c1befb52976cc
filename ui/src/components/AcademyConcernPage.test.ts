import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import AcademyConcernPage from './AcademyConcernPage.svelte';
import AcademySection from './AcademySection.svelte';
import { answer } from '../test/tauri';
import type { AcademyVocabulary, ConcernSheet } from '../lib/types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const CONCERN = '01900000-0000-7000-8000-00000000000e';
const LETTER = '01900000-0000-7000-8000-0000000000aa';
const OLD_TOWN = 990031;

const words: AcademyVocabulary = {
  grounds: [
    { id: 'high-absence', label: 'High absence or persistent absence' },
    { id: 'ofsted-drop', label: 'A drop in Ofsted rating' },
  ],
  steps: [
    { id: 'meeting', label: "meeting with the principal and the trust's chief executive" },
    { id: 'trust-letter', label: 'formal letter to the chair of the trust' },
    { id: 'funding-agency', label: 'referral to the funding agency (ESFA, now the DfE)' },
    { id: 'regional-director', label: 'referral to the Regional Director (formerly the RSC)' },
    { id: 'ofsted', label: 'referral to Ofsted' },
  ],
  stages: [
    { id: 'raised', label: 'Raised' },
    { id: 'meeting', label: 'Meeting held' },
    { id: 'trust-letter', label: 'Letter to the trust' },
    { id: 'referred', label: 'Referred' },
    { id: 'resolved', label: 'Resolved' },
  ],
  report_kinds: [
    {
      id: 'whistleblowing',
      label: 'whistleblowing concern',
      redirection: 'Redirect the whistleblower to the funding agency.',
      must_tell: [],
    },
  ],
  bodies: [
    { id: 'regional-director', label: 'the Regional Director' },
    { id: 'trust', label: "the academy's trust" },
    { id: 'ofsted', label: 'Ofsted' },
  ],
};

function sheet(overrides: Partial<ConcernSheet> = {}): ConcernSheet {
  return {
    concern: {
      id: CONCERN,
      urn: OLD_TOWN,
      raised_on: '2026-10-05',
      raised_by: null,
      evidence: [{ ground: 'high-absence', text: 'Persistent absence 27%.', noted_on: '2026-10-05' }],
      steps: [
        {
          step: 'meeting',
          taken_on: '2026-10-21',
          note: 'Met the principal and the CEO.',
          outcome: { on: '2026-10-21', text: 'The trust did not accept the concerns.' },
          letter: null,
        },
      ],
      resolved: null,
    },
    school: 'Old Town Academy',
    trust: 'Fenbridge Learning Trust',
    raised_by: 'Priya Raman',
    stage: 'meeting',
    next_steps: ['trust-letter'],
    indicators: ['academy-absence'],
    letters: [],
    ...overrides,
  };
}

beforeEach(() => {
  invoke.mockReset();
});

afterEach(() => {
  window.location.hash = '';
});

describe('a concern’s page', () => {
  it('shows the escalation in the strategy’s order and drafts the letter to the chair citing the concern’s grounds', async () => {
    answer(invoke, {
      academy_concern: () => sheet(),
      academy_vocabulary: () => words,
      draft_letter: () => ({ id: LETTER }),
    });
    render(AcademyConcernPage, { urn: OLD_TOWN, id: CONCERN });

    await screen.findByRole('heading', { name: 'Concern about Old Town Academy' });
    const steps = document.querySelectorAll('#escalation-timeline li');
    expect([...steps].map((step) => step.getAttribute('data-step'))).toEqual([
      'meeting',
      'trust-letter',
      'funding-agency',
      'regional-director',
      'ofsted',
    ]);
    expect(steps[0].textContent).toContain('21 October 2026');
    expect(steps[0].textContent).toContain('The trust did not accept the concerns.');
    expect(steps[1].textContent).toContain('Not taken');
    expect(document.getElementById('concern-stage')?.textContent).toBe('Meeting held');
    expect(document.getElementById('step-form')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Draft the letter to the chair of the trust' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/school/${OLD_TOWN}/letter/${LETTER}`));
    expect(invoke).toHaveBeenCalledWith('draft_letter', {
      urn: OLD_TOWN,
      kind: 'academy-concern',
      visit: null,
      indicators: ['academy-absence'],
      terms: null,
    });
  });

  it('records the first step and shows the back end’s refusal beside the form, keeping what was typed', async () => {
    const raised = sheet({
      stage: 'raised',
      next_steps: ['meeting'],
      concern: { ...sheet().concern, steps: [] },
    });
    let refuse = true;
    answer(invoke, {
      academy_concern: () => raised,
      academy_vocabulary: () => words,
      take_escalation_step: () => {
        if (refuse) throw 'a step cannot be dated 2030-01-01, after today';
        return sheet({ next_steps: [] });
      },
    });
    render(AcademyConcernPage, { urn: OLD_TOWN, id: CONCERN });
    const note = (await screen.findByLabelText('Who was met, or to whom it went')) as HTMLTextAreaElement;
    await fireEvent.input(note, { target: { value: 'Met Mr Hale' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Record the step' }));
    expect((await screen.findByRole('alert')).textContent).toContain('after today');
    expect(note.value).toBe('Met Mr Hale');

    refuse = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Record the step' }));
    await waitFor(() => expect(document.getElementById('step-form')).toBeNull());
    expect(invoke).toHaveBeenCalledWith('take_escalation_step', {
      id: CONCERN,
      step: 'meeting',
      on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      note: 'Met Mr Hale',
    });
  });
  it('says why the letter could not be drafted, beside the button', async () => {
    answer(invoke, {
      academy_concern: () => sheet(),
      academy_vocabulary: () => words,
      draft_letter: () => {
        throw 'letters/academy-concern.toml: the template does not parse';
      },
    });
    render(AcademyConcernPage, { urn: OLD_TOWN, id: CONCERN });
    await fireEvent.click(await screen.findByRole('button', { name: 'Draft the letter to the chair of the trust' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the template does not parse');
    expect(alert.closest('#letter-step')).not.toBeNull();
    expect(window.location.hash).toBe('');
  });
});

describe('an academy’s section on its page', () => {
  it('shows what the strategy says to do as soon as the kind of report is chosen', async () => {
    answer(invoke, {
      academy_case: () => ({ urn: OLD_TOWN, school: 'Old Town Academy', trust: null, concerns: [], reports: [] }),
      academy_vocabulary: () => words,
    });
    render(AcademySection, { urn: OLD_TOWN });
    const kind = (await screen.findByLabelText('What was raised')) as HTMLSelectElement;
    expect(document.getElementById('report-redirection')).toBeNull();
    await fireEvent.change(kind, { target: { value: 'whistleblowing' } });
    expect(document.getElementById('report-redirection')?.textContent).toContain(
      'Redirect the whistleblower to the funding agency.',
    );
  });

  it('raises a concern on the grounds ticked, each with its evidence, and opens it', async () => {
    answer(invoke, {
      academy_case: () => ({ urn: OLD_TOWN, school: 'Old Town Academy', trust: null, concerns: [], reports: [] }),
      academy_vocabulary: () => words,
      raise_academy_concern: () => sheet(),
    });
    render(AcademySection, { urn: OLD_TOWN });
    await fireEvent.click(await screen.findByRole('button', { name: 'Record a concern' }));
    await fireEvent.click(screen.getByLabelText('A drop in Ofsted rating'));
    await fireEvent.input(screen.getByLabelText('Evidence'), { target: { value: 'Requires improvement in May.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Record the concern' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/school/${OLD_TOWN}/concern/${CONCERN}`));
    expect(invoke).toHaveBeenCalledWith('raise_academy_concern', {
      urn: OLD_TOWN,
      raisedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      grounds: [{ ground: 'ofsted-drop', text: 'Requires improvement in May.' }],
    });
  });

  it('records who at the Regional Director was told of a safeguarding concern, and shows who is still to be told', async () => {
    const REPORT = '01900000-0000-7000-8000-0000000000bb';
    const report = {
      id: REPORT,
      urn: OLD_TOWN,
      kind: 'safeguarding',
      received_on: '2026-11-20',
      summary: 'Gates left open at break',
      redirection: 'Report the concern to the Regional Director and to the academy’s trust.',
      passed_on: [{ to: 'trust', person: 'Mrs Finch', on: '2026-11-21' }],
      logged_by: null,
    };
    const vocabulary = {
      ...words,
      report_kinds: [
        { id: 'safeguarding', label: 'safeguarding concern', redirection: report.redirection, must_tell: ['regional-director', 'trust'] },
      ],
    };
    answer(invoke, {
      academy_case: () => ({ urn: OLD_TOWN, school: 'Old Town Academy', trust: null, concerns: [], reports: [report] }),
      academy_vocabulary: () => vocabulary,
      pass_on_academy_report: () => report,
    });
    render(AcademySection, { urn: OLD_TOWN });
    await waitFor(() => expect(document.getElementById('academy-reports')?.textContent).toContain('Still to tell the Regional Director'));
    expect(document.getElementById('academy-reports')?.textContent).toContain("Told the academy's trust (Mrs Finch)");
    await fireEvent.input(screen.getByLabelText('Who'), { target: { value: 'Mr Achebe' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Record who was told' }));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('pass_on_academy_report', {
        id: REPORT,
        to: 'regional-director',
        person: 'Mr Achebe',
        on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      }),
    );
  });
});
