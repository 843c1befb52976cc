//! The app lock's rules: after how long without the adviser's hand on the
//! keyboard or mouse the window locks, when the window is asked to lock and
//! when the shell locks without waiting for it, and how long a wrong unlock
//! makes the next try wait.
//!
//! Pure: time is a [`Duration`] since any fixed start the caller chooses (a
//! monotonic clock in the app, plain numbers in tests). Nothing here holds a
//! key or a store; dropping them is the shell's work.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How long the window may stay idle before it locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleLimit {
    /// The window locks only when the adviser locks it.
    Never,
    /// Locks after this long without activity.
    After(Duration),
}

impl IdleLimit {
    /// What a new device starts with.
    pub const DEFAULT: IdleLimit = IdleLimit::After(Duration::from_secs(10 * 60));

    /// The minutes the adviser can choose between (and "never").
    pub const MINUTE_CHOICES: [u64; 7] = [1, 2, 5, 10, 15, 30, 60];

    /// `minutes` as a limit, if it is one of [`IdleLimit::MINUTE_CHOICES`].
    pub fn minutes(minutes: u64) -> Result<IdleLimit, IdleLimitError> {
        if Self::MINUTE_CHOICES.contains(&minutes) {
            Ok(IdleLimit::After(Duration::from_secs(minutes * 60)))
        } else {
            Err(IdleLimitError(minutes.to_string()))
        }
    }

    /// Whole minutes for a limit the adviser chose; `None` for never.
    pub fn as_minutes(self) -> Option<u64> {
        match self {
            IdleLimit::Never => None,
            IdleLimit::After(limit) => Some(limit.as_secs() / 60),
        }
    }
}

impl fmt::Display for IdleLimit {
    /// "never", "1 minute", "10 minutes": also the form kept in the device's settings.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_minutes() {
            None => f.write_str("never"),
            Some(1) => f.write_str("1 minute"),
            Some(minutes) => write!(f, "{minutes} minutes"),
        }
    }
}

/// A lock time that is not one of the choices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a time to lock after: choose \"never\" or one of 1, 2, 5, 10, 15, 30 or 60 minutes"
)]
pub struct IdleLimitError(String);

impl FromStr for IdleLimit {
    type Err = IdleLimitError;

    /// Reads what [`IdleLimit`]'s `Display` writes.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text == "never" {
            return Ok(IdleLimit::Never);
        }
        let number = text
            .strip_suffix(" minutes")
            .or_else(|| text.strip_suffix(" minute"))
            .unwrap_or(text);
        number
            .parse()
            .map_err(|_| IdleLimitError(text.to_owned()))
            .and_then(IdleLimit::minutes)
            .map_err(|_| IdleLimitError(text.to_owned()))
    }
}

/// How long the shell waits for the window to save what it holds and lock
/// itself before locking without it (a window that hangs must not keep the
/// caseload open).
pub const WINDOW_GRACE: Duration = Duration::from_secs(10);

/// What the shell does now about an open store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockStep {
    /// Nothing: in use, locked already, or no way to unlock it again.
    Wait,
    /// Ask the window to save its drafts and lock.
    AskWindow,
    /// The window did not lock in time: lock without it.
    LockNow,
}

/// The lock's state: when the adviser last did something, and whether the
/// store is locked. (Wrong unlock tries are [`UnlockAttempts`], counted on
/// the wall clock so that they outlive the app.)
#[derive(Debug, Clone)]
pub struct AppLock {
    limit: IdleLimit,
    last_activity: Duration,
    /// When the window was asked to lock, if it was and has not yet.
    asked_at: Option<Duration>,
    locked: bool,
    /// False while no unlock is possible (a keyring key and no lock
    /// password yet): locking then would shut the adviser out.
    can_unlock: bool,
}

impl AppLock {
    /// An open store at `now`.
    pub fn open(limit: IdleLimit, can_unlock: bool, now: Duration) -> Self {
        AppLock {
            limit,
            last_activity: now,
            asked_at: None,
            locked: false,
            can_unlock,
        }
    }

    /// A store that starts locked (its key must be typed first).
    pub fn locked(limit: IdleLimit, now: Duration) -> Self {
        AppLock {
            locked: true,
            ..AppLock::open(limit, true, now)
        }
    }

    pub fn limit(&self) -> IdleLimit {
        self.limit
    }

    pub fn is_locked(&self) -> bool {
        self.locked
    }

    pub fn can_lock(&self) -> bool {
        self.can_unlock && !self.locked
    }

    /// A new limit counts from now, so shortening it never locks at once.
    pub fn set_limit(&mut self, limit: IdleLimit, now: Duration) {
        self.limit = limit;
        self.note_activity(now);
    }

    /// A lock password now exists (or not), so the store can be locked.
    pub fn set_can_unlock(&mut self, can_unlock: bool) {
        self.can_unlock = can_unlock;
    }

    /// The adviser typed, clicked or moved the pointer at `now`.
    pub fn note_activity(&mut self, now: Duration) {
        if now > self.last_activity {
            self.last_activity = now;
        }
    }

    /// What to do at `now`; asking the window is remembered, so it is asked once.
    pub fn step(&mut self, now: Duration) -> LockStep {
        if !self.can_lock() {
            return LockStep::Wait;
        }
        if let Some(asked) = self.asked_at {
            return if now.saturating_sub(asked) >= WINDOW_GRACE {
                LockStep::LockNow
            } else {
                LockStep::Wait
            };
        }
        match self.limit {
            IdleLimit::After(limit) if now.saturating_sub(self.last_activity) >= limit => {
                self.asked_at = Some(now);
                LockStep::AskWindow
            }
            _ => LockStep::Wait,
        }
    }

    /// Whether the window was asked to lock for idleness and has not yet.
    pub fn idle_lock_asked(&self) -> bool {
        self.asked_at.is_some()
    }

    /// The store was locked (idle, or by the adviser).
    pub fn lock(&mut self) {
        self.locked = true;
        self.asked_at = None;
    }

    /// The store opened at `now`: idle time counts from here.
    pub fn unlocked(&mut self, now: Duration) {
        self.locked = false;
        self.can_unlock = true;
        self.asked_at = None;
        self.last_activity = now;
    }
}

/// Wrong unlock tries: the first few are free (a typo is common), then
/// each wait doubles, up to [`UnlockAttempts::LONGEST_WAIT`], so guessing
/// a short password takes days rather than minutes. Times are the wall
/// clock's (since the Unix epoch), so the count can be kept on disk and a
/// restart does not begin it again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnlockAttempts {
    failures: u32,
    last_failure: Option<Duration>,
}

/// An unlock tried before the wait after the last wrong one was over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Too many wrong tries: wait {} before trying again", seconds(.wait))]
pub struct TooSoon {
    pub wait: Duration,
}

fn seconds(wait: &Duration) -> String {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    if secs == 1 {
        "1 second".to_owned()
    } else {
        format!("{secs} seconds")
    }
}

impl UnlockAttempts {
    /// Wrong tries allowed with no wait.
    pub const FREE_TRIES: u32 = 3;
    pub const FIRST_WAIT: Duration = Duration::from_secs(5);
    pub const LONGEST_WAIT: Duration = Duration::from_secs(5 * 60);

    /// The wait after `failures` wrong tries in a row.
    pub fn wait_after(failures: u32) -> Duration {
        let Some(doublings) = failures.checked_sub(Self::FREE_TRIES) else {
            return Duration::ZERO;
        };
        Self::FIRST_WAIT
            .checked_mul(2u32.saturating_pow(doublings))
            .map_or(Self::LONGEST_WAIT, |wait| wait.min(Self::LONGEST_WAIT))
    }

    /// The count as it was kept: `failures` wrong tries in a row, the last at `last_failure`.
    pub fn resume(failures: u32, last_failure: Option<Duration>) -> Self {
        UnlockAttempts {
            failures,
            last_failure,
        }
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn last_failure(&self) -> Option<Duration> {
        self.last_failure
    }

    /// Whether an unlock may be tried at `now`.
    pub fn may_try(&self, now: Duration) -> Result<(), TooSoon> {
        let Some(last) = self.last_failure else {
            return Ok(());
        };
        let ready_at = last + Self::wait_after(self.failures);
        if now >= ready_at {
            Ok(())
        } else {
            Err(TooSoon {
                wait: ready_at - now,
            })
        }
    }

    /// A wrong passphrase or password at `now`.
    pub fn failed(&mut self, now: Duration) {
        self.failures = self.failures.saturating_add(1);
        self.last_failure = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    fn ten_minutes() -> IdleLimit {
        IdleLimit::minutes(10).expect("a choice")
    }

    #[test]
    fn an_idle_window_is_asked_to_lock_once_the_limit_has_passed() {
        let mut lock = AppLock::open(ten_minutes(), true, secs(0));
        assert_eq!(lock.step(secs(599)), LockStep::Wait);
        assert!(!lock.idle_lock_asked());
        assert_eq!(lock.step(secs(600)), LockStep::AskWindow);
        assert!(lock.idle_lock_asked());
        assert_eq!(lock.step(secs(601)), LockStep::Wait, "asked once");
        lock.lock();
        assert!(!lock.idle_lock_asked());
    }

    #[test]
    fn activity_restarts_the_idle_time() {
        let mut lock = AppLock::open(ten_minutes(), true, secs(0));
        lock.note_activity(secs(500));
        assert_eq!(lock.step(secs(900)), LockStep::Wait);
        assert_eq!(lock.step(secs(1100)), LockStep::AskWindow);
    }

    #[test]
    fn activity_reported_late_never_moves_the_idle_time_back() {
        let mut lock = AppLock::open(ten_minutes(), true, secs(0));
        lock.note_activity(secs(500));
        lock.note_activity(secs(100));
        assert_eq!(lock.step(secs(1099)), LockStep::Wait);
    }

    #[test]
    fn a_window_that_does_not_lock_in_time_is_locked_without_it() {
        let mut lock = AppLock::open(ten_minutes(), true, secs(0));
        assert_eq!(lock.step(secs(600)), LockStep::AskWindow);
        assert_eq!(lock.step(secs(605)), LockStep::Wait);
        // Activity after the ask does not stop it: the window is already locking.
        lock.note_activity(secs(606));
        assert_eq!(lock.step(secs(610)), LockStep::LockNow);
    }

    #[test]
    fn never_means_only_the_adviser_locks() {
        let mut lock = AppLock::open(IdleLimit::Never, true, secs(0));
        assert_eq!(lock.step(secs(1_000_000)), LockStep::Wait);
        assert!(lock.can_lock());
    }

    #[test]
    fn a_store_with_no_way_back_in_is_never_locked() {
        let mut lock = AppLock::open(ten_minutes(), false, secs(0));
        assert!(!lock.can_lock());
        assert_eq!(lock.step(secs(3600)), LockStep::Wait);
        lock.set_can_unlock(true);
        assert_eq!(lock.step(secs(3600)), LockStep::AskWindow);
    }

    #[test]
    fn a_locked_store_is_not_locked_again_and_unlocking_restarts_the_idle_time() {
        let mut lock = AppLock::open(ten_minutes(), true, secs(0));
        lock.lock();
        assert!(lock.is_locked());
        assert_eq!(lock.step(secs(5000)), LockStep::Wait);
        lock.unlocked(secs(5000));
        assert!(!lock.is_locked());
        assert_eq!(lock.step(secs(5599)), LockStep::Wait);
        assert_eq!(lock.step(secs(5600)), LockStep::AskWindow);
    }

    #[test]
    fn a_shorter_limit_counts_from_when_it_is_set() {
        let mut lock = AppLock::open(IdleLimit::Never, true, secs(0));
        lock.set_limit(IdleLimit::minutes(1).expect("a choice"), secs(3000));
        assert_eq!(lock.step(secs(3059)), LockStep::Wait);
        assert_eq!(lock.step(secs(3060)), LockStep::AskWindow);
    }

    #[test]
    fn the_first_wrong_tries_are_free_then_each_wait_doubles_to_a_ceiling() {
        let waits: Vec<u64> = (0..12)
            .map(|failures| UnlockAttempts::wait_after(failures).as_secs())
            .collect();
        assert_eq!(waits, [0, 0, 0, 5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(UnlockAttempts::wait_after(u32::MAX), secs(300));
    }

    #[test]
    fn a_try_during_the_wait_is_refused_with_the_time_left() {
        let mut tries = UnlockAttempts::default();
        for at in [10, 11, 12] {
            assert_eq!(tries.may_try(secs(at)), Ok(()));
            tries.failed(secs(at));
        }
        let refused = tries.may_try(secs(14)).expect_err("too soon");
        assert_eq!(refused.wait, secs(3));
        assert_eq!(
            refused.to_string(),
            "Too many wrong tries: wait 3 seconds before trying again"
        );
        assert_eq!(tries.may_try(secs(17)), Ok(()));
        tries.failed(secs(17));
        assert_eq!(tries.may_try(secs(26)).expect_err("too soon").wait, secs(1));
    }

    #[test]
    fn wrong_tries_kept_on_disk_resume_where_they_were() {
        let mut tries = UnlockAttempts::default();
        for at in [100, 101, 102, 103] {
            tries.failed(secs(at));
        }
        let kept = UnlockAttempts::resume(tries.failures(), tries.last_failure());
        assert_eq!(kept, tries);
        assert_eq!(kept.may_try(secs(104)).expect_err("too soon").wait, secs(9));
        assert_eq!(UnlockAttempts::resume(0, None).may_try(secs(0)), Ok(()));
    }

    #[test]
    fn lock_times_read_back_as_written_and_others_are_refused() {
        for minutes in IdleLimit::MINUTE_CHOICES {
            let limit = IdleLimit::minutes(minutes).expect("a choice");
            assert_eq!(limit.to_string().parse::<IdleLimit>(), Ok(limit));
        }
        assert_eq!("never".parse::<IdleLimit>(), Ok(IdleLimit::Never));
        assert_eq!("1 minute".parse(), IdleLimit::minutes(1));
        assert_eq!(IdleLimit::DEFAULT.to_string(), "10 minutes");
        let refused = "7 minutes".parse::<IdleLimit>().expect_err("not a choice");
        assert!(refused
            .to_string()
            .contains("\"7 minutes\" is not a time to lock after"));
        assert!("soon".parse::<IdleLimit>().is_err());
        assert!(IdleLimit::minutes(0).is_err());
    }
}
