//! The adviser's diary: which records are events in their calendar file,
//! and how an event tells a calendar app that it was revised.
//!
//! The diary holds what is still to happen: visits planned by this adviser
//! (or by nobody in particular) and planned meetings of open MSP groups.
//! A visit begun, a meeting held, a group closed or a record deleted leaves
//! the diary, so a calendar that re-reads the file drops the event.
//!
//! An event's revision is the latest stamp of the records it is drawn
//! from (the visit or meeting and its school, whose name and address it
//! shows). Calendar apps compare `SEQUENCE` and `LAST-MODIFIED` to decide
//! whether a re-read event replaces the one they hold, so both come from
//! that stamp: the same records always give the same file, byte for byte.

use chrono::{DateTime, Utc};

use crate::msp::{MeetingStatus, MspGroup, MspMeeting};
use crate::record::{MSP_GROUP, MSP_MEETING, SCHOOL, VISIT};
use crate::visit::{Visit, VisitStatus};
use crate::{AdviserId, Hlc, School};

/// A change to a record of one of these types may change the diary.
pub fn touches_diary(entity: &str) -> bool {
    [VISIT.name, MSP_MEETING.name, MSP_GROUP.name, SCHOOL.name].contains(&entity)
}

/// True for a visit the adviser `me` is still to make. Visits another
/// adviser planned at a caseload school are in their diary, not this one.
pub fn visit_in_diary(visit: &Visit, me: Option<AdviserId>) -> bool {
    let mine = match (visit.adviser, me) {
        (Some(planner), Some(me)) => planner == me,
        _ => true,
    };
    mine && visit.status == VisitStatus::Planned && visit.addendum_to.is_none()
}

/// True for a meeting still to be held by a group that is still open.
pub fn meeting_in_diary(meeting: &MspMeeting, group: &MspGroup) -> bool {
    meeting.status == MeetingStatus::Planned && group.is_open() && meeting.msp_group == group.id
}

/// When the records behind an event last changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Revision(pub Hlc);

/// 2020-01-01T00:00:00Z in milliseconds: sequences count seconds from here,
/// which keeps them within 32 bits (as calendar apps store them) until 2088.
const SEQUENCE_EPOCH_MILLIS: u64 = 1_577_836_800_000;

impl Revision {
    /// The later of the stamps, so an event moves on when any of its
    /// records does.
    pub fn latest(stamps: impl IntoIterator<Item = Hlc>) -> Option<Revision> {
        stamps.into_iter().max().map(Revision)
    }

    /// The moment of the change, for `LAST-MODIFIED` and `DTSTAMP`.
    pub fn at(self) -> DateTime<Utc> {
        let millis = i64::try_from(self.0.millis()).unwrap_or(i64::MAX);
        DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The event's `SEQUENCE`: seconds since 2020 at the change. It only
    /// ever grows as the records change, which is all RFC 5545 asks of it.
    pub fn sequence(self) -> u32 {
        let seconds = self.0.millis().saturating_sub(SEQUENCE_EPOCH_MILLIS) / 1000;
        u32::try_from(seconds).unwrap_or(u32::MAX)
    }
}

/// A planned visit as a diary event.
#[derive(Debug, Clone, PartialEq)]
pub struct DiaryVisit {
    pub visit: Visit,
    pub school: School,
    pub revised: Revision,
}

/// A planned MSP meeting as a diary event.
#[derive(Debug, Clone, PartialEq)]
pub struct DiaryMeeting {
    pub meeting: MspMeeting,
    pub school: School,
    pub revised: Revision,
}

/// Everything in the adviser's calendar, soonest first within each kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diary {
    pub visits: Vec<DiaryVisit>,
    pub meetings: Vec<DiaryMeeting>,
}

impl Diary {
    pub fn len(&self) -> usize {
        self.visits.len() + self.meetings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;
    use crate::school::Urn;
    use crate::visit::{Session, VisitKind};

    fn planned(adviser: Option<AdviserId>) -> Visit {
        let mut visit = Visit::plan(
            Uuid::from_u128(1),
            Urn(990_008),
            NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date"),
            Session::Am,
            VisitKind::Core,
        );
        visit.adviser = adviser;
        visit
    }

    #[test]
    fn a_visit_is_in_the_diary_of_its_adviser_until_it_begins() {
        let me = AdviserId(Uuid::from_u128(10));
        let colleague = AdviserId(Uuid::from_u128(11));
        assert!(visit_in_diary(&planned(Some(me)), Some(me)));
        assert!(visit_in_diary(&planned(None), Some(me)), "nobody's visit");
        assert!(
            visit_in_diary(&planned(Some(colleague)), None),
            "no adviser set"
        );
        assert!(!visit_in_diary(&planned(Some(colleague)), Some(me)));
        let mut begun = planned(Some(me));
        begun
            .edit(|visit| visit.purpose = "Core visit".into())
            .expect("a planned visit can be edited");
        assert!(
            !visit_in_diary(&begun, Some(me)),
            "a begun visit took place"
        );
    }

    #[test]
    fn a_meeting_leaves_the_diary_when_held_or_when_its_group_closes() {
        let mut group = MspGroup {
            closed: None,
            ..crate::samples::msp_group()
        };
        let mut meeting = crate::samples::msp_meeting();
        meeting.msp_group = group.id;
        meeting.status = MeetingStatus::Planned;
        assert!(meeting_in_diary(&meeting, &group));
        meeting.status = MeetingStatus::Draft;
        assert!(!meeting_in_diary(&meeting, &group), "held");
        meeting.status = MeetingStatus::Planned;
        group
            .close(
                NaiveDate::from_ymd_opt(2027, 3, 1).expect("a date"),
                "Concerns resolved",
            )
            .expect("an open group closes");
        assert!(!meeting_in_diary(&meeting, &group), "group closed");
    }

    #[test]
    fn only_changes_to_visits_meetings_groups_and_schools_touch_the_diary() {
        for entity in ["visit", "msp_meeting", "msp_group", "school"] {
            assert!(touches_diary(entity), "{entity}");
        }
        for entity in ["letter", "review", "action", "adviser"] {
            assert!(!touches_diary(entity), "{entity}");
        }
    }

    #[test]
    fn a_revision_gives_the_moment_and_a_sequence_that_grows_with_it() {
        let at = |text: &str| {
            let moment: DateTime<Utc> = text.parse().expect("a UTC moment");
            Hlc::new(moment.timestamp_millis() as u64, 0)
        };
        let first = Revision(at("2026-11-20T09:15:30Z"));
        let later = Revision::latest([at("2026-11-20T09:15:29Z"), at("2026-11-20T09:16:31Z")])
            .expect("two stamps");
        assert_eq!(first.at().to_rfc3339(), "2026-11-20T09:15:30+00:00");
        assert_eq!(later.sequence() - first.sequence(), 61);
        assert!(first.sequence() > 200_000_000, "seconds since 2020");
        assert_eq!(Revision::latest([]), None);
        assert_eq!(Revision(Hlc::new(0, 0)).sequence(), 0, "never negative");
    }
}
