import { describe, expect, it } from 'vitest';
import {
  compareText,
  filterSchools,
  nextSort,
  NO_FILTER,
  phaseOptions,
  resultCount,
  sortSchools,
  type TableFilter,
} from './table';
import { abbeyFields, allRows, hartfieldHigh, riverside, school, stMarys, zoeHart } from '../test/fixtures';
import type { SchoolRow } from './types';

const names = (rows: SchoolRow[]) => rows.map((row) => row.name);
const urns = (rows: SchoolRow[]) => rows.map((row) => row.urn);
const withText = (text: string): TableFilter => ({ ...NO_FILTER, text });

describe('sortSchools', () => {
  it('sorts names the British way: accents beside their letter, not after z', () => {
    const rows = ['Zora Lane Infants', 'Zoë Hart Nursery School', 'Zoe Street Primary', 'Zeal Academy'].map(
      (name, index) => school({ urn: index + 1, name }),
    );
    expect(names(sortSchools(rows, { key: 'name', direction: 'ascending' }))).toEqual([
      'Zeal Academy',
      'Zoë Hart Nursery School',
      'Zoe Street Primary',
      'Zora Lane Infants',
    ]);
  });

  it('keeps St Mary’s with a curly apostrophe among the other St M… schools', () => {
    const rows = ['St Michael’s Primary', 'Stanton Primary', 'St Mary’s Primary', 'St Mark’s Primary'].map(
      (name, index) => school({ urn: index + 1, name }),
    );
    expect(names(sortSchools(rows, { key: 'name', direction: 'ascending' }))).toEqual([
      'St Mark’s Primary',
      'St Mary’s Primary',
      'St Michael’s Primary',
      'Stanton Primary',
    ]);
  });

  it('sorts URNs as numbers, not as text', () => {
    expect(urns(sortSchools(allRows, { key: 'urn', direction: 'ascending' }))).toEqual([
      99005, 140512, 990001, 990020, 990031,
    ]);
    expect(urns(sortSchools(allRows, { key: 'urn', direction: 'descending' }))).toEqual([
      990031, 990020, 990001, 140512, 99005,
    ]);
  });

  it('puts schools with nothing recorded last, whichever the direction', () => {
    const up = sortSchools(allRows, { key: 'ofsted', direction: 'ascending' });
    const down = sortSchools(allRows, { key: 'ofsted', direction: 'descending' });
    expect(names(up).slice(0, 3)).toEqual([stMarys.name, zoeHart.name, hartfieldHigh.name]);
    expect(names(down).slice(0, 3)).toEqual([hartfieldHigh.name, zoeHart.name, stMarys.name]);
    // No inspection recorded: last both ways, by name.
    expect(names(up).slice(3)).toEqual([abbeyFields.name, riverside.name]);
    expect(names(down).slice(3)).toEqual([abbeyFields.name, riverside.name]);

    const byWard = sortSchools(allRows, { key: 'ward', direction: 'descending' });
    expect(byWard[byWard.length - 1].urn).toBe(riverside.urn);
  });

  it('breaks ties by name and keeps same-named schools in their original order', () => {
    const first = school({ urn: 900003, name: 'St Mary’s Catholic Primary School', ward: 'Abbey' });
    const second = school({ urn: 900001, name: 'St Mary’s Catholic Primary School', ward: 'Abbey' });
    const other = school({ urn: 900002, name: 'Abbey Infants', ward: 'Abbey' });
    const sorted = sortSchools([first, second, other], { key: 'ward', direction: 'ascending' });
    expect(urns(sorted)).toEqual([900002, 900003, 900001]);
    const reversed = sortSchools([first, second, other], { key: 'ward', direction: 'descending' });
    expect(urns(reversed)).toEqual([900002, 900003, 900001]);
    const byName = sortSchools([second, first], { key: 'name', direction: 'descending' });
    expect(urns(byName)).toEqual([900001, 900003]);
  });

  it('orders phases as GIAS lists them, youngest first', () => {
    expect(urns(sortSchools(allRows, { key: 'phase', direction: 'ascending' }))).toEqual([
      zoeHart.urn,
      abbeyFields.urn,
      stMarys.urn,
      hartfieldHigh.urn,
      riverside.urn,
    ]);
  });

  it('puts maintained schools first when sorting that column ascending', () => {
    const sorted = sortSchools(allRows, { key: 'maintained', direction: 'ascending' });
    expect(sorted.map((row) => row.maintained)).toEqual([true, true, true, false, false]);
  });

  it('sorts categories low to high and directions improving first, unreviewed schools last', () => {
    const rows = [
      school({ urn: 1, name: 'A', category: 'high', direction: 'steady' }),
      school({ urn: 2, name: 'B' }),
      school({ urn: 3, name: 'C', category: 'low', direction: 'declining' }),
      school({ urn: 4, name: 'D', category: 'medium', direction: 'improving' }),
    ];
    expect(urns(sortSchools(rows, { key: 'category', direction: 'ascending' }))).toEqual([3, 4, 1, 2]);
    expect(urns(sortSchools(rows, { key: 'category', direction: 'descending' }))).toEqual([1, 4, 3, 2]);
    expect(urns(sortSchools(rows, { key: 'direction', direction: 'ascending' }))).toEqual([4, 1, 3, 2]);
  });

  it('puts reviews due and the most visits owed first when ascending, overdue before due', () => {
    const rows = [
      school({ urn: 1, name: 'A', visits_due: 3 }),
      school({ urn: 2, name: 'B', visits_overdue: 1, review_due: true }),
      school({ urn: 3, name: 'C' }),
      school({ urn: 4, name: 'D', visits_due: 1, visits_overdue: 1 }),
    ];
    expect(urns(sortSchools(rows, { key: 'visits', direction: 'ascending' }))).toEqual([4, 2, 1, 3]);
    expect(urns(sortSchools(rows, { key: 'review', direction: 'ascending' }))).toEqual([2, 1, 3, 4]);
  });

  it('puts the most overdue actions first when ascending', () => {
    const rows = [
      school({ urn: 1, name: 'A' }),
      school({ urn: 2, name: 'B', actions_overdue: 1 }),
      school({ urn: 3, name: 'C', actions_overdue: 4 }),
    ];
    expect(urns(sortSchools(rows, { key: 'actions', direction: 'ascending' }))).toEqual([3, 2, 1]);
    expect(urns(sortSchools(rows, { key: 'actions', direction: 'descending' }))).toEqual([1, 2, 3]);
  });

  it('does not change the rows it was given', () => {
    const copy = [...allRows];
    sortSchools(allRows, { key: 'urn', direction: 'descending' });
    expect(allRows).toEqual(copy);
  });
});

describe('nextSort', () => {
  it('reverses the sorted column and starts a new column ascending', () => {
    expect(nextSort({ key: 'name', direction: 'ascending' }, 'name')).toEqual({ key: 'name', direction: 'descending' });
    expect(nextSort({ key: 'name', direction: 'descending' }, 'name')).toEqual({ key: 'name', direction: 'ascending' });
    expect(nextSort({ key: 'name', direction: 'descending' }, 'urn')).toEqual({ key: 'urn', direction: 'ascending' });
  });
});

describe('filterSchools', () => {
  it('matches name, URN, ward, town, type and trust, ignoring case', () => {
    expect(urns(filterSchools(allRows, withText('HIGH')))).toEqual([hartfieldHigh.urn]);
    expect(urns(filterSchools(allRows, withText('99002')))).toEqual([zoeHart.urn]);
    expect(urns(filterSchools(allRows, withText('castle')))).toEqual([zoeHart.urn, hartfieldHigh.urn]);
    expect(urns(filterSchools(allRows, withText('oakby')))).toEqual([zoeHart.urn, riverside.urn]);
    expect(urns(filterSchools(allRows, withText('voluntary aided')))).toEqual([stMarys.urn]);
    expect(urns(filterSchools(allRows, withText('northgate')))).toEqual([abbeyFields.urn]);
  });

  it('needs every word to match somewhere', () => {
    expect(urns(filterSchools(allRows, withText('abbey hartfield')))).toEqual([stMarys.urn, abbeyFields.urn]);
    expect(urns(filterSchools(allRows, withText('abbey academy')))).toEqual([abbeyFields.urn]);
    expect(filterSchools(allRows, withText('abbey oakby'))).toEqual([]);
  });

  it('finds St Mary’s and Zoë however the adviser types them', () => {
    expect(urns(filterSchools(allRows, withText("st mary's")))).toEqual([stMarys.urn]);
    expect(urns(filterSchools(allRows, withText('St Marys')))).toEqual([stMarys.urn]);
    expect(urns(filterSchools(allRows, withText('zoe')))).toEqual([zoeHart.urn]);
  });

  it('does not match on fields outside the list, such as the link SIA', () => {
    expect(filterSchools(allRows, withText('Priya'))).toEqual([]);
  });

  it('keeps every row for empty or blank text', () => {
    expect(filterSchools(allRows, withText('   '))).toHaveLength(allRows.length);
  });

  it('narrows by phase and by governance, together with the text', () => {
    expect(urns(filterSchools(allRows, { ...NO_FILTER, phase: 'primary' }))).toEqual([stMarys.urn, abbeyFields.urn]);
    expect(urns(filterSchools(allRows, { ...NO_FILTER, governance: 'academy' }))).toEqual([
      abbeyFields.urn,
      riverside.urn,
    ]);
    expect(urns(filterSchools(allRows, { ...NO_FILTER, governance: 'maintained' }))).toEqual([
      stMarys.urn,
      zoeHart.urn,
      hartfieldHigh.urn,
    ]);
    expect(urns(filterSchools(allRows, { text: 'abbey', phase: 'primary', governance: 'maintained' }))).toEqual([
      stMarys.urn,
    ]);
  });
});

describe('phaseOptions', () => {
  it('lists each phase present once, in GIAS order', () => {
    expect(phaseOptions([...allRows, stMarys])).toEqual([
      { value: 'nursery', label: 'Nursery' },
      { value: 'primary', label: 'Primary' },
      { value: 'secondary', label: 'Secondary' },
      { value: 'sixteen_plus', label: '16 plus' },
    ]);
  });
});

describe('compareText and resultCount', () => {
  it('compares numbers inside names as numbers', () => {
    expect(compareText('Site 2', 'Site 10')).toBeLessThan(0);
  });

  it('words the count', () => {
    expect(resultCount(12, 30)).toBe('Showing 12 of 30 schools');
    expect(resultCount(1, 1)).toBe('Showing 1 of 1 school');
  });
});
