// How visits and their actions read on screen, and the visit editor's
// bookkeeping: its sections, the notes typed under them turned into what is
// saved and back, and its keyboard shortcuts. Whether a visit may change,
// what is overdue and which actions a visit reviews are the back end's to say.

import { formatDate } from './format';
import type {
  Activity,
  ActionStatus,
  AreaNote,
  CriteriaArea,
  Rag,
  Session,
  Visit,
  VisitKind,
  VisitStatus,
} from './types';

export const SESSIONS: Session[] = ['am', 'pm'];

export function sessionLabel(session: Session): string {
  return session === 'am' ? 'Morning (AM)' : 'Afternoon (PM)';
}

const KIND_LABELS: Record<VisitKind, string> = {
  core: 'Core',
  bespoke: 'Bespoke',
  'enhanced-offer': 'Enhanced offer',
  monitoring: 'Monitoring',
  'external-review': 'External review',
};

export const VISIT_KINDS = Object.keys(KIND_LABELS) as VisitKind[];

export function kindLabel(kind: VisitKind): string {
  return KIND_LABELS[kind];
}

const ACTIVITY_LABELS: Record<Activity, string> = {
  'lesson-observation': 'Lesson observation',
  'work-scrutiny': 'Work scrutiny',
  'learning-walk': 'Learning walk',
  'discussion-with-leaders': 'Discussion with leaders',
  'discussion-with-staff': 'Discussion with staff',
  'discussion-with-governors': 'Discussion with governors',
  'discussion-with-pupils': 'Discussion with pupils',
  'discussion-with-parents': 'Discussion with parents',
  'data-review': 'Data review',
};

export const ACTIVITIES = Object.keys(ACTIVITY_LABELS) as Activity[];

export function activityLabel(activity: Activity): string {
  return ACTIVITY_LABELS[activity];
}

export function statusLabel(status: VisitStatus): string {
  return { planned: 'Planned', draft: 'Draft', finalised: 'Finalised' }[status];
}

export function ragLabel(rag: Rag): string {
  return { red: 'Red', amber: 'Amber', green: 'Green' }[rag];
}

/** "Open", "Done on 3 December 2026" or "Dropped on 3 December 2026: why". */
export function actionStateLabel(status: ActionStatus): string {
  switch (status.state) {
    case 'open':
      return 'Open';
    case 'done':
      return `Done on ${formatDate(status.on)}`;
    case 'dropped':
      return `Dropped on ${formatDate(status.on)}: ${status.reason}`;
  }
}

/** The area of notes typed on the day and not yet filed under an area of the set. */
export const GENERAL_AREA = 'general';

/**
 * The areas notes are written under: the set's, then any area the notes hold
 * that the set does not (an earlier set's), then the general notes.
 */
export function noteAreas(areas: CriteriaArea[], notes: AreaNote[]): CriteriaArea[] {
  const known = new Set(areas.map((area) => area.id));
  const others = notes
    .map((note) => note.area)
    .filter((area) => area !== GENERAL_AREA && !known.has(area))
    .map((area) => ({ id: area, name: area }));
  return [...areas, ...others, { id: GENERAL_AREA, name: 'Other notes' }];
}

/** A part of the editor the adviser can jump to; its element is `section-<id>`. */
export interface Section {
  id: string;
  title: string;
}

export function editorSections(areas: CriteriaArea[]): Section[] {
  return [
    { id: 'details', title: 'Visit details' },
    ...areas.map((area) => ({ id: `area-${area.id}`, title: area.name })),
    { id: 'strengths', title: 'Strengths' },
    { id: 'development', title: 'Areas for development' },
    { id: 'actions', title: 'Agreed actions' },
  ];
}

/** What is typed under one area. */
export interface NoteText {
  evidence: string;
  judgement: string;
}

export function noteTexts(areas: CriteriaArea[], notes: AreaNote[]): Record<string, NoteText> {
  const texts: Record<string, NoteText> = {};
  for (const area of areas) {
    const note = notes.find((candidate) => candidate.area === area.id);
    texts[area.id] = { evidence: note?.evidence ?? '', judgement: note?.judgement ?? '' };
  }
  return texts;
}

/** The notes to save: the areas with anything typed, in the editor's order, as typed. */
export function notesOf(areas: CriteriaArea[], texts: Record<string, NoteText>): AreaNote[] {
  return areas
    .map((area) => ({ area: area.id, text: texts[area.id] }))
    .filter(({ text }) => text !== undefined && (text.evidence !== '' || text.judgement !== ''))
    .map(({ area, text }) => ({ area, evidence: text.evidence, judgement: text.judgement === '' ? null : text.judgement }));
}

/** The editor's working copy: the visit, with its notes as typed under each area. */
export interface VisitForm {
  visit: Visit;
  notes: Record<string, NoteText>;
}

export function visitForm(visit: Visit, areas: CriteriaArea[]): VisitForm {
  return { visit: { ...visit, activities: [...visit.activities] }, notes: noteTexts(areas, visit.notes) };
}

/** The visit as it is saved from the form. */
export function draftOf(form: VisitForm, areas: CriteriaArea[]): Visit {
  return { ...form.visit, notes: notesOf(areas, form.notes) };
}

/** True for a YYYY-MM-DD date that exists on the calendar. */
export function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** What a key press asks of the editor. */
export type Shortcut = { section: number } | 'add-action';

type Keys = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/**
 * Alt+1…9 goes to a section by number, Ctrl+↓ and Ctrl+↑ to the next and
 * previous one (from `current`, the section holding the focus, or -1), and
 * Ctrl+Enter adds an action. Anything else is the page's own.
 */
export function shortcutOf(keys: Keys, current: number, count: number): Shortcut | null {
  if (keys.metaKey || keys.shiftKey) return null;
  if (keys.altKey && !keys.ctrlKey) {
    // The code, not the key: Alt+1 types "¡" on some layouts.
    const digit = /^Digit([1-9])$/.exec(keys.code);
    const section = digit ? Number(digit[1]) - 1 : -1;
    return section >= 0 && section < count ? { section } : null;
  }
  if (keys.ctrlKey && !keys.altKey) {
    if (keys.key === 'Enter') return 'add-action';
    if (keys.key === 'ArrowDown') return { section: Math.min(current + 1, count - 1) };
    if (keys.key === 'ArrowUp') return { section: Math.max(current - 1, 0) };
  }
  return null;
}

/** Today in the adviser's time zone, as YYYY-MM-DD. */
export function todayIso(now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
