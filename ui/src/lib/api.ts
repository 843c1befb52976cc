// Typed wrappers over the Tauri commands. This is the only module that calls
// `invoke`: components never name a command themselves, and no business rule
// lives here, only the call and the turning of a rejection into an Error.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AcademyCase,
  AcademyReport,
  AcademyVocabulary,
  Action,
  AuthorityView,
  ActionOnDay,
  ActionUpdate,
  AuditPage,
  BatchEnd,
  BatchProgress,
  BatchStarted,
  CalendarCount,
  CalendarSubscription,
  PrintSetup,
  PrintSubmitted,
  CriteriaSet,
  Dashboard,
  EligibleSchool,
  HistoryEntry,
  ImportSummary,
  IndicatorText,
  Letter,
  LetterEdits,
  LetterKind,
  LetterSheet,
  Mark,
  MarkedReview,
  MinutesEdit,
  MspDocument,
  MspGroup,
  MspGroupPage,
  MspGroupView,
  MspMeeting,
  MspMeetingPage,
  MspOffer,
  NewAction,
  PerformancePanel,
  PlannedVisit,
  Review,
  SavedLetter,
  SchoolDue,
  SchoolLetters,
  SchoolMsp,
  SchoolProfile,
  SchoolRow,
  Scope,
  Scorecard,
  SearchHit,
  Session,
  StoreLock,
  LockSettings,
  StoreStatus,
  SyncStatus,
  EnrolledAs,
  FieldConflict,
  RefusedOperation,
  WithdrawnNotice,
  Visit,
  VisitKind,
  VisitSheet,
  WarningTerms,
  ConcernGround,
  ConcernSheet,
  EscalationStepId,
  ReportBody,
  ReportKind,
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

export function storeLock(): Promise<StoreLock> {
  return call<StoreLock>('store_lock');
}

/** Opens the store with the passphrase; rejects with why (a wrong one among them). */
export function unlockStore(passphrase: string): Promise<void> {
  return call<void>('unlock_store', { passphrase });
}

export function lockSettings(): Promise<LockSettings> {
  return call<LockSettings>('lock_settings');
}

/** Locks after `minutes` idle (one of the choices), or never (null). */
export function setLockAfter(minutes: number | null): Promise<LockSettings> {
  return call<LockSettings>('set_lock_after', { minutes });
}

export function setLockPassword(password: string): Promise<LockSettings> {
  return call<LockSettings>('set_lock_password', { password });
}

export function noteActivity(): Promise<void> {
  return call<void>('note_activity');
}

/** Closes the store and forgets its key; call `lockWindow` (appLock.ts), which saves drafts first. */
export function lockApp(): Promise<void> {
  return call<void>('lock_app');
}

/**
 * Calls `onask` when the idle time has passed (save drafts, then lock) and
 * `onlocked` when the app locked without waiting; resolves to a function
 * that stops listening.
 */
export async function onAppLock(onask: () => void, onlocked: () => void): Promise<UnlistenFn> {
  const stops = await Promise.all([listen('app-lock://lock', onask), listen('app-lock://locked', onlocked)]);
  return () => stops.forEach((stop) => stop());
}

export function storeStatus(): Promise<StoreStatus> {
  return call<StoreStatus>('store_status');
}

/** This term's figures for the adviser's caseload, each with the list it counts. */
export function dashboard(): Promise<Dashboard> {
  return call<Dashboard>('dashboard');
}

export function authorityView(): Promise<AuthorityView> {
  return call<AuthorityView>('authority_view');
}

/** The report for the scrutiny committee: the PDF's bytes. */
export function authorityReportPdf(): Promise<ArrayBuffer> {
  return call<ArrayBuffer>('authority_report_pdf');
}

/** Writes the report's PDF to `path`; resolves to where it was written. */
export function saveAuthorityReport(path: string): Promise<string> {
  return call<string>('save_authority_report', { path });
}

/** Writes every open school as CSV to `path`; resolves to where it was written. */
export function saveAuthorityCsv(path: string): Promise<string> {
  return call<string>('save_authority_csv', { path });
}

/** Opens the demo as another of its advisers. */
export function switchDemoAdviser(adviser: string): Promise<StoreStatus> {
  return call<StoreStatus>('switch_demo_adviser', { adviser });
}

export function listSchools(scope: Scope): Promise<SchoolRow[]> {
  return call<SchoolRow[]>('list_schools', { scope });
}

export function schoolProfile(urn: number): Promise<SchoolProfile> {
  return call<SchoolProfile>('school_profile', { urn });
}

/** A page of the school's audit trail, newest first: older than the entry `before` when given. */
export function schoolAudit(urn: number, before: number | null = null): Promise<AuditPage> {
  return call<AuditPage>('school_audit', { urn, before });
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

/** Writes the planned visits and MSP meetings to `path` as one iCalendar file; resolves to how many of each. */
export function exportCalendar(path: string): Promise<CalendarCount> {
  return call<CalendarCount>('export_calendar', { path });
}

/** Where the calendar file for a subscription is, and whether the app keeps it. */
export function calendarSubscription(): Promise<CalendarSubscription> {
  return call<CalendarSubscription>('calendar_subscription');
}

/** Writes the calendar file for a subscription now; the app keeps it up to date from then on. */
export function keepCalendarSubscription(): Promise<CalendarSubscription> {
  return call<CalendarSubscription>('keep_calendar_subscription');
}

/** How this computer prints: CUPS with its printers, or the webview's own dialog. */
export function printSetup(): Promise<PrintSetup> {
  return call<PrintSetup>('print_setup');
}

/** Prints the PDF a preview shows, byte for byte, as one job. */
export function printPdf(pdf: ArrayBuffer, printer: string, copies: number, title: string): Promise<PrintSubmitted> {
  return call<PrintSubmitted>('print_pdf', { pdf: Array.from(new Uint8Array(pdf)), printer, copies, title });
}

/** Prints PDFs the app wrote (a batch of letters) as one job, in order. */
export function printFiles(paths: string[], printer: string, copies: number, title: string): Promise<PrintSubmitted> {
  return call<PrintSubmitted>('print_files', { paths, printer, copies, title });
}

/** The letters the records say are due, for one school or (null) the whole caseload. */
export function lettersDue(urn: number | null): Promise<SchoolDue[]> {
  return call<SchoolDue[]>('letters_due', { urn });
}

/** The school's letters, newest first, and the kinds the authority sends it. */
export function schoolLetters(urn: number): Promise<SchoolLetters> {
  return call<SchoolLetters>('school_letters', { urn });
}

/** The indicators a letter of `kind` may cite. */
export function letterCatalogue(kind: LetterKind): Promise<IndicatorText[]> {
  return call<IndicatorText[]>('letter_catalogue', { kind });
}

/** A letter with its school, what it may cite and why it cannot be issued yet. */
export function letterSheet(id: string): Promise<LetterSheet> {
  return call<LetterSheet>('letter_sheet', { id });
}

/** Drafts a letter from the authority's template and the records, and saves it; null leaves a choice to the records. */
export function draftLetter(
  urn: number,
  kind: LetterKind,
  visit: string | null = null,
  indicators: string[] | null = null,
  terms: WarningTerms | null = null,
): Promise<Letter> {
  return call<Letter>('draft_letter', { urn, kind, visit, indicators, terms });
}

/** Saves the adviser's edits to a draft; the back end refuses an issued letter. */
export function saveLetter(letter: LetterEdits): Promise<SavedLetter> {
  return call<SavedLetter>('save_letter', { letter });
}

/** The stored draft laid out as it would print: a PDF's bytes. */
export function previewLetter(id: string): Promise<ArrayBuffer> {
  return call<ArrayBuffer>('preview_letter', { id });
}

/** Prints the stored draft and issues it: from then on it never changes. */
export function issueLetter(id: string): Promise<Letter> {
  return call<Letter>('issue_letter', { id });
}

/** The issued letter's PDF, exactly as issued. */
export function issuedLetterPdf(id: string): Promise<ArrayBuffer> {
  return call<ArrayBuffer>('issued_letter_pdf', { id });
}

/** Starts a new draft that corrects the issued letter `id`. */
export function correctLetter(id: string): Promise<Letter> {
  return call<Letter>('correct_letter', { id });
}

/** The caseload's schools a letter of `kind` is due for. */
export function lettersEligible(kind: LetterKind): Promise<EligibleSchool[]> {
  return call<EligibleSchool[]>('letters_eligible', { kind });
}

/** Where a batch writes unless told otherwise. */
export function defaultLetterFolder(): Promise<string> {
  return call<string>('default_letter_folder');
}

/** Starts printing a letter of `kind` for each of `urns` into `folder`; progress and the end come as events. */
export function startLetterBatch(
  kind: LetterKind,
  urns: number[] | null,
  folder: string,
  issue: boolean,
): Promise<BatchStarted> {
  return call<BatchStarted>('start_letter_batch', { kind, urns, folder, issue });
}

/** Asks the batch under way to stop before its next letter. */
export function cancelLetterBatch(): Promise<void> {
  return call<void>('cancel_letter_batch');
}

/** Calls `onprogress` after each letter of a batch and `onend` when it ends; resolves to a function that stops listening. */
export async function watchLetterBatch(
  onprogress: (progress: BatchProgress) => void,
  onend: (end: BatchEnd) => void,
): Promise<() => void> {
  const stops: UnlistenFn[] = await Promise.all([
    listen<BatchProgress>('letters://progress', (event) => onprogress(event.payload)),
    listen<BatchEnd>('letters://finished', (event) => onend(event.payload)),
  ]);
  return () => stops.forEach((stop) => stop());
}

/** A refusal the back end places on one part of a page: "summary", "attendance" or "actions" (null: the page). */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

function fieldOf(reason: unknown): string | null {
  if (reason && typeof reason === 'object' && 'field' in reason) {
    const field = (reason as { field: unknown }).field;
    if (typeof field === 'string') return field;
  }
  return null;
}

/** The MSP part of a school's page: the offer of a group, or its groups. */
export function schoolMsp(urn: number): Promise<SchoolMsp> {
  return call<SchoolMsp>('school_msp', { urn });
}

/** Schools in high support that have no open MSP group. */
export function mspOffers(): Promise<MspOffer[]> {
  return call<MspOffer[]>('msp_offers');
}

/** Opens an MSP group for the school today, chaired by the adviser `chair` (an id). */
export function openMspGroup(urn: number, chair: string): Promise<MspGroup> {
  return call<MspGroup>('open_msp_group', { urn, chair });
}

/** Every MSP group as it stands today: the open ones, or all. */
export function mspGroups(all: boolean): Promise<MspGroupView[]> {
  return call<MspGroupView[]>('msp_groups', { all });
}

export function mspGroup(id: string): Promise<MspGroupPage> {
  return call<MspGroupPage>('msp_group', { id });
}

export function inviteMspMember(group: string, name: string, organisation: string, email: string | null): Promise<MspGroupPage> {
  return call<MspGroupPage>('invite_msp_member', { group, name, organisation, email });
}

export function removeMspMember(group: string, member: string): Promise<MspGroupPage> {
  return call<MspGroupPage>('remove_msp_member', { group, member });
}

/** Closes the group today, for `reason`. */
export function closeMspGroup(group: string, reason: string): Promise<MspGroupPage> {
  return call<MspGroupPage>('close_msp_group', { group, reason });
}

/** Plans a meeting; at the school when `place` is null. */
export function scheduleMspMeeting(group: string, meetsOn: string, place: string | null): Promise<MspMeeting> {
  return call<MspMeeting>('schedule_msp_meeting', { group, meets_on: meetsOn, place });
}

export function mspMeeting(id: string): Promise<MspMeetingPage> {
  return call<MspMeetingPage>('msp_meeting', { id });
}

/** Records the write-up (null: unchanged) and the action decisions at once; rejects with a `Refusal`. */
export async function saveMspMeeting(
  id: string,
  edit: MinutesEdit | null,
  updates: ActionUpdate[] = [],
  newActions: NewAction[] = [],
): Promise<MspMeetingPage> {
  try {
    return await invoke<MspMeetingPage>('save_msp_meeting', { id, edit, updates, new_actions: newActions });
  } catch (reason) {
    throw new Refusal(messageOf(reason), fieldOf(reason));
  }
}

/** Approves the minutes today: from then on they never change. */
export function approveMspMeeting(id: string): Promise<MspMeetingPage> {
  return call<MspMeetingPage>('approve_msp_meeting', { id });
}

/** The confidential minutes or the summary key points: a PDF's bytes. */
export function mspPdf(id: string, document: MspDocument): Promise<ArrayBuffer> {
  return call<ArrayBuffer>('msp_pdf', { id, document });
}

/** Writes the document's PDF to `path`; resolves to where it was written. */
export function saveMspPdf(id: string, document: MspDocument, path: string): Promise<string> {
  return call<string>('save_msp_pdf', { id, document, path });
}

/** Drafts the letter of `kind` the group's escalation proposes, for the letter editor. */
export function draftMspLetter(group: string, kind: LetterKind): Promise<Letter> {
  return call<Letter>('draft_msp_letter', { group, kind });
}

export function academyVocabulary(): Promise<AcademyVocabulary> {
  return call<AcademyVocabulary>('academy_vocabulary');
}

export function academyCase(urn: number): Promise<AcademyCase> {
  return call<AcademyCase>('academy_case', { urn });
}

export function academyConcern(id: string): Promise<ConcernSheet> {
  return call<ConcernSheet>('academy_concern', { id });
}

export function raiseAcademyConcern(
  urn: number,
  raisedOn: string,
  grounds: { ground: ConcernGround; text: string }[],
): Promise<ConcernSheet> {
  return call<ConcernSheet>('raise_academy_concern', { urn, raisedOn, grounds });
}

export function addConcernEvidence(id: string, ground: ConcernGround, text: string, on: string): Promise<ConcernSheet> {
  return call<ConcernSheet>('add_concern_evidence', { id, ground, text, on });
}

export function takeEscalationStep(id: string, step: EscalationStepId, on: string, note: string): Promise<ConcernSheet> {
  return call<ConcernSheet>('take_escalation_step', { id, step, on, note });
}

export function recordConcernLetter(id: string, letter: string): Promise<ConcernSheet> {
  return call<ConcernSheet>('record_concern_letter', { id, letter });
}

export function recordStepOutcome(id: string, step: EscalationStepId, on: string, text: string): Promise<ConcernSheet> {
  return call<ConcernSheet>('record_step_outcome', { id, step, on, text });
}

export function resolveAcademyConcern(id: string, on: string, how: string): Promise<ConcernSheet> {
  return call<ConcernSheet>('resolve_academy_concern', { id, on, how });
}

export function logAcademyReport(urn: number, kind: ReportKind, receivedOn: string, summary: string): Promise<AcademyReport> {
  return call<AcademyReport>('log_academy_report', { urn, kind, receivedOn, summary });
}

export function passOnAcademyReport(id: string, to: ReportBody, person: string, on: string): Promise<AcademyReport> {
  return call<AcademyReport>('pass_on_academy_report', { id, to, person, on });
}

export function syncStatus(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_status');
}

/** Syncs now, or straight after the sync under way. */
export function syncNow(): Promise<void> {
  return call<void>('sync_now');
}

export function syncConflicts(): Promise<FieldConflict[]> {
  return call<FieldConflict[]>('sync_conflicts');
}

export function syncRefusals(): Promise<RefusedOperation[]> {
  return call<RefusedOperation[]>('sync_refusals');
}

export function dismissSyncRefusal(opId: string): Promise<void> {
  return call<void>('dismiss_sync_refusal', { opId });
}

/** Schools and MSP groups the office took off this device, not yet dismissed. */
export function syncWithdrawn(): Promise<WithdrawnNotice[]> {
  return call<WithdrawnNotice[]>('sync_withdrawn');
}

export function dismissSyncWithdrawn(id: number): Promise<void> {
  return call<void>('dismiss_sync_withdrawn', { id });
}

export function enrolWithOffice(server: string, code: string): Promise<EnrolledAs> {
  return call<EnrolledAs>('enrol_with_office', { server, code });
}

/** Calls `onstatus` with every new status; resolves to a function that stops listening. */
export function onSyncStatus(onstatus: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>('sync-status', (event) => onstatus(event.payload));
}
