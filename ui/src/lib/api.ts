// Typed wrappers over the Tauri commands. This is the only module that calls
// `invoke`: components never name a command themselves, and no business rule
// lives here, only the call and the turning of a rejection into an Error.

import { invoke } from '@tauri-apps/api/core';
import type {
  Action,
  ActionOnDay,
  CriteriaSet,
  HistoryEntry,
  ImportSummary,
  Mark,
  MarkedReview,
  PerformancePanel,
  PlannedVisit,
  Review,
  SchoolProfile,
  SchoolRow,
  Scope,
  Scorecard,
  SearchHit,
  Session,
  StoreStatus,
  Visit,
  VisitKind,
  VisitSheet,
} from './types';

/** Commands reject with a plain string meant for the user; keep it as the message. */
function messageOf(reason: unknown): string {
  if (typeof reason === 'string' && reason.trim() !== '') return reason;
  if (reason instanceof Error && reason.message) return reason.message;
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const message = (reason as { message: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  return 'The command failed without saying why.';
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw new Error(messageOf(reason));
  }
}

export function storeStatus(): Promise<StoreStatus> {
  return call<StoreStatus>('store_status');
}

export function listSchools(scope: Scope): Promise<SchoolRow[]> {
  return call<SchoolRow[]>('list_schools', { scope });
}

export function schoolProfile(urn: number): Promise<SchoolProfile> {
  return call<SchoolProfile>('school_profile', { urn });
}

export function loadDemo(): Promise<StoreStatus> {
  return call<StoreStatus>('load_demo');
}

export function importGias(path: string, la: number | null): Promise<ImportSummary> {
  return call<ImportSummary>('import_gias', { path, la });
}

/** The criteria set `set`, or the authority's default set when null. */
export function criteriaSet(set: string | null): Promise<CriteriaSet> {
  return call<CriteriaSet>('criteria_set', { set });
}

export function criteriaSets(): Promise<CriteriaSet[]> {
  return call<CriteriaSet[]>('criteria_sets');
}

/** The best fit of the ticked statements, worked out by the back end. */
export function scoreMarks(set: string, marks: Mark[]): Promise<Scorecard> {
  return call<Scorecard>('score_marks', { set, marks });
}

/** The school's draft review under way, or null. */
export function reviewDraft(urn: number): Promise<Review | null> {
  return call<Review | null>('review_draft', { urn });
}

/** Saves the ticks, notes and any override being written as the school's draft under way. */
export function saveReviewDraft(urn: number, review: MarkedReview): Promise<Review> {
  return call<Review>('save_review_draft', { urn, review });
}

/** Agrees the school's review as marked; from then on it never changes. */
export function agreeReview(urn: number, review: MarkedReview): Promise<Review> {
  return call<Review>('agree_review', { urn, review });
}

/** The school's agreed reviews, oldest first, with their direction of travel. */
export function reviewHistory(urn: number): Promise<HistoryEntry[]> {
  return call<HistoryEntry[]>('review_history', { urn });
}

/** The school's figures over the years and what they suggest, against the set `set` (the default set when null). */
export function performancePanel(urn: number, set: string | null): Promise<PerformancePanel> {
  return call<PerformancePanel>('performance_panel', { urn, set });
}

/** Plans a visit for the adviser; it becomes a draft once something is written. */
export function planVisit(urn: number, visitedOn: string, session: Session, kind: VisitKind): Promise<Visit> {
  return call<Visit>('plan_visit', { urn, visited_on: visitedOn, session, kind });
}

/** The school's visits, oldest first. */
export function schoolVisits(urn: number): Promise<Visit[]> {
  return call<Visit[]>('school_visits', { urn });
}

/** The school's actions, soonest due first, each flagged when overdue today. */
export function schoolActions(urn: number): Promise<ActionOnDay[]> {
  return call<ActionOnDay[]>('school_actions', { urn });
}

/** The visit with its school, its sections, its actions and those it reviews. */
export function visitSheet(id: string): Promise<VisitSheet> {
  return call<VisitSheet>('visit_sheet', { id });
}

/** Saves what has been typed so far; the back end refuses a finalised visit. */
export function saveVisitDraft(visit: Visit): Promise<Visit> {
  return call<Visit>('save_visit_draft', { visit });
}

/** Finalises the visit: from then on it never changes. */
export function finaliseVisit(id: string): Promise<Visit> {
  return call<Visit>('finalise_visit', { id });
}

/** Starts an addendum to a finalised visit. */
export function addAddendum(id: string): Promise<Visit> {
  return call<Visit>('add_addendum', { id });
}

export function agreeAction(visit: string, text: string, owner: string, dueOn: string): Promise<Action> {
  return call<Action>('agree_action', { visit, text, owner, due_on: dueOn });
}

export function completeAction(id: string): Promise<Action> {
  return call<Action>('complete_action', { id });
}

export function dropAction(id: string, reason: string): Promise<Action> {
  return call<Action>('drop_action', { id, reason });
}

/** Visit notes and actions matching what is typed, newest first. */
export function search(text: string): Promise<SearchHit[]> {
  return call<SearchHit[]>('search', { text });
}

/** Planned visits, soonest first, each with its school. */
export function plannedVisits(): Promise<PlannedVisit[]> {
  return call<PlannedVisit[]>('planned_visits');
}

/** Writes the planned visits to `path` as an iCalendar file; resolves to how many. */
export function exportCalendar(path: string): Promise<number> {
  return call<number>('export_calendar', { path });
}
