import { describe, expect, it } from 'vitest';
import { asHeading, termLabel } from './academy';

describe('academy wording', () => {
  const terms = [{ id: 'ofsted', label: 'referral to Ofsted' }];

  it('finds a label by id and says the id when the vocabulary lacks it', () => {
    expect(termLabel(terms, 'ofsted')).toBe('referral to Ofsted');
    expect(termLabel(terms, 'gossip')).toBe('gossip');
  });

  it('turns a label into a heading', () => {
    expect(asHeading('meeting with the principal')).toBe('Meeting with the principal');
    expect(asHeading('')).toBe('');
  });
});
