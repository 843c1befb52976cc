import { describe, expect, it } from 'vitest';
import { CHART, DASHBOARD_LISTS, actionHref, categoryBars, isDashboardList, listView } from './dashboard';
import { DRAFT, GROUP, MADE, MEETING, NORTHGATE, PLANNED, dashboard } from '../test/dashboardFixtures';

describe('the lists behind the figures', () => {
  it('has a list for every figure, each as long as the figure it opens', () => {
    const board = dashboard();
    const counts: Record<string, number> = {
      'visits-due': board.visits.due.length,
      'visits-done': board.visits.done.length,
      'actions-overdue': board.actions_overdue.length,
      'not-reviewed': board.not_reviewed.length,
      letters: board.letters.length,
      'now-high': 1,
      'last-term-medium': 1,
      declined: 1,
    };
    for (const [list, count] of Object.entries(counts)) {
      expect(isDashboardList(list)).toBe(true);
      if (isDashboardList(list)) expect(listView(board, list).rows).toHaveLength(count);
    }
    expect(DASHBOARD_LISTS).toHaveLength(19);
    expect(isDashboardList('now-extreme')).toBe(false);
  });

  it('links each row to the page it counts', () => {
    const board = dashboard();
    const due = listView(board, 'visits-due').rows;
    expect(due.map((row) => row.href)).toEqual(['#/school/990007', `#/school/990008/visit/${PLANNED}`]);
    expect(due[1].detail).toBe('Autumn term (core visit): planned for 9 December 2026');
    expect(listView(board, 'visits-done').rows[0].href).toBe(`#/school/990001/visit/${MADE}`);
    expect(listView(board, 'msp-due').rows[0].href).toBe(`#/msp/${GROUP}`);
    expect(listView(board, 'not-reviewed').rows.map((row) => row.detail)).toEqual([
      'Low support, last reviewed 11 March 2026',
      'Not yet categorised, never reviewed',
    ]);
    const letters = listView(board, 'letters').rows;
    expect(letters.map((row) => row.href)).toEqual([`#/school/990007/letter/${DRAFT}`, '#/school/990008']);
    expect(letters[0].detail).toBe('Formal warning notice: drafted');
    expect(listView(board, 'declined').rows[0].detail).toBe('Medium support → High support');
    expect(listView(board, 'last-term-high').rows.map((row) => row.school.urn)).toEqual([990009]);
    expect(listView(board, 'now-none').title).toBe('Not yet categorised now');
    expect(listView(board, 'visits-overdue')).toMatchObject({ rows: [], empty: 'No visit is overdue.' });
  });

  it('opens an overdue action where it was agreed', () => {
    const [action] = dashboard().actions_overdue;
    expect(actionHref(action)).toBe(`#/msp/${GROUP}/meeting/${MEETING}`);
    expect(actionHref({ ...action, source: { kind: 'visit', id: MADE } })).toBe(`#/school/990007/visit/${MADE}`);
    expect(actionHref({ ...action, msp_group: null })).toBe(`#/school/${NORTHGATE.urn}`);
  });
});

describe('the category chart', () => {
  it('draws two bars a category, the tallest for the largest count, on one baseline', () => {
    const board = dashboard();
    board.categories.rows[0].now = [NORTHGATE, NORTHGATE, NORTHGATE];
    const bars = categoryBars(board);
    expect(bars).toHaveLength(8);
    expect(bars.map((bar) => bar.list).slice(0, 2)).toEqual(['last-term-low', 'now-low']);
    const tallest = bars.find((bar) => bar.list === 'now-low');
    expect(tallest?.height).toBe(CHART.base - CHART.top);
    expect(bars.find((bar) => bar.list === 'now-high')?.height).toBeCloseTo((CHART.base - CHART.top) / 3);
    for (const bar of bars) {
      expect(bar.y + bar.height).toBeCloseTo(CHART.base);
      expect(bar.x + bar.width).toBeLessThanOrEqual(CHART.width);
    }
  });

  it('draws no bar higher than the chart when every category is empty', () => {
    const board = dashboard();
    for (const row of board.categories.rows) {
      row.now = [];
      row.last_term = [];
    }
    expect(categoryBars(board).every((bar) => bar.height === 0 && bar.y === CHART.base)).toBe(true);
  });
});
