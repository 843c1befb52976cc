// How MSP groups and meetings read on screen, and the meeting editor's
// bookkeeping: who is marked present or sending apologies, the minutes
// typed under each agenda item, the decisions one to a line, turned into
// the write-up that is saved. Who may chair, the cadence, what the log
// carries, what the summary may say and when to escalate are the back
// end's to say.

import { formatDate } from './format';
import type {
  Cadence,
  Concern,
  MeetingStatus,
  MinutesEdit,
  MspMeeting,
  MspMember,
} from './types';

const STATUS_LABELS: Record<MeetingStatus, string> = {
  planned: 'Planned',
  draft: 'Being written up',
  approved: 'Approved',
};

export function meetingStatusLabel(status: MeetingStatus): string {
  return STATUS_LABELS[status];
}

/** What the back end found, as a sentence. */
export function concernText(concern: Concern): string {
  switch (concern.kind) {
    case 'concerns-remain':
      return `The chair recorded at the meeting of ${formatDate(concern.meets_on)} that concerns remain.`;
    case 'red-twice': {
      const count = concern.actions.length === 1 ? 'One action was' : `${concern.actions.length} actions were`;
      return `${count} red at both the meeting of ${formatDate(concern.earlier)} and that of ${formatDate(concern.later)}.`;
    }
  }
}

/** The next meeting as the back end places it: planned, or not yet. */
export function nextMeetingText(cadence: Cadence): string {
  return cadence.next_planned === null ? 'None planned' : formatDate(cadence.next_planned);
}

/** The flag beside the next meeting, if the back end raises one. */
export function cadenceFlag(cadence: Cadence): { text: string; kind: 'overdue' | 'late' } | null {
  if (cadence.overdue) return { text: 'Overdue', kind: 'overdue' };
  if (cadence.planned_late) return { text: 'Planned after the due date', kind: 'late' };
  return null;
}

export type Presence = 'present' | 'apologies' | '';

/** The write-up as the editor holds it while the chair types. */
export interface MeetingForm {
  place: string;
  /** Each member's attendance, by member id. */
  attendance: Record<string, Presence>;
  /** The minutes under each agenda item, in the agenda's order. */
  minutes: string[];
  /** One decision on each line. */
  decisions: string;
  concerns: boolean;
  summary: string;
}

export function meetingForm(meeting: MspMeeting, members: MspMember[]): MeetingForm {
  const attendance: Record<string, Presence> = {};
  for (const member of members) {
    attendance[member.id] = meeting.attendees.some((attendee) => attendee.member === member.id)
      ? 'present'
      : meeting.apologies.some((attendee) => attendee.member === member.id)
        ? 'apologies'
        : '';
  }
  return {
    place: meeting.place,
    attendance,
    minutes: meeting.agenda.map((item) => item.minutes),
    decisions: meeting.decisions.join('\n'),
    concerns: meeting.concerns_remain,
    summary: meeting.summary,
  };
}

/** Everything typed, to save whole: members in the group's order, blank lines of decisions left out. */
export function editOf(form: MeetingForm, meeting: MspMeeting, members: MspMember[]): MinutesEdit {
  const marked = (presence: Presence) =>
    members.filter((member) => form.attendance[member.id] === presence).map((member) => member.id);
  return {
    place: form.place,
    attendees: marked('present'),
    apologies: marked('apologies'),
    items: meeting.agenda.map((item, index) => ({ title: item.title, minutes: form.minutes[index] ?? '' })),
    decisions: form.decisions
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    concerns_remain: form.concerns,
    summary: form.summary,
  };
}

export interface MeetingSection {
  id: string;
  title: string;
}

/** The editor's sections, in order: what Alt+1…9 and Ctrl+↓/↑ move between. */
export function meetingSections(meeting: MspMeeting): MeetingSection[] {
  return [
    { id: 'attendance', title: 'Place and attendance' },
    ...meeting.agenda.map((item, index) => ({ id: `item-${index + 1}`, title: item.title })),
    { id: 'decisions', title: 'Decisions' },
    { id: 'log', title: 'Action log' },
    { id: 'summary', title: 'Summary key points' },
  ];
}
