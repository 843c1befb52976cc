//! The adviser's diary as stored (which records are in it is
//! `caseload_core::diary`'s rule), and a watch the app sets to hear when it
//! may have changed: after a write or a sync that changed a visit, an MSP
//! meeting or group, or a school. The store writes no calendar file itself;
//! whoever sets the watch does.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;

use caseload_core::diary::{
    meeting_in_diary, visit_in_diary, Diary, DiaryMeeting, DiaryVisit, Revision,
};
use caseload_core::msp::{MspGroup, MspMeeting};
use caseload_core::visit::Visit;
use caseload_core::{EntityDef, Hlc, Record, School, Urn};
use serde_json::Value;
use uuid::Uuid;

use crate::records::{latest_revision, load_where};
use crate::{Store, StoreError};

/// Called with the store after a change that may have changed the diary.
pub type DiaryListener = Box<dyn FnMut(&Store) + Send>;

/// The listener, if the app set one.
#[derive(Default)]
pub(crate) struct DiaryWatch(Option<DiaryListener>);

impl fmt::Debug for DiaryWatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "DiaryWatch(set)"
        } else {
            "DiaryWatch(none)"
        })
    }
}

impl Store {
    /// Everything in the adviser's calendar: the visits they are still to
    /// make and the meetings of open MSP groups still to be held, soonest
    /// first, each with its school and when its records last changed.
    pub fn diary(&self) -> Result<Diary, StoreError> {
        let me = self.current_adviser_id()?;
        let mut schools = Schools::default();
        let mut visits = Vec::new();
        for visit in load_where::<Visit>(self.conn(), "status = 'planned'", [])? {
            if visit_in_diary(&visit, me) {
                let school = schools.get(self, visit.urn)?;
                let revised = self.revised(Visit::ENTITY, &visit.id, &school)?;
                visits.push(DiaryVisit {
                    visit,
                    school,
                    revised,
                });
            }
        }
        visits.sort_by_key(|entry| (entry.visit.visited_on, entry.visit.session, entry.visit.id));
        let mut groups: HashMap<Uuid, MspGroup> = HashMap::new();
        let mut meetings = Vec::new();
        for meeting in load_where::<MspMeeting>(self.conn(), "status = 'planned'", [])? {
            let group = match groups.entry(meeting.msp_group) {
                Entry::Occupied(held) => held.into_mut(),
                Entry::Vacant(slot) => slot.insert(self.msp_group(meeting.msp_group)?),
            };
            if meeting_in_diary(&meeting, group) {
                let school = schools.get(self, meeting.urn)?;
                let revised = self.revised(MspMeeting::ENTITY, &meeting.id, &school)?;
                meetings.push(DiaryMeeting {
                    meeting,
                    school,
                    revised,
                });
            }
        }
        meetings.sort_by_key(|entry| (entry.meeting.meets_on, entry.meeting.id));
        Ok(Diary { visits, meetings })
    }

    /// Sets what to call after a change that may have changed the diary;
    /// it runs after the change is committed, on the thread that made it.
    pub fn watch_diary(&mut self, listener: DiaryListener) {
        self.diary_watch = DiaryWatch(Some(listener));
    }

    /// Tells the listener, if any, that the diary may have changed.
    pub(crate) fn diary_may_have_changed(&mut self) {
        if let Some(mut listener) = self.diary_watch.0.take() {
            listener(self);
            self.diary_watch.0 = Some(listener);
        }
    }

    /// The revision of an event drawn from the record `id` and its school.
    fn revised(
        &self,
        entity: &EntityDef,
        id: &Uuid,
        school: &School,
    ) -> Result<Revision, StoreError> {
        let stamps = [
            latest_revision(self.conn(), entity, &Value::String(id.to_string()))?,
            latest_revision(self.conn(), School::ENTITY, &Value::from(school.urn.0))?,
        ];
        // Every stored record has a revision; 1970 would only mean "long ago".
        Ok(Revision::latest(stamps.into_iter().flatten()).unwrap_or(Revision(Hlc(0))))
    }
}

/// Schools read once each, however many events they have.
#[derive(Default)]
struct Schools(HashMap<Urn, School>);

impl Schools {
    fn get(&mut self, store: &Store, urn: Urn) -> Result<School, StoreError> {
        if let Some(school) = self.0.get(&urn) {
            return Ok(school.clone());
        }
        let school = store.school(urn)?;
        self.0.insert(urn, school.clone());
        Ok(school)
    }
}
