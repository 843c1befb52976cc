//! Small, fully filled records for tests here and in the crates above.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::academy::concern::{Outcome, Resolution};
use crate::academy::{
    AcademyConcern, AcademyReport, Body, ConcernGround, EscalationStep, Evidence, PassedOn,
    ReportKind, Step,
};
use crate::action::{Action, ActionSource};
use crate::calendar::AcademicYear;
use crate::entitlement::EnhancedOffer;
use crate::letter::warning::{Ground, Power};
use crate::letter::{Letter, LetterKind, LetterStatus, Recipient, Signatory, WarningTerms};
use crate::msp::{
    Attendee, GroupClosure, LoggedAction, MeetingStatus as MspMeetingStatus, Member, MemberRole,
    MspGroup, MspMeeting,
};
use crate::ofsted::{
    OfstedInspection, OfstedOutcome, ReportCardArea, ReportCardGrade, Safeguarding,
};
use crate::people::{Adviser, AdviserId, AdviserRole, Contact, ContactRole, PersonName};
use crate::performance::{Figure, NoFigure, PerformanceFigure, PerformanceMeasure};
use crate::review::Review;
use crate::school::{EstablishmentType, LaCode, Phase, School, SchoolStatus, Urn};
use crate::scoring::Mark;
use crate::visit::{Activity, AreaNote, Session, Visit, VisitKind, VisitStatus};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn name(title: &str, first: &str, last: &str) -> PersonName {
    PersonName {
        title: Some(title.to_owned()),
        first_name: first.to_owned(),
        last_name: last.to_owned(),
    }
}

pub fn adviser() -> Adviser {
    Adviser {
        id: AdviserId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001)),
        name: "Priya Raman".to_owned(),
        email: "priya.raman@fenbridge.example".to_owned(),
        role: AdviserRole::LinkSia,
    }
}

pub fn school() -> School {
    School {
        urn: Urn(990_101),
        la_code: LaCode(990),
        name: "St Mary’s Church of England Primary School".to_owned(),
        phase: Phase::Primary,
        establishment_type: EstablishmentType::new("Voluntary aided school"),
        status: SchoolStatus::Open,
        trust: None,
        street: Some("Church Lane".to_owned()),
        locality: Some("Old Fen".to_owned()),
        town: Some("Fenbridge".to_owned()),
        postcode: Some("FB1 2AB".to_owned()),
        ward: Some("Riverside".to_owned()),
        headteacher: Some(name("Mrs", "Zoë", "Okafor")),
        telephone: Some("01234 567890".to_owned()),
        website: Some("www.stmarys.fenbridge.example".to_owned()),
        pupils: Some(212),
        percentage_fsm: Some(18.4),
        open_date: Some(date(1974, 9, 1)),
        close_date: None,
        link_sia: Some(adviser().id),
    }
}

pub fn contact() -> Contact {
    Contact {
        id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002),
        urn: school().urn,
        role: ContactRole::ChairOfGovernors,
        name: name("Mr", "Tomasz", "Nowak"),
        email: Some("chair@stmarys.fenbridge.example".to_owned()),
        phone: None,
        address: None,
    }
}

pub fn inspection() -> OfstedInspection {
    let grades: BTreeMap<_, _> = ReportCardArea::CORE
        .into_iter()
        .map(|area| (area, ReportCardGrade::ExpectedStandard))
        .collect();
    OfstedInspection {
        id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0003),
        urn: school().urn,
        inspected_on: date(2026, 2, 4),
        outcome: OfstedOutcome::ReportCard2025 {
            grades,
            safeguarding: Safeguarding::Met,
        },
    }
}

pub fn review() -> Review {
    let mut review = Review::draft(
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0004),
        school().urn,
        "peterborough-2022",
        date(2026, 11, 20),
    );
    review.adviser = Some(adviser().id);
    review.marks = vec![Mark {
        statement: "lm-medium-new-headteacher".to_owned(),
        evidence: Some("Interim head since September".to_owned()),
    }];
    review
}

pub fn visit() -> Visit {
    let mut visit = Visit::plan(
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0005),
        school().urn,
        date(2026, 10, 7),
        Session::Am,
        VisitKind::Core,
    );
    visit.adviser = Some(adviser().id);
    visit.purpose = "Core autumn visit: the school's priorities for the year".to_owned();
    visit.activities = vec![Activity::LearningWalk, Activity::DiscussionWithLeaders];
    visit.notes = vec![AreaNote {
        area: "quality-of-education".to_owned(),
        evidence: "Phonics sessions in Reception and Year 1 follow the scheme closely.".to_owned(),
        judgement: Some("low".to_owned()),
    }];
    visit.strengths = "A calm, purposeful learning walk.".to_owned();
    visit.development = "Writing in Key Stage 2.".to_owned();
    visit.status = VisitStatus::Finalised;
    visit.addendum_to = Some(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0006));
    visit
}

pub fn enhanced_offer() -> EnhancedOffer {
    EnhancedOffer::new(school().urn, AcademicYear(2026))
}

pub fn performance_figure() -> PerformanceFigure {
    PerformanceFigure::new(
        school().urn,
        AcademicYear(2024),
        PerformanceMeasure::Ks2RwmExpected,
        Figure::Value(58.0),
        Figure::Value(60.0),
        Figure::Missing(NoFigure::NotPublished),
    )
}

pub fn action() -> Action {
    Action::agree(
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0007),
        school().urn,
        "Map the writing curriculum from Year 3 to Year 6",
        "Mrs Okafor (deputy headteacher)",
        date(2026, 12, 11),
        ActionSource::Visit(visit().id),
    )
    .expect("a valid action")
}

pub fn letter() -> Letter {
    Letter {
        id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0009),
        urn: school().urn,
        kind: LetterKind::WarningNotice,
        status: LetterStatus::Draft,
        dated: date(2026, 11, 23),
        reference: "SIA/100001/WN/2026-11-23".to_owned(),
        recipients: vec![Recipient {
            name: "The Governing Body".to_owned(),
            role: "c/o the chair of governors".to_owned(),
            address: vec!["Fenbridge Primary School".to_owned(), "FB1 2AB".to_owned()],
        }],
        copies_to: vec!["Ofsted (His Majesty's Chief Inspector)".to_owned()],
        subject: "Warning notice under section 60 of the Education and Inspections Act 2006"
            .to_owned(),
        body: [
            "Dear Governors",
            "## Ground for this notice",
            "## The matters on which this conclusion is based",
            "## Action the governing body must take",
            "## Compliance period",
            "## If the governing body does not comply",
        ]
        .join("\n\n"),
        marking: Some("CONFIDENTIAL".to_owned()),
        indicators: vec!["leaders-not-acting".to_owned()],
        terms: Some(WarningTerms {
            ground: Ground::LowStandards,
            compliance_days: 15,
            minded_to: vec![Power::InterimExecutiveBoard],
        }),
        visit: None,
        corrects: None,
        author: Some(adviser().id),
        signatory: Signatory {
            name: "Dr Helen Marsh".to_owned(),
            role: "Director of Education".to_owned(),
        },
        pdf_sha256: None,
    }
}

pub fn msp_group() -> MspGroup {
    let member = |id: u128, name: &str, role| Member {
        id: Uuid::from_u128(id),
        name: name.to_owned(),
        roles: vec![role],
        organisation: None,
        email: None,
    };
    MspGroup {
        id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_000a),
        urn: school().urn,
        chair: AdviserId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_000b)),
        members: vec![
            member(
                0x0190_0000_0000_7000_8000_0000_0000_000b,
                "Margaret Okonjo",
                MemberRole::Chair,
            ),
            member(adviser().id.0.as_u128(), "Priya Raman", MemberRole::LinkSia),
            member(
                0x0190_0000_0000_7000_8000_0000_0000_000c,
                "Mrs Zoë Okafor",
                MemberRole::Headteacher,
            ),
            member(
                contact().id.as_u128(),
                "Mr Tomasz Nowak",
                MemberRole::ChairOfGovernors,
            ),
        ],
        opened_on: date(2026, 9, 28),
        closed: Some(GroupClosure {
            on: date(2027, 7, 16),
            reason: "The school left high support".to_owned(),
        }),
    }
}

pub fn msp_meeting() -> MspMeeting {
    let group = MspGroup {
        closed: None,
        ..msp_group()
    };
    let mut meeting = MspMeeting::schedule(
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_000d),
        &group,
        date(2026, 10, 7),
        "The school's library",
    )
    .expect("a valid meeting");
    meeting.status = MspMeetingStatus::Approved;
    meeting.attendees = vec![Attendee {
        member: group.chair.0,
        name: "Margaret Okonjo".to_owned(),
        role: "Chair".to_owned(),
    }];
    meeting.agenda[1].minutes = "The interim head set out the behaviour policy.".to_owned();
    meeting.decisions = vec!["Refocus the English support on Year 4.".to_owned()];
    meeting.concerns_remain = true;
    meeting.action_log = vec![LoggedAction::of(&action(), false)];
    meeting.summary = "Behaviour is improving.".to_owned();
    meeting.approved_on = Some(date(2026, 10, 9));
    meeting
}

/// An academy in a trust, for the academy-concern records.
pub fn academy() -> School {
    School {
        urn: Urn(990_131),
        name: "Old Town Academy".to_owned(),
        establishment_type: EstablishmentType::new("Academy sponsor led"),
        trust: Some("Fenbridge Learning Trust".to_owned()),
        ..school()
    }
}

pub fn academy_concern() -> AcademyConcern {
    AcademyConcern {
        id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_000e),
        urn: academy().urn,
        raised_on: date(2027, 1, 11),
        raised_by: Some(adviser().id),
        evidence: vec![Evidence {
            ground: ConcernGround::HighAbsence,
            text: "Persistent absence 31% in the autumn term.".to_owned(),
            noted_on: date(2027, 1, 11),
        }],
        steps: vec![EscalationStep {
            step: Step::Meeting,
            taken_on: date(2027, 1, 20),
            note: "The Director met the principal and the trust's CEO.".to_owned(),
            outcome: Some(Outcome {
                on: date(2027, 1, 20),
                text: "No agreed way forward.".to_owned(),
            }),
            letter: None,
        }],
        resolved: Some(Resolution {
            on: date(2027, 3, 1),
            how: "The trust's attendance plan was agreed.".to_owned(),
        }),
    }
}

pub fn academy_report() -> AcademyReport {
    AcademyReport {
        id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_000f),
        urn: academy().urn,
        kind: ReportKind::Safeguarding,
        received_on: date(2027, 2, 2),
        summary: "Referral found the site gates left open at break.".to_owned(),
        redirection: ReportKind::Safeguarding.redirection().to_owned(),
        passed_on: vec![PassedOn {
            to: Body::RegionalDirector,
            person: "Mr Achebe".to_owned(),
            on: date(2027, 2, 3),
        }],
        logged_by: Some(adviser().id),
    }
}
