import { describe, expect, it } from 'vitest';
import { sentenceCase } from './format';
import { editsOf, letterForm, letterKindLabel } from './letters';
import { letter } from '../test/letterFixtures';

describe('the letter form', () => {
  it('holds each address and the copies as lines of a text box, and saves them as lists without blank lines', () => {
    const form = letterForm(letter({ copies_to: ['Ofsted', 'Chair of the trust'] }));
    expect(form.recipients[0].address).toBe('Northgate Avenue\nFenbridge');
    expect(form.copies).toBe('Ofsted\nChair of the trust');

    form.recipients[0].address = ' Northgate Avenue \n\nFenbridge\n';
    form.recipients[1].name = '  Mr Geoffrey Lambert ';
    form.copies = 'Ofsted\n\n  Clerk to the governors  \n';
    const edits = editsOf(form);
    expect(edits.recipients[0].address).toEqual(['Northgate Avenue', 'Fenbridge']);
    expect(edits.recipients[1].name).toBe('Mr Geoffrey Lambert');
    expect(edits.copies_to).toEqual(['Ofsted', 'Clerk to the governors']);
    expect(edits).toMatchObject({ id: letter().id, subject: letter().subject, body: letter().body, terms: null });
  });

  it('copies the terms, so editing the form never changes the letter it came from', () => {
    const original = letter({
      terms: { ground: 'low-standards', compliance_days: 15, minded_to: ['additional-governors'] },
    });
    const form = letterForm(original);
    form.terms?.minded_to.push('interim-executive-board');
    expect(original.terms?.minded_to).toEqual(['additional-governors']);
    expect(editsOf(form).terms?.minded_to).toEqual(['additional-governors', 'interim-executive-board']);
  });

  it('names kinds as advisers do and starts a statement as a choice’s label', () => {
    expect(letterKindLabel('warning-notice')).toBe('Formal warning notice');
    expect(sentenceCase('appoint additional governors')).toBe('Appoint additional governors');
  });
});
