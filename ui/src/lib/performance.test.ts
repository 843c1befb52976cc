import { describe, expect, it } from 'vitest';
import {
  chartOf,
  evidenceYears,
  flaggedMeasures,
  kindWords,
  missingNotes,
  missingWords,
  suggestedStatements,
} from './performance';
import { absenceMeasure, ks2Measure, phonicsMeasure, smallPanel } from '../test/fixtures';
import type { MeasurePanel } from './types';

function line(chart: ReturnType<typeof chartOf>, key: string) {
  const found = chart?.lines.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no ${key} line`);
  return found;
}

describe('chartOf', () => {
  it('draws the three lines across the years, the highest figure above the lowest, each labelled as shown', () => {
    const chart = chartOf(ks2Measure);
    expect(chart?.lines.map((candidate) => candidate.key)).toEqual(['school', 'la', 'national']);
    expect(chart?.years.map((year) => year.label)).toEqual(['2022/23', '2023/24', '2024/25']);
    const school = line(chart, 'school');
    expect(school.points.map((point) => point.text)).toEqual(['48%', '50%', '47%']);
    expect(school.path.match(/[ML]/g)).toEqual(['M', 'L', 'L']);
    // 47% sits lower on the chart than 50%: SVG's y grows downwards.
    expect(school.points[2].y).toBeGreaterThan(school.points[1].y);
    expect(chart?.marks.map((mark) => mark.text)).toEqual(['62%', '47%']);
    const [highest, lowest] = chart?.marks ?? [];
    expect(highest.y).toBeLessThan(lowest.y);
    // No dot sits on the frame.
    const ys = chart?.lines.flatMap((candidate) => candidate.points.map((point) => point.y)) ?? [];
    expect(Math.min(...ys)).toBeGreaterThan(0);
    expect(Math.max(...ys)).toBeLessThan((chart?.height ?? 0) - 20);
  });

  it('breaks the school’s line at a year without a figure', () => {
    const school = line(chartOf(phonicsMeasure), 'school');
    expect(school.points.map((point) => point.year)).toEqual(['2022/23', '2024/25']);
    expect(school.path.match(/[ML]/g)).toEqual(['M', 'M']);
    expect(line(chartOf(phonicsMeasure), 'la').path.match(/[ML]/g)).toEqual(['M', 'L', 'L']);
  });

  it('centres a single year, labels a flat chart once, and draws nothing without a figure', () => {
    const flat: MeasurePanel = {
      ...absenceMeasure,
      years: [{ year: '2024/25', school: ks2Measure.years[0].school, la: ks2Measure.years[0].school, national: ks2Measure.years[0].school }],
    };
    const chart = chartOf(flat);
    expect(chart?.years[0].x).toBeCloseTo(((chart?.left ?? 0) + (chart?.right ?? 0)) / 2);
    expect(chart?.marks.map((mark) => mark.text)).toEqual(['48%']);
    const blank = phonicsMeasure.years[1].school;
    expect(chartOf({ ...flat, years: [{ year: '2024/25', school: blank, la: blank, national: blank }] })).toBeNull();
  });
});

describe('missing figures', () => {
  it('says why in a word or two in a cell, and in full once beneath', () => {
    expect(missingWords('suppressed')).toBe('Suppressed');
    expect(missingWords('low-coverage')).toBe('Low coverage');
    expect(missingNotes(phonicsMeasure)).toEqual(['Suppressed: too few pupils to publish']);
    expect(missingNotes(ks2Measure)).toEqual([]);
  });
});

describe('suggestions', () => {
  it('find the years they rest on, the measures they flag and the statements they offer', () => {
    const [ks2, attendance] = smallPanel.suggestions;
    expect(evidenceYears(ks2, smallPanel.measures).map((year) => year.school.text)).toEqual(['48%', '50%', '47%']);
    expect(evidenceYears(attendance, smallPanel.measures).map((year) => year.year)).toEqual(['2023/24', '2024/25']);
    expect(flaggedMeasures(smallPanel.suggestions)).toEqual(
      new Map([
        ['ks2-rwm-expected', ['consistently-below-national']],
        ['overall-absence', ['attendance-low-not-improving']],
      ]),
    );
    expect(suggestedStatements(smallPanel)).toEqual(new Set(['t-high']));
    expect(suggestedStatements(null)).toEqual(new Set());
    expect(kindWords('declining')).toBe('Worse each year for three years');
  });
});
