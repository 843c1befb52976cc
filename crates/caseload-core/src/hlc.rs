//! Hybrid logical clock: the stamp every field write carries, so replicas
//! that merge the same writes in any order pick the same winner.
//!
//! A stamp packs wall-clock milliseconds (48 bits) and a counter (16 bits)
//! into a `u64` that sorts as the stamps should. Ties between devices are
//! broken by the device id, so the order is total.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

const COUNTER_BITS: u32 = 16;
const COUNTER_MAX: u64 = (1 << COUNTER_BITS) - 1;

/// One stamp of the hybrid logical clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hlc(pub u64);

impl Hlc {
    pub fn new(millis: u64, counter: u16) -> Hlc {
        Hlc((millis << COUNTER_BITS) | u64::from(counter))
    }

    pub fn millis(self) -> u64 {
        self.0 >> COUNTER_BITS
    }

    pub fn counter(self) -> u16 {
        (self.0 & COUNTER_MAX) as u16
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04x}", self.millis(), self.counter())
    }
}

/// The device (one installation of the app, or the office) that wrote a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceId(pub Uuid);

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A clock that never goes backwards and never repeats a stamp, whatever the
/// wall clock does. Time is passed in, so tests control it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// Starts after `last`, the highest stamp this device has already used.
    pub fn resume(last: Hlc) -> HlcClock {
        HlcClock { last }
    }

    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A stamp for a local write at wall-clock time `now_millis`.
    pub fn tick(&mut self, now_millis: u64) -> Hlc {
        self.advance_past(self.last, now_millis)
    }

    /// Takes in a stamp seen from another replica, so later local writes
    /// sort after everything this device has seen.
    pub fn observe(&mut self, seen: Hlc, now_millis: u64) -> Hlc {
        self.advance_past(self.last.max(seen), now_millis)
    }

    fn advance_past(&mut self, floor: Hlc, now_millis: u64) -> Hlc {
        let next = if now_millis > floor.millis() {
            Hlc::new(now_millis, 0)
        } else if floor.counter() < u16::MAX {
            Hlc::new(floor.millis(), floor.counter() + 1)
        } else {
            // The counter is full: borrow the next millisecond rather than repeat.
            Hlc::new(floor.millis() + 1, 0)
        };
        self.last = next;
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stamps_follow_the_wall_clock_when_it_moves_forward() {
        let mut clock = HlcClock::resume(Hlc(0));
        assert_eq!(clock.tick(1_000), Hlc::new(1_000, 0));
        assert_eq!(clock.tick(2_000), Hlc::new(2_000, 0));
    }

    #[test]
    fn stamps_count_up_when_the_wall_clock_stalls_or_goes_back() {
        let mut clock = HlcClock::resume(Hlc::new(5_000, 0));
        assert_eq!(clock.tick(5_000), Hlc::new(5_000, 1));
        assert_eq!(clock.tick(4_000), Hlc::new(5_000, 2));
    }

    #[test]
    fn a_full_counter_moves_to_the_next_millisecond() {
        let mut clock = HlcClock::resume(Hlc::new(7, u16::MAX));
        assert_eq!(clock.tick(7), Hlc::new(8, 0));
    }

    #[test]
    fn observing_a_later_stamp_moves_the_clock_past_it() {
        let mut clock = HlcClock::resume(Hlc::new(1_000, 0));
        clock.observe(Hlc::new(9_000, 3), 1_500);
        assert_eq!(clock.tick(1_600), Hlc::new(9_000, 5));
    }

    proptest! {
        #[test]
        fn stamps_strictly_increase_whatever_the_wall_clock_does(
            times in proptest::collection::vec(0u64..10_000, 1..200),
            seen in proptest::collection::vec(0u64..20_000, 0..20),
        ) {
            let mut clock = HlcClock::resume(Hlc(0));
            let mut previous = Hlc(0);
            for (index, now) in times.into_iter().enumerate() {
                let stamp = match seen.get(index) {
                    Some(remote) => clock.observe(Hlc::new(*remote, 0), now),
                    None => clock.tick(now),
                };
                prop_assert!(stamp > previous);
                previous = stamp;
            }
        }
    }
}
