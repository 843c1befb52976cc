import { describe, expect, it } from 'vitest';
import { categoryLabel, categoryName, CATEGORIES, describeDirection, termLabel } from './category';

describe('category words', () => {
  it('names the categories as the strategy does, lowest first', () => {
    expect(CATEGORIES.map(categoryLabel)).toEqual(['Low support', 'Medium support', 'High support']);
    expect(categoryName('medium')).toBe('Medium');
  });

  it('points improving up and declining down, with words for screen readers', () => {
    expect(describeDirection('improving')).toEqual({ arrow: '↑', words: 'Improving' });
    expect(describeDirection('steady')).toEqual({ arrow: '→', words: 'Steady' });
    expect(describeDirection('declining')).toEqual({ arrow: '↓', words: 'Declining' });
  });

  it('writes the term with its academic year', () => {
    expect(termLabel('autumn', 2026)).toBe('Autumn 2026/27');
    expect(termLabel('summer', 2099)).toBe('Summer 2099/00');
    expect(termLabel('spring', 2008)).toBe('Spring 2008/09');
  });
});
