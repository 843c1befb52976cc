// How letters read on screen, and the editor's form: the recipients, copies
// and terms as the adviser types them, turned into what is saved. What is
// due, what a letter may cite and whether it is complete enough to issue are
// the back end's to say.

import type { Ground, Letter, LetterEdits, LetterKind, LetterStatus, Recipient } from './types';

const KIND_LABELS: Record<LetterKind, string> = {
  congratulations: 'Congratulations letter',
  'significant-concerns': 'Significant concerns letter',
  'warning-notice': 'Formal warning notice',
  'academy-concern': 'Letter of concern to the academy trust',
  'visit-note': 'Note of visit',
  'member-alert': 'Alert to ward members',
  'school-on-a-page': 'School on a page',
};

export const LETTER_KINDS = Object.keys(KIND_LABELS) as LetterKind[];

export function letterKindLabel(kind: LetterKind): string {
  return KIND_LABELS[kind];
}

export function letterStatusLabel(status: LetterStatus): string {
  return status === 'issued' ? 'Issued' : 'Draft';
}

const GROUND_LABELS: Record<Ground, string> = {
  'low-standards': 'Unacceptably low standards of performance',
  'management-breakdown': 'Serious breakdown in management or governance',
  'safety-threat': 'Safety of pupils or staff threatened',
};

export function groundLabel(ground: Ground): string {
  return GROUND_LABELS[ground];
}


/** A recipient as the editor holds it: the address as lines of one text box. */
export interface RecipientForm {
  name: string;
  role: string;
  address: string;
}

/** The draft as its fields hold it while the adviser types. */
export interface LetterForm {
  id: string;
  subject: string;
  body: string;
  recipients: RecipientForm[];
  /** One body per line. */
  copies: string;
  indicators: string[];
  terms: Letter['terms'];
}

export function letterForm(letter: Letter): LetterForm {
  return {
    id: letter.id,
    subject: letter.subject,
    body: letter.body,
    recipients: letter.recipients.map((recipient) => ({
      name: recipient.name,
      role: recipient.role,
      address: recipient.address.join('\n'),
    })),
    copies: letter.copies_to.join('\n'),
    indicators: [...letter.indicators],
    terms: letter.terms === null ? null : { ...letter.terms, minded_to: [...letter.terms.minded_to] },
  };
}

/** Lines of a text box, trimmed, blank ones left out. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** What the form holds, as the back end saves it. */
export function editsOf(form: LetterForm): LetterEdits {
  return {
    id: form.id,
    subject: form.subject,
    body: form.body,
    recipients: form.recipients.map(
      (recipient): Recipient => ({
        name: recipient.name.trim(),
        role: recipient.role.trim(),
        address: linesOf(recipient.address),
      }),
    ),
    copies_to: linesOf(form.copies),
    indicators: [...form.indicators],
    terms: form.terms === null ? null : { ...form.terms, minded_to: [...form.terms.minded_to] },
  };
}
