import { describe, expect, it } from 'vitest';
import { cadenceFlag, concernText, editOf, meetingForm, meetingSections } from './msp';
import { MSP_HREF, mspGroupHref, mspMeetingHref, parseHash } from './router';
import { AGENDA, CHAIR, HEAD, INVITED, LINK, GOVERNOR, meeting, members } from '../test/mspFixtures';

const group = '0190f3c2-7a41-7c3e-9d2b-3f1a5c6e7b81';
const id = '0190f3c2-7a41-7c3e-9d2b-3f1a5c6e7b82';

describe('MSP routes', () => {
  it('reads the groups page, a group and a meeting, and round-trips their links', () => {
    expect(parseHash(MSP_HREF)).toEqual({ page: 'msp-groups' });
    expect(parseHash(mspGroupHref(group))).toEqual({ page: 'msp-group', group });
    expect(parseHash(mspMeetingHref(group, id))).toEqual({ page: 'msp-meeting', group, id });
  });

  it('leaves a link that is not one to the home page', () => {
    for (const hash of ['#/msp/not-an-id', `#/msp/${group}/meeting/`, `#/msp/${group}/meetings/${id}`, `#/msp/${group}x`]) {
      expect(parseHash(hash)).toEqual({ page: 'dashboard', list: null });
    }
  });
});

describe('the meeting form', () => {
  it('reads attendance from the members and writes it back in the group’s order, with every agenda item', () => {
    const held = meeting({
      attendees: [
        { member: HEAD, name: 'Mr Kwame Mensah', role: 'Headteacher' },
        { member: CHAIR, name: 'Margaret Okonjo', role: 'Chair' },
      ],
      apologies: [{ member: INVITED, name: 'Mrs Helen Achebe', role: 'Invited' }],
      agenda: AGENDA.map((title, index) => ({ title, minutes: index === 3 ? 'Attendance is 93.6%.' : '' })),
      decisions: ['First', 'Second'],
      concerns_remain: true,
      summary: 'For governors.',
    });
    const form = meetingForm(held, members());
    expect(form.attendance).toEqual({ [CHAIR]: 'present', [LINK]: '', [HEAD]: 'present', [GOVERNOR]: '', [INVITED]: 'apologies' });
    expect(form.decisions).toBe('First\nSecond');
    expect(form.minutes[3]).toBe('Attendance is 93.6%.');

    form.attendance[LINK] = 'apologies';
    form.decisions = 'First\n\n   \nThird  ';
    const edit = editOf(form, held, members());
    expect(edit.attendees).toEqual([CHAIR, HEAD]);
    expect(edit.apologies).toEqual([LINK, INVITED]);
    expect(edit.decisions).toEqual(['First', 'Third']);
    expect(edit.items.map((item) => item.title)).toEqual(AGENDA);
    expect(edit.concerns_remain).toBe(true);
    expect(edit.summary).toBe('For governors.');
  });

  it('lists the sections the shortcuts move between', () => {
    expect(meetingSections(meeting()).map((section) => section.id)).toEqual([
      'attendance',
      'item-1',
      'item-2',
      'item-3',
      'item-4',
      'item-5',
      'decisions',
      'log',
      'summary',
    ]);
  });
});

describe('how the back end’s findings read', () => {
  it('words each concern and the cadence flag', () => {
    expect(concernText({ kind: 'red-twice', earlier: '2026-10-07', later: '2026-11-18', actions: ['a'] })).toBe(
      'One action was red at both the meeting of 7 October 2026 and that of 18 November 2026.',
    );
    expect(concernText({ kind: 'concerns-remain', meeting: 'm', meets_on: '2026-11-18' })).toBe(
      'The chair recorded at the meeting of 18 November 2026 that concerns remain.',
    );
    const cadence = { last_met: null, next_planned: '2027-03-01', due_by: '2027-02-19', overdue: false, planned_late: true, proposed: '2027-01-06' };
    expect(cadenceFlag(cadence)).toEqual({ text: 'Planned after the due date', kind: 'late' });
    expect(cadenceFlag({ ...cadence, overdue: true })).toEqual({ text: 'Overdue', kind: 'overdue' });
    expect(cadenceFlag({ ...cadence, planned_late: false })).toBeNull();
  });
});
