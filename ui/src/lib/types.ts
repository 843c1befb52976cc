// The shapes the Tauri commands return, as src-tauri serialises them.
// Keep in step with the commands in src-tauri: these are the contract.

export type AdviserRole = 'link-sia' | 'senior-sia' | 'governance-lead' | 'admin';

export interface Adviser {
  id: string;
  name: string;
  email: string;
  role: AdviserRole;
  role_label: string;
}

/** Why the window asks for the passphrase: to open the store, or to encrypt a new or older one with it. */
export type LockAsk = 'unlock' | 'create' | 'encrypt';

/** Whether the store waits for its passphrase before anything of it is shown. */
export type StoreLock =
  | { state: 'open' }
  | {
      state: 'locked';
      ask: LockAsk;
      /** The app locked a store whose key is the keyring's: its lock password opens it. */
      lock_password?: boolean;
      store: string;
      note: string | null;
      min_chars: number;
    };

/** This device's app lock settings (never synced). */
export interface LockSettings {
  /** Minutes idle before the app locks; null for never. */
  lock_after: number | null;
  choices: number[];
  /** Seconds from CASELOAD_IDLE_SECONDS, in force instead (window tests only). */
  test_seconds: number | null;
  /** The store's key is the keyring's, so a lock password unlocks it. */
  uses_lock_password: boolean;
  has_lock_password: boolean;
  min_password_chars: number;
  /** Something could open the store again, so it can be locked. */
  can_lock: boolean;
}

export interface StoreStatus {
  path: string;
  /** Open schools in the store. */
  schools: number;
  /** Open schools linked to the current adviser. */
  caseload: number;
  adviser: Adviser | null;
  /** For example "Autumn term 2026/27, first half-term". */
  term: string;
  /** Whether the current adviser may see the authority-wide view. */
  authority_view: boolean;
  /** In the demo, the advisers the store can be opened as; empty in a real store. */
  demo_advisers: Adviser[];
}

export type Governance = 'maintained' | 'academy' | 'independent' | 'other';

export type SchoolStatus = 'open' | 'open_proposed_to_close' | 'proposed_to_open' | 'closed';

export interface SchoolRow {
  urn: number;
  name: string;
  /** Snake-case id, for example "primary" or "middle_deemed_primary". */
  phase: string;
  phase_label: string;
  /** The GIAS establishment type, for example "Community school". */
  type: string;
  maintained: boolean;
  governance: Governance;
  status: SchoolStatus;
  status_label: string;
  ward: string | null;
  town: string | null;
  trust: string | null;
  /** One-line summary, for example "Good (Mar 2023)". */
  ofsted: string | null;
  /** The link SIA's name. */
  link_sia: string | null;
  /** From the latest agreed review, override applied; null before the first. */
  category: SupportCategory | null;
  /** Since the review before it; null with fewer than two agreed reviews. */
  direction: Direction | null;
  /** True when no review has been agreed this term. */
  review_due: boolean;
  visits_due: number;
  visits_overdue: number;
  /** The next planned visit, YYYY-MM-DD; null when none is planned. */
  next_visit: string | null;
  /** Agreed actions still open past their due date. */
  actions_overdue: number;
}

export interface Contact {
  id: string;
  role: string;
  role_label: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
}

export interface Judgement {
  area: string;
  grade: string;
}

export interface Inspection {
  id: string;
  /** YYYY-MM-DD */
  inspected_on: string;
  framework: 'graded-2019' | 'report-card-2025';
  framework_label: string;
  summary: string;
  judgements: Judgement[];
  /** "Met" or "Not met" for report cards; null for graded inspections. */
  safeguarding: string | null;
}

export interface SchoolProfile {
  row: SchoolRow;
  la_code: string;
  address_lines: string[];
  headteacher: string | null;
  telephone: string | null;
  website: string | null;
  pupils: number | null;
  percentage_fsm: number | null;
  /** YYYY-MM-DD */
  open_date: string | null;
  /** YYYY-MM-DD */
  close_date: string | null;
  link_sia: Adviser | null;
  contacts: Contact[];
  /** Latest first. */
  inspections: Inspection[];
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  closed: number;
  other_la: number;
  warnings: string[];
}

export type Scope = 'caseload' | 'all';

export type SupportCategory = 'low' | 'medium' | 'high';

/** Improving means less support needed than at the review before. */
export type Direction = 'improving' | 'steady' | 'declining';

export interface CriteriaArea {
  id: string;
  name: string;
}

export interface Statement {
  id: string;
  /** The id of its area. */
  area: string;
  level: SupportCategory;
  text: string;
  /** The performance measure the statement reads ("See data"), when it reads one. */
  measure?: string;
  /** Marked, it places the school in high support on its own. */
  decisive?: boolean;
}

export interface CriteriaSet {
  id: string;
  name: string;
  source: string | null;
  areas: CriteriaArea[];
  statements: Statement[];
}

/** A statement the adviser ticks, with an optional evidence note. */
export interface Mark {
  statement: string;
  evidence?: string;
}

export interface Share {
  met: number;
  of: number;
}

/** A ticked statement that carried a best fit. */
export interface Reason {
  statement: string;
  level: SupportCategory;
  text: string;
  decisive: boolean;
  evidence: string | null;
}

export interface BestFit {
  /** Null when nothing is ticked. */
  level: SupportCategory | null;
  shares: Record<SupportCategory, Share>;
  /** Decisive statements first, then the ticked statements of the level. */
  reasons: Reason[];
}

export interface AreaScore extends BestFit {
  area: string;
  name: string;
}

export interface Scorecard {
  set: string;
  areas: AreaScore[];
  overall: BestFit;
}

/** The adviser's overrule of the computed category, with why. */
export interface Override {
  category: SupportCategory;
  rationale: string;
}

/** What the adviser has marked on the scoring screen, as it is saved and agreed. */
export interface MarkedReview {
  set: string;
  marks: Mark[];
  overridden: Override | null;
}

export interface Review {
  id: string;
  urn: number;
  criteria_set: string;
  /** YYYY-MM-DD */
  reviewed_on: string;
  adviser: string | null;
  marks: Mark[];
  status: 'draft' | 'agreed';
  /** The best fit when agreed; null while a draft. */
  computed: SupportCategory | null;
  overridden: Override | null;
}

export type Term = 'autumn' | 'spring' | 'summer';

/** One agreed review in a school's history. */
export interface HistoryEntry {
  review: string;
  /** YYYY-MM-DD */
  reviewed_on: string;
  /** The academic year by the calendar year it starts in: 2026 is 2026/27. */
  year: number;
  term: Term;
  category: SupportCategory;
  overridden: boolean;
  /** Why the adviser overruled the computed category; null when they did not. */
  rationale: string | null;
  /** Null for the first agreed review. */
  direction: Direction | null;
}

/** Why a performance figure is missing. */
export type NoFigure =
  | 'suppressed'
  | 'no-entries'
  | 'not-published'
  | 'low-coverage'
  | 'not-applicable'
  | 'not-available';

/** A figure, or why there is none. */
export interface FigureView {
  value: number | null;
  missing: NoFigure | null;
  /** As shown: "62%", "+0.12", or the reason there is no figure. */
  text: string;
}

export interface YearView {
  /** "2023/24" */
  year: string;
  school: FigureView;
  la: FigureView;
  national: FigureView;
}

export interface MeasurePanel {
  /** "ks2-rwm-expected" */
  measure: string;
  label: string;
  /** The criteria group whose "See data" statements read it, for example "attainment". */
  group: string;
  higher_is_better: boolean;
  /** Oldest first. */
  years: YearView[];
}

export type IndicatorKind = 'consistently-below-national' | 'declining' | 'attendance-low-not-improving';

/** A year an indicator rests on. */
export interface Evidence {
  year: string;
  school: number;
  la: number | null;
  national: number | null;
}

/** What the figures show, offered as statements to tick: nothing is ticked until the adviser does. */
export interface Suggestion {
  kind: IndicatorKind;
  measure: string;
  group: string;
  level: SupportCategory;
  /** One sentence with the numbers. */
  sentence: string;
  /** Oldest first. */
  evidence: Evidence[];
  /** Ids of the statements of the panel's criteria set it suggests; may be empty. */
  statements: string[];
}

/** A school's performance data and what it suggests. */
export interface PerformancePanel {
  urn: number;
  /** The criteria set the suggestions' statement ids belong to. */
  criteria_set: string;
  measures: MeasurePanel[];
  suggestions: Suggestion[];
}

export type Session = 'am' | 'pm';

export type VisitKind = 'core' | 'bespoke' | 'enhanced-offer' | 'monitoring' | 'external-review';

export type VisitStatus = 'planned' | 'draft' | 'finalised';

export type Activity =
  | 'lesson-observation'
  | 'work-scrutiny'
  | 'learning-walk'
  | 'discussion-with-leaders'
  | 'discussion-with-staff'
  | 'discussion-with-governors'
  | 'discussion-with-pupils'
  | 'discussion-with-parents'
  | 'data-review';

/** What was seen under one area of the criteria set ("general" for notes not yet filed). */
export interface AreaNote {
  area: string;
  evidence: string;
  judgement: string | null;
}

export interface Visit {
  id: string;
  urn: number;
  adviser: string | null;
  /** YYYY-MM-DD */
  visited_on: string;
  session: Session;
  kind: VisitKind;
  status: VisitStatus;
  purpose: string;
  activities: Activity[];
  notes: AreaNote[];
  strengths: string;
  development: string;
  /** The finalised visit this one adds to, for an addendum. */
  addendum_to: string | null;
}

export type Rag = 'red' | 'amber' | 'green';

export type ActionStatus =
  | { state: 'open' }
  | { state: 'done'; on: string }
  | { state: 'dropped'; on: string; reason: string };

export interface Action {
  id: string;
  urn: number;
  text: string;
  owner: string;
  /** YYYY-MM-DD */
  due_on: string;
  status: ActionStatus;
  rag: Rag;
  source: { kind: 'visit' | 'msp-meeting' | 'letter'; id: string };
}

/** An action with whether it is overdue today, as the back end judges it. */
export interface ActionOnDay extends Action {
  overdue: boolean;
}

/** A visit with what its editor shows beside it. */
export interface VisitSheet {
  visit: Visit;
  school: string;
  /** The areas of the criteria set in use. */
  areas: CriteriaArea[];
  /** Agreed at this visit. */
  agreed: ActionOnDay[];
  /** The school's open actions agreed elsewhere, to review at this visit. */
  to_review: ActionOnDay[];
  /** Addenda to this visit, oldest first. */
  addenda: Visit[];
}

export interface SnippetPiece {
  text: string;
  /** True for the words that matched. */
  hit: boolean;
}

export interface SearchHit {
  kind: 'visit' | 'action' | 'letter';
  id: string;
  urn: number;
  school: string;
  /** The visit's date, the action's due date or the letter's date, YYYY-MM-DD. */
  day: string;
  /** The visit that shows the match, or null (an action from a meeting or letter, a letter). */
  visit: string | null;
  snippet: SnippetPiece[];
}

/** A planned visit with its school (only the school's fields the app reads). */
export type PlannedVisit = [Visit, { urn: number; name: string }];

export type LetterKind =
  | 'congratulations'
  | 'significant-concerns'
  | 'warning-notice'
  | 'academy-concern'
  | 'visit-note'
  | 'member-alert'
  | 'school-on-a-page';

export type LetterStatus = 'draft' | 'issued';

/** A person or body a letter is addressed to. */
export interface Recipient {
  name: string;
  role: string;
  /** Postal address lines after the name and role. */
  address: string[];
}

export interface Signatory {
  name: string;
  role: string;
}

/** The grounds section 60 of the Education and Inspections Act 2006 allows. */
export type Ground = 'low-standards' | 'management-breakdown' | 'safety-threat';

export type Power = 'additional-governors' | 'interim-executive-board' | 'suspend-delegated-budget';

/** A warning notice's terms: its ground, working days to comply and the powers the authority is minded to use. */
export interface WarningTerms {
  ground: Ground;
  compliance_days: number;
  minded_to: Power[];
}

export interface Letter {
  id: string;
  urn: number;
  kind: LetterKind;
  status: LetterStatus;
  /** YYYY-MM-DD: the date printed on the letter. */
  dated: string;
  reference: string;
  recipients: Recipient[];
  copies_to: string[];
  subject: string;
  /** Markdown, as the adviser left it. */
  body: string;
  marking: string | null;
  /** Ids of the catalogue's indicators the letter cites. */
  indicators: string[];
  terms: WarningTerms | null;
  visit: string | null;
  /** For a correction: the issued letter it puts right. */
  corrects: string | null;
  author: string | null;
  signatory: Signatory;
  /** SHA-256 of the issued PDF, in hex; null while a draft. */
  pdf_sha256: string | null;
}

/** An indicator a letter may cite, as the strategy words it. */
export interface IndicatorText {
  id: string;
  text: string;
}

/** A letter the records say is due, with what it would cite. */
export interface DueLetter {
  kind: LetterKind;
  indicators: IndicatorText[];
  visit: string | null;
}

export interface SchoolDue {
  urn: number;
  school: string;
  letters: DueLetter[];
}

/** A school's letters, newest first, and the kinds the authority sends it. */
export interface SchoolLetters {
  letters: Letter[];
  kinds: LetterKind[];
}

/** One of a warning notice's choices, with the wording it prints. */
export interface Choice<T> {
  id: T;
  statement: string;
}

/** A letter as its editor opens it. */
export interface LetterSheet {
  letter: Letter;
  school: string;
  /** What a letter of its kind may cite, in the strategy's order. */
  indicators: IndicatorText[];
  grounds: Choice<Ground>[];
  powers: Choice<Power>[];
  /** Why it cannot be issued yet, in the back end's words; null when it can. */
  incomplete: string | null;
}

/** What the adviser may change in a draft. */
export interface LetterEdits {
  id: string;
  subject: string;
  body: string;
  recipients: Recipient[];
  copies_to: string[];
  indicators: string[];
  terms: WarningTerms | null;
}

export interface SavedLetter {
  letter: Letter;
  incomplete: string | null;
}

export interface EligibleSchool {
  urn: number;
  name: string;
}

export interface BatchStarted {
  /** How many letters the batch prints. */
  total: number;
  folder: string;
}

export interface BatchProgress {
  done: number;
  total: number;
}

/** How a batch ended: nothing is written or issued unless every letter was laid out. */
export type BatchEnd =
  | { outcome: 'written'; paths: string[]; folder: string; issued: boolean }
  | { outcome: 'cancelled' }
  | { outcome: 'failed'; message: string };

// --- MSP groups -------------------------------------------------------------

export type MemberRole =
  | 'chair'
  | 'headteacher'
  | 'chair-of-governors'
  | 'vice-chair-of-governors'
  | 'link-sia'
  | 'invited';

export interface MspMember {
  id: string;
  name: string;
  roles: MemberRole[];
  /** For an invited member: whom they come from. */
  organisation: string | null;
  email: string | null;
}

/** A member as the group's pages list them. */
export interface MspMemberRow extends MspMember {
  /** "Chair; Link School Improvement Adviser", or an invited member's organisation. */
  role_label: string;
  /** Whether the back end would let the group lose them. */
  removable: boolean;
}

export interface MspGroup {
  id: string;
  urn: number;
  /** The chair's adviser id. */
  chair: string;
  members: MspMember[];
  opened_on: string;
  closed: { on: string; reason: string } | null;
}

export type MeetingStatus = 'planned' | 'draft' | 'approved';

export interface MspMeetingRow {
  id: string;
  meets_on: string;
  place: string;
  status: MeetingStatus;
  concerns_remain: boolean;
}

/** Where a group stands against its half-termly rhythm today, in the back end's words. */
export interface Cadence {
  last_met: string | null;
  next_planned: string | null;
  due_by: string;
  overdue: boolean;
  planned_late: boolean;
  proposed: string;
}

/** One row of a meeting's action log, as the action stood at the meeting. */
export interface LoggedAction {
  action: string;
  text: string;
  owner: string;
  due_on: string;
  rag: Rag;
  status: ActionStatus;
  /** Agreed at this meeting rather than carried from an earlier one. */
  agreed_here: boolean;
}

export type Concern =
  | { kind: 'red-twice'; earlier: string; later: string; actions: string[] }
  | { kind: 'concerns-remain'; meeting: string; meets_on: string };

export interface Escalation {
  group: string;
  urn: number;
  concerns: Concern[];
  letters: { kind: LetterKind; indicators: string[] }[];
  /** The open actions of the latest meeting's log, red first. */
  outstanding: LoggedAction[];
}

/** A group as the back end sees it today. */
export interface MspGroupView {
  group: MspGroup;
  school: string;
  chair: string;
  /** Oldest first. */
  meetings: MspMeetingRow[];
  /** Null once the group is closed. */
  cadence: Cadence | null;
  /** Open actions agreed at its meetings, soonest due first. */
  live_log: ActionOnDay[];
  escalation: Escalation | null;
  /** Why the group might close now, when the records say so. */
  close_suggested: string | null;
}

/** A letter the escalation proposes, with the wording of what it would cite. */
export interface ProposedLetter {
  kind: LetterKind;
  indicators: IndicatorText[];
}

/** A group as its page shows it. */
export interface MspGroupPage extends MspGroupView {
  members: MspMemberRow[];
  proposed: ProposedLetter[];
}

export interface MspOffer {
  urn: number;
  school: string;
  /** The agreed review that placed it in high support. */
  high_since: string;
}

export interface ChairChoice {
  id: string;
  name: string;
  role_label: string;
}

/** The MSP part of a school's page. */
export interface SchoolMsp {
  offer: MspOffer | null;
  chairs: ChairChoice[];
  groups: MspGroupView[];
}

export interface Attendee {
  member: string;
  name: string;
  role: string;
}

export interface AgendaItem {
  title: string;
  minutes: string;
}

export interface MspMeeting {
  id: string;
  msp_group: string;
  urn: number;
  meets_on: string;
  place: string;
  status: MeetingStatus;
  attendees: Attendee[];
  apologies: Attendee[];
  agenda: AgendaItem[];
  decisions: string[];
  concerns_remain: boolean;
  action_log: LoggedAction[];
  /** The key points for the whole governing body: never the minutes. */
  summary: string;
  approved_on: string | null;
}

/** A meeting as its page shows it. */
export interface MspMeetingPage {
  meeting: MspMeeting;
  /** Its action log: as the actions stand now, or as they stood when it was approved. */
  log: LoggedAction[];
  group: MspGroupPage;
  /** Why the minutes cannot be approved today, in the back end's words; null when they can. */
  unapproved: string | null;
  /** Where each document is saved unless the adviser says otherwise. */
  files: { minutes: string; summary: string };
}

/** The write-up as the chair types it; a part left null is kept as it is. */
export interface MinutesEdit {
  place: string | null;
  /** Members by id. */
  attendees: string[] | null;
  apologies: string[] | null;
  items: AgendaItem[];
  decisions: string[] | null;
  concerns_remain: boolean | null;
  summary: string | null;
}

/** What the meeting decided about one action on its log. */
export interface ActionUpdate {
  action: string;
  rag?: Rag | null;
  owner?: string | null;
  due_on?: string | null;
  outcome?: 'done' | 'dropped' | null;
  reason?: string | null;
}

export interface NewAction {
  text: string;
  owner: string;
  due_on: string;
  rag: Rag | null;
}

export type MspDocument = 'minutes' | 'summary';

// Academy concerns and reports (caseload_core::academy).

export type ConcernGround = string;
export type EscalationStepId = 'meeting' | 'trust-letter' | 'funding-agency' | 'regional-director' | 'ofsted';
export type ConcernStage = 'raised' | 'meeting' | 'trust-letter' | 'referred' | 'resolved';
export type ReportKind = 'parent-complaint' | 'complaint-not-handled' | 'whistleblowing' | 'safeguarding';
export type ReportBody = 'regional-director' | 'trust' | 'ofsted';

export interface AcademyTerm {
  id: string;
  label: string;
}

export interface AcademyVocabulary {
  grounds: AcademyTerm[];
  steps: AcademyTerm[];
  stages: AcademyTerm[];
  report_kinds: (AcademyTerm & { redirection: string; must_tell: ReportBody[] })[];
  bodies: AcademyTerm[];
}

export interface ConcernEvidence {
  ground: ConcernGround;
  text: string;
  noted_on: string;
}

export interface TakenStep {
  step: EscalationStepId;
  taken_on: string;
  note: string;
  outcome: { on: string; text: string } | null;
  letter: string | null;
}

export interface AcademyConcern {
  id: string;
  urn: number;
  raised_on: string;
  raised_by: string | null;
  evidence: ConcernEvidence[];
  steps: TakenStep[];
  resolved: { on: string; how: string } | null;
}

export interface ConcernSheet {
  concern: AcademyConcern;
  school: string;
  trust: string | null;
  raised_by: string | null;
  stage: ConcernStage;
  next_steps: EscalationStepId[];
  indicators: string[];
  letters: { id: string; dated: string; reference: string; subject: string }[];
}

export interface AcademyReport {
  id: string;
  urn: number;
  kind: ReportKind;
  received_on: string;
  summary: string;
  redirection: string;
  passed_on: { to: ReportBody; person: string; on: string }[];
  logged_by: string | null;
}

export interface AcademyCase {
  urn: number;
  school: string;
  trust: string | null;
  concerns: {
    id: string;
    raised_on: string;
    grounds: ConcernGround[];
    stage: ConcernStage;
    latest: [EscalationStepId, string] | null;
  }[];
  reports: AcademyReport[];
}

/** A school as a dashboard list names it. */
export interface SchoolRef {
  urn: number;
  name: string;
}

/** One required period of a school's visit entitlement. */
export interface OwedVisit {
  school: SchoolRef;
  category: SupportCategory | null;
  period: string;
  first_day: string;
  last_day: string;
  /** Done: the visits made in the period; due or overdue: those planned in it. */
  visits: { id: string; visited_on: string; status: VisitStatus }[];
}

export interface MeetingOwed {
  school: SchoolRef;
  group: string;
  last_met: string | null;
  due_by: string;
  next_planned: string | null;
}

export interface OverdueAction {
  school: SchoolRef;
  id: string;
  text: string;
  owner: string;
  due_on: string;
  source: Action['source'];
  msp_group: string | null;
}

export interface NotReviewed {
  school: SchoolRef;
  category: SupportCategory | null;
  last_reviewed: string | null;
}

export interface CategoryRow {
  category: SupportCategory | null;
  now: SchoolRef[];
  last_term: SchoolRef[];
}

export interface CategoryMove {
  school: SchoolRef;
  from: SupportCategory | null;
  to: SupportCategory;
}

export interface SuggestedLetter {
  school: SchoolRef;
  kind: LetterKind;
  kind_label: string;
  indicators: string[];
  visit: string | null;
  draft: string | null;
}

/** The adviser's dashboard: every figure is the length of its list. */
export interface Dashboard {
  today: string;
  term: string;
  schools: number;
  visits: { due: OwedVisit[]; done: OwedVisit[]; overdue: OwedVisit[] };
  msp_meetings: { due: MeetingOwed[]; overdue: MeetingOwed[] };
  actions_overdue: OverdueAction[];
  not_reviewed: NotReviewed[];
  categories: {
    last_term: string;
    rows: CategoryRow[];
    improved: CategoryMove[];
    declined: CategoryMove[];
    first_categorised: CategoryMove[];
  };
  letters: SuggestedLetter[];
}

/** How a change reached a record (`caseload_store::AuditOrigin`). */
export type AuditOrigin = 'edit' | 'import' | 'pulled' | 'refused';

/** One field an audit entry changed: its value before the entry's first write and after its last. */
export interface AuditChange {
  field: string;
  /** Null: the field was empty. */
  before: unknown;
  after: unknown;
}

/** One line of a school's audit trail (`caseload_store::HistoryEntry`). */
export interface AuditEntry {
  id: number;
  /** The record type's declared name: school, visit, action, review, letter, msp_meeting… */
  entity: string;
  key: string;
  origin: AuditOrigin;
  device: string;
  this_device: boolean;
  /** Null for the office's own writes. */
  adviser: string | null;
  adviser_name: string | null;
  /** RFC 3339, UTC: the entry's first and last write. */
  first_at: string;
  last_at: string;
  changes: AuditChange[];
}

/** A page of a school's audit trail, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next, older page; null on the last page. */
  next: number | null;
}

/** Where a school's category went this term. */
export type TermDirection = 'improving' | 'steady' | 'declining' | 'first-review' | 'not-reviewed';

/** One open school as the authority-wide view lists it. */
export interface AuthoritySchool {
  urn: number;
  name: string;
  phase_label: string;
  ward: string | null;
  establishment_type: string;
  maintained: boolean;
  pupils: number | null;
  link_sia_name: string | null;
  category: SupportCategory | null;
  direction: TermDirection;
  ofsted: string | null;
  good_or_better: boolean | null;
  visits_overdue: number;
  msp_group_opened: string | null;
  warning_notice: string | null;
  academy_concern: ConcernStage | null;
}

export interface AuthorityCategoryCount {
  category: SupportCategory | null;
  schools: number[];
}

/** A phase, a ward or a link SIA, by category. */
export interface AuthorityCategoryRow {
  label: string;
  categories: AuthorityCategoryCount[];
  schools: number[];
}

export interface GoodShare {
  good_or_better: number;
  judged: number;
  percent: number | null;
  meets_target: boolean | null;
}

export interface AuthorityView {
  today: string;
  term: string;
  schools: AuthoritySchool[];
  categories: AuthorityCategoryCount[];
  by_phase: AuthorityCategoryRow[];
  by_ward: AuthorityCategoryRow[];
  by_adviser: AuthorityCategoryRow[];
  direction: { direction: TermDirection; label: string; schools: number[] }[];
  good_or_better: {
    target_percent: number;
    schools: GoodShare;
    pupils: GoodShare;
    good: number[];
    not_good: number[];
    not_inspected: number[];
  };
  visits_overdue: { adviser: string | null; name: string; caseload: number; periods: number; schools: number[] }[];
  msp_groups_open: { id: string; urn: number; school: string; chair: string; opened_on: string }[];
  warning_notices_open: { id: string; urn: number; school: string; dated: string; comply_by: string | null }[];
  academy_concerns: {
    stage: ConcernStage;
    label: string;
    concerns: { id: string; urn: number; school: string; raised_on: string }[];
  }[];
}

/** How many events a calendar file holds, of each kind. */
export interface CalendarCount {
  visits: number;
  meetings: number;
}

/** The calendar file a calendar app can subscribe to, beside the store. */
export interface CalendarSubscription {
  path: string;
  /** True once the adviser has started it: the app keeps it up to date. */
  kept: boolean;
}

/** How many events a calendar file holds, of each kind. */
export interface CalendarCount {
  visits: number;
  meetings: number;
}

/** The calendar file a calendar app can subscribe to, beside the store. */
export interface CalendarSubscription {
  path: string;
  /** True once the adviser has started it: the app keeps it up to date. */
  kept: boolean;
}

// Sync with the office (src-tauri/src/sync_commands.rs).

/** What the header shows; the back end sends it again on every change. */
export type SyncStatus =
  | { state: 'not-enrolled' }
  | { state: 'waiting' }
  | { state: 'syncing'; stage: 'sending' | 'receiving'; done: number; total: number | null }
  | { state: 'up-to-date'; at: string; received: number; conflicts: number; refused: number; withdrawn: number[] }
  | { state: 'offline'; reason: string; pending: number }
  | { state: 'error'; message: string; pending: number };

export interface ConflictVersion {
  value: unknown;
  hlc: number;
  device: string;
  this_device: boolean;
  pending: boolean;
}

/** A value that lost to a concurrent edit of the same field; editing the field resolves it. */
export interface FieldConflict {
  entity: string;
  key: string;
  urn: number | null;
  field: string;
  kept: ConflictVersion;
  lost: ConflictVersion;
}

/** An edit the office refused: it will never apply; its values are kept to read. */
export interface RefusedOperation {
  op_id: string;
  entity: string;
  key: string;
  reason: 'invalid' | 'out-of-scope' | 'frozen' | 'office-owned';
  message: string;
  fields: Record<string, unknown>;
  refused_at: string;
}

/** A school (or an MSP group's meetings) the office took off this device. */
export interface WithdrawnNotice {
  id: number;
  urn: number | null;
  msp_group: string | null;
  records: number;
  withdrawn_at: string;
  message: string;
}

export interface EnrolledAs {
  name: string;
  role_label: string;
}

/** How this computer prints. */
export type PrintSetup =
  | { method: 'cups'; printers: string[]; default: string | null }
  /** No CUPS (Windows): the webview's print dialog, which lists the printers itself. */
  | { method: 'webview' };

/** What CUPS said when it took a job. */
export interface PrintSubmitted {
  printer: string;
  /** The job's id in the queue, such as "office-12". */
  job: string;
  documents: number;
}
