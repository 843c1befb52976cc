// How a school's performance data is drawn: a small chart's geometry from a
// measure's years, the words for a missing figure and for an indicator, and
// the figures an indicator rests on. Every figure's text and every indicator
// comes from the back end; nothing here judges a school.

import { sentenceCase } from './format';
import type {
  FigureView,
  IndicatorKind,
  MeasurePanel,
  NoFigure,
  PerformancePanel,
  Suggestion,
  YearView,
} from './types';

export type SeriesKey = 'school' | 'la' | 'national';

export interface SeriesStyle {
  key: SeriesKey;
  label: string;
  /** Heads its column in a table. */
  short: string;
  colour: string;
  /** SVG stroke-dasharray; the school's line is solid and thicker. */
  dash: string;
  width: number;
}

const STYLES: Record<SeriesKey, SeriesStyle> = {
  school: { key: 'school', label: 'School', short: 'School', colour: '#1d70b8', dash: 'none', width: 3 },
  la: { key: 'la', label: 'Local authority', short: 'LA', colour: '#912b88', dash: '6 3', width: 2 },
  national: { key: 'national', label: 'England', short: 'England', colour: '#505a5f', dash: '2 3', width: 2 },
};

/** The three lines of every chart, in the order the tables give them. */
export const SERIES: readonly SeriesStyle[] = [STYLES.school, STYLES.la, STYLES.national];

export function seriesStyle(key: SeriesKey): SeriesStyle {
  return STYLES[key];
}

export interface ChartPoint {
  x: number;
  y: number;
  year: string;
  text: string;
}

export interface ChartLine {
  key: SeriesKey;
  points: ChartPoint[];
  /** SVG path data; a year without a figure breaks the line. */
  path: string;
}

export interface Chart {
  width: number;
  height: number;
  lines: ChartLine[];
  /** Where each year's label sits on the x axis. */
  years: { x: number; label: string }[];
  /** The lowest and highest figures drawn, labelled with their own text. */
  marks: { y: number; text: string }[];
  /** The plot's left and right edges, for the gridlines. */
  left: number;
  right: number;
}

const WIDTH = 300;
const HEIGHT = 140;
const PAD = { left: 46, right: 14, top: 10, bottom: 24 };

/** The chart of one measure, or null when no year has any figure to draw. */
export function chartOf(measure: MeasurePanel): Chart | null {
  const figures = measure.years.flatMap((year) => SERIES.map(({ key }) => year[key]));
  const drawn = figures.filter((figure): figure is FigureView & { value: number } => figure.value !== null);
  if (drawn.length === 0) return null;
  const lowest = drawn.reduce((low, figure) => (figure.value < low.value ? figure : low));
  const highest = drawn.reduce((high, figure) => (figure.value > high.value ? figure : high));
  // A tenth of the range above and below, so no dot sits on the frame; a flat chart gets one unit.
  const margin = (highest.value - lowest.value) / 10 || 1;
  const [bottom, top] = [lowest.value - margin, highest.value + margin];
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const count = measure.years.length;
  const x = (index: number) => PAD.left + (count === 1 ? plotWidth / 2 : (index * plotWidth) / (count - 1));
  const y = (value: number) => PAD.top + ((top - value) / (top - bottom)) * plotHeight;
  const marks = [highest, lowest]
    .filter((figure, index) => index === 0 || figure.value !== highest.value)
    .map((figure) => ({ y: y(figure.value), text: figure.text }));
  return {
    width: WIDTH,
    height: HEIGHT,
    lines: SERIES.map(({ key }) => lineOf(key, measure.years, x, y)),
    years: measure.years.map((year, index) => ({ x: x(index), label: year.year })),
    marks,
    left: PAD.left,
    right: WIDTH - PAD.right,
  };
}

function lineOf(
  key: SeriesKey,
  years: YearView[],
  x: (index: number) => number,
  y: (value: number) => number,
): ChartLine {
  const points: ChartPoint[] = [];
  let path = '';
  let drawing = false;
  years.forEach((year, index) => {
    const figure = year[key];
    if (figure.value === null) {
      drawing = false;
      return;
    }
    const point = { x: x(index), y: y(figure.value), year: year.year, text: figure.text };
    points.push(point);
    path += `${drawing ? 'L' : 'M'}${point.x.toFixed(1)} ${point.y.toFixed(1)}`;
    drawing = true;
  });
  return { key, points, path };
}

const MISSING_WORDS: Record<NoFigure, string> = {
  suppressed: 'Suppressed',
  'no-entries': 'No entries',
  'not-published': 'Not published',
  'low-coverage': 'Low coverage',
  'not-applicable': 'Not applicable',
  'not-available': 'Not available',
};

/** What a table cell says for a missing figure: a word or two; the reason in full is a note. */
export function missingWords(reason: NoFigure): string {
  return MISSING_WORDS[reason];
}

/** Each reason a figure of the measure is missing, once, in full: "Suppressed: too few pupils to publish". */
export function missingNotes(measure: MeasurePanel): string[] {
  const reasons = measure.years.flatMap((year) =>
    SERIES.map(({ key }) => year[key]).filter((figure) => figure.missing !== null),
  );
  return [...new Set(reasons.map((figure) => figure.text))].map(sentenceCase);
}

const KIND_WORDS: Record<IndicatorKind, string> = {
  'consistently-below-national': 'Worse than England three years running',
  declining: 'Worse each year for three years',
  'attendance-low-not-improving': 'Attendance low and not improving',
};

export function kindWords(kind: IndicatorKind): string {
  return KIND_WORDS[kind];
}

/** The years of the measure an indicator rests on, as the data panel shows them. */
export function evidenceYears(suggestion: Suggestion, measures: readonly MeasurePanel[]): YearView[] {
  const years = new Set(suggestion.evidence.map((evidence) => evidence.year));
  const measure = measures.find((candidate) => candidate.measure === suggestion.measure);
  return measure?.years.filter((year) => years.has(year.year)) ?? [];
}

/** The measures that show an indicator, for the tags on their charts. */
export function flaggedMeasures(suggestions: readonly Suggestion[]): Map<string, IndicatorKind[]> {
  const flagged = new Map<string, IndicatorKind[]>();
  for (const suggestion of suggestions) {
    flagged.set(suggestion.measure, [...(flagged.get(suggestion.measure) ?? []), suggestion.kind]);
  }
  return flagged;
}

/** The statements the data suggests ticking, from any of its indicators. */
export function suggestedStatements(panel: PerformancePanel | null): Set<string> {
  return new Set(panel?.suggestions.flatMap((suggestion) => suggestion.statements) ?? []);
}
