//! This computer's own settings for the store beside them: after how long
//! idle the app locks, the argon2id hash of the lock password that unlocks
//! it where the store's key comes from the keyring (no passphrase exists to
//! ask for), and the wrong unlock tries in a row, so that quitting the app
//! does not begin the waits after them again.
//!
//! Kept in a small TOML file next to the store (`caseload.sqlite3.device.toml`),
//! not in it: the lock screen must read them while the store is closed and
//! its key forgotten, and they belong to this device — they are never synced
//! and never hold anything of the caseload. Never holds the password itself.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::time::Duration;

use caseload_core::app_lock::{IdleLimit, UnlockAttempts};
use serde::{Deserialize, Serialize};

/// The shortest lock password.
pub const MIN_LOCK_PASSWORD_CHARS: usize = 4;

/// The device's settings; a missing file means the defaults.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceSettings {
    pub lock_after: IdleLimit,
    /// The lock password's argon2id hash in PHC form (salt and parameters included).
    lock_password: Option<String>,
    /// Wrong unlock tries in a row; the last one's time on the wall clock.
    unlock_attempts: UnlockAttempts,
}

// The hash is not the password, but it is what a guesser would start from.
impl std::fmt::Debug for DeviceSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSettings")
            .field("lock_after", &self.lock_after)
            .field("has_lock_password", &self.has_lock_password())
            .field("unlock_attempts", &self.unlock_attempts)
            .finish()
    }
}

impl Default for DeviceSettings {
    fn default() -> Self {
        DeviceSettings {
            lock_after: IdleLimit::DEFAULT,
            lock_password: None,
            unlock_attempts: UnlockAttempts::default(),
        }
    }
}

/// Why the settings could not be read, kept or changed.
#[derive(Debug, thiserror::Error)]
pub enum DeviceSettingsError {
    #[error("cannot read {path}: {problem}")]
    Read { path: PathBuf, problem: String },
    #[error("cannot write {path}: {problem}")]
    Write { path: PathBuf, problem: String },
    #[error("the lock password needs at least {MIN_LOCK_PASSWORD_CHARS} characters")]
    ShortPassword,
    #[error("the lock password could not be hashed: {0}")]
    Hash(String),
}

/// The file as written: plain words, so an administrator can read it.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    lock_after: Option<String>,
    lock_password: Option<String>,
    failed_unlocks: Option<u32>,
    /// Seconds since the Unix epoch.
    last_failed_unlock: Option<u64>,
}

const HEADER: &str = "# Caseload: this computer's settings for the store beside this file.\n\
                      # Never synced. lock_password is an argon2id hash, not the password.\n";

/// Where the settings of the store at `store` are kept.
pub fn device_settings_path(store: &Path) -> PathBuf {
    let mut name = store.file_name().unwrap_or_default().to_owned();
    name.push(".device.toml");
    store.with_file_name(name)
}

impl DeviceSettings {
    /// The settings of the store at `store`: the defaults if none were kept yet.
    pub fn read(store: &Path) -> Result<Self, DeviceSettingsError> {
        let path = device_settings_path(store);
        let failed = |problem: String| DeviceSettingsError::Read {
            path: path.clone(),
            problem,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default())
            }
            Err(error) => return Err(failed(error.to_string())),
        };
        let file: SettingsFile =
            toml::from_str(&text).map_err(|error| failed(error.to_string()))?;
        let lock_after = match file.lock_after {
            None => IdleLimit::DEFAULT,
            Some(text) => text
                .parse()
                .map_err(|error| failed(format!("lock_after: {error}")))?,
        };
        if let Some(hash) = &file.lock_password {
            PasswordHash::new(hash)
                .map_err(|error| failed(format!("lock_password is not an argon2 hash: {error}")))?;
        }
        Ok(DeviceSettings {
            lock_after,
            lock_password: file.lock_password,
            unlock_attempts: UnlockAttempts::resume(
                file.failed_unlocks.unwrap_or(0),
                file.last_failed_unlock.map(Duration::from_secs),
            ),
        })
    }

    /// Keeps the settings: written beside and renamed over, so a crash
    /// leaves the old file or the new one, never half of one.
    pub fn write(&self, store: &Path) -> Result<(), DeviceSettingsError> {
        let path = device_settings_path(store);
        let failed = |error: std::io::Error| DeviceSettingsError::Write {
            path: path.clone(),
            problem: error.to_string(),
        };
        let failures = self.unlock_attempts.failures();
        let file = SettingsFile {
            lock_after: Some(self.lock_after.to_string()),
            lock_password: self.lock_password.clone(),
            failed_unlocks: (failures > 0).then_some(failures),
            last_failed_unlock: self
                .unlock_attempts
                .last_failure()
                .filter(|_| failures > 0)
                .map(|at| at.as_secs()),
        };
        let body = toml::to_string(&file).map_err(|error| DeviceSettingsError::Write {
            path: path.clone(),
            problem: error.to_string(),
        })?;
        let mut partial = path.clone().into_os_string();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Readable by the adviser alone: the hash is what a guesser starts from.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&partial).map_err(failed)?;
        out.write_all(HEADER.as_bytes())
            .and_then(|()| out.write_all(body.as_bytes()))
            .and_then(|()| out.sync_all())
            .map_err(failed)?;
        std::fs::rename(&partial, &path).map_err(failed)
    }

    /// Wrong unlock tries in a row, as kept.
    pub fn unlock_attempts(&self) -> &UnlockAttempts {
        &self.unlock_attempts
    }

    pub fn set_unlock_attempts(&mut self, attempts: UnlockAttempts) {
        self.unlock_attempts = attempts;
    }

    pub fn has_lock_password(&self) -> bool {
        self.lock_password.is_some()
    }

    /// Replaces the lock password with `password`, hashed with argon2id and
    /// a fresh salt. Slow on purpose (tens of milliseconds): call it off the
    /// window's thread.
    pub fn set_lock_password(&mut self, password: &str) -> Result<(), DeviceSettingsError> {
        if password.chars().count() < MIN_LOCK_PASSWORD_CHARS {
            return Err(DeviceSettingsError::ShortPassword);
        }
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|error| DeviceSettingsError::Hash(error.to_string()))?;
        let salt = SaltString::encode_b64(&salt)
            .map_err(|error| DeviceSettingsError::Hash(error.to_string()))?;
        let hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|error| DeviceSettingsError::Hash(error.to_string()))?;
        self.lock_password = Some(hash.to_string());
        Ok(())
    }

    /// Whether `password` is the lock password; false when none is set.
    /// As slow as hashing it: call it off the window's thread.
    pub fn lock_password_matches(&self, password: &str) -> bool {
        let Some(hash) = &self.lock_password else {
            return false;
        };
        // `read` checked the hash's form; one edited since cannot match anything.
        PasswordHash::new(hash).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_in(folder: &tempfile::TempDir) -> PathBuf {
        folder.path().join("caseload.sqlite3")
    }

    #[test]
    fn a_device_with_no_settings_file_locks_after_ten_minutes_and_has_no_lock_password() {
        let folder = tempfile::tempdir().expect("temp dir");
        let settings = DeviceSettings::read(&store_in(&folder)).expect("defaults");
        assert_eq!(settings.lock_after, IdleLimit::DEFAULT);
        assert!(!settings.has_lock_password());
        assert!(!settings.lock_password_matches(""));
    }

    #[test]
    fn settings_read_back_as_kept_and_the_file_holds_a_hash_not_the_password() {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = store_in(&folder);
        let mut settings = DeviceSettings {
            lock_after: IdleLimit::minutes(5).expect("a choice"),
            ..DeviceSettings::default()
        };
        settings
            .set_lock_password("heron 42")
            .expect("a long enough password");
        settings.write(&store).expect("written");

        let text = std::fs::read_to_string(device_settings_path(&store)).expect("the file");
        assert!(text.contains("lock_after = \"5 minutes\""), "{text}");
        assert!(text.contains("$argon2id$"), "{text}");
        assert!(
            !text.contains("heron 42"),
            "the password itself is kept: {text}"
        );

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(device_settings_path(&store))
                .expect("the file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "readable by the adviser alone");
        }
        let read = DeviceSettings::read(&store).expect("read back");
        assert_eq!(read, settings);
        assert!(read.lock_password_matches("heron 42"));
        assert!(!read.lock_password_matches("heron 43"));
        assert!(
            !format!("{read:?}").contains("argon2"),
            "Debug shows the hash"
        );
    }

    #[test]
    fn wrong_unlock_tries_are_kept_and_forgotten_once_it_unlocks() {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = store_in(&folder);
        let mut settings = DeviceSettings::default();
        let mut tries = UnlockAttempts::default();
        for at in [1_000, 1_001, 1_002, 1_003] {
            tries.failed(Duration::from_secs(at));
        }
        settings.set_unlock_attempts(tries.clone());
        settings.write(&store).expect("written");
        let text = std::fs::read_to_string(device_settings_path(&store)).expect("the file");
        assert!(text.contains("failed_unlocks = 4"), "{text}");
        let read = DeviceSettings::read(&store).expect("read back");
        assert_eq!(read.unlock_attempts(), &tries);
        assert!(read
            .unlock_attempts()
            .may_try(Duration::from_secs(1_004))
            .is_err());

        settings.set_unlock_attempts(UnlockAttempts::default());
        settings.write(&store).expect("written");
        let text = std::fs::read_to_string(device_settings_path(&store)).expect("the file");
        assert!(!text.contains("failed_unlocks"), "{text}");
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let mut one = DeviceSettings::default();
        let mut two = DeviceSettings::default();
        one.set_lock_password("kestrel").expect("hashed");
        two.set_lock_password("kestrel").expect("hashed");
        assert_ne!(
            one.lock_password, two.lock_password,
            "a fresh salt each time"
        );
        assert!(one.lock_password_matches("kestrel") && two.lock_password_matches("kestrel"));
    }

    #[test]
    fn a_short_lock_password_is_refused_and_the_old_one_kept() {
        let mut settings = DeviceSettings::default();
        settings.set_lock_password("1234").expect("four is enough");
        let refused = settings.set_lock_password("123").expect_err("too short");
        assert_eq!(
            refused.to_string(),
            "the lock password needs at least 4 characters"
        );
        assert!(settings.lock_password_matches("1234"));
    }

    #[test]
    fn a_damaged_settings_file_is_refused_naming_the_file_and_the_field() {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = store_in(&folder);
        let path = device_settings_path(&store);
        std::fs::write(&path, "lock_after = \"7 minutes\"\n").expect("written");
        let refused = DeviceSettings::read(&store)
            .expect_err("7 is not a choice")
            .to_string();
        assert!(
            refused.contains("caseload.sqlite3.device.toml") && refused.contains("lock_after"),
            "{refused}"
        );
        std::fs::write(&path, "lock_password = \"letmein\"\n").expect("written");
        let refused = DeviceSettings::read(&store)
            .expect_err("not a hash")
            .to_string();
        assert!(
            refused.contains("lock_password is not an argon2 hash"),
            "{refused}"
        );
    }
}
