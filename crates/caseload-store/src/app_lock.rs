//! Opening the store again after the app locked it. The app forgets the
//! store's key when it locks, so unlocking needs something the adviser
//! knows: the store's passphrase where it was opened with one (typed, or
//! `CASELOAD_PASSPHRASE`), else the lock password whose hash the device's
//! settings keep, which then releases the key kept in the keyring.
//!
//! When to lock and how long a wrong try makes the next wait are
//! `caseload_core::app_lock`'s rules; this module only opens the store.

use std::path::Path;

use crate::device_settings::DeviceSettings;
use crate::keys::{self, KeyKeeper, Resolved};
use crate::{Store, StoreError, StoreKey};

/// What unlocks the store once the app has locked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlocker {
    /// The store's own passphrase.
    Passphrase,
    /// The device's lock password; the key is the keyring's.
    LockPassword,
}

/// Why the store did not open again.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("That passphrase does not open the store. Check it and try again.")]
    WrongPassphrase,
    #[error("That is not the lock password. Check it and try again.")]
    WrongLockPassword,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UnlockError {
    /// A wrong guess (which counts towards the wait), not a fault.
    pub fn is_wrong_secret(&self) -> bool {
        matches!(
            self,
            UnlockError::WrongPassphrase | UnlockError::WrongLockPassword
        )
    }
}

/// Opens the store at `path` with `secret`, as `unlocker` says. Slow on
/// purpose (key derivation, argon2id): call it off the window's thread.
pub fn reopen(
    path: &Path,
    unlocker: Unlocker,
    settings: &DeviceSettings,
    secret: &str,
    keyring: &dyn KeyKeeper,
) -> Result<Store, UnlockError> {
    match unlocker {
        Unlocker::Passphrase => Store::open(path, &StoreKey::Passphrase(secret.to_owned()))
            .map_err(|error| match error {
                StoreError::WrongKey(_) => UnlockError::WrongPassphrase,
                error => UnlockError::Store(error),
            }),
        Unlocker::LockPassword => {
            if !settings.lock_password_matches(secret) {
                return Err(UnlockError::WrongLockPassword);
            }
            match keys::resolve(path, None, keyring)? {
                Resolved::Key { key, .. } => Ok(Store::open(path, &key)?),
                Resolved::AskPassphrase(_) => Err(UnlockError::Store(StoreError::Key(format!(
                    "the keyring no longer gives the key of the store {}: restart Caseload to \
                     unlock it with its passphrase",
                    path.display()
                )))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// A keyring in memory.
    #[derive(Default)]
    struct Keyring(RefCell<Option<String>>);

    impl KeyKeeper for Keyring {
        fn get(&self) -> Result<Option<String>, String> {
            Ok(self.0.borrow().clone())
        }

        fn set(&self, key: &str) -> Result<(), String> {
            *self.0.borrow_mut() = Some(key.to_owned());
            Ok(())
        }
    }

    /// A demo store keyed by `keyring`'s new key, closed again.
    fn keyring_store(path: &Path, keyring: &Keyring) {
        let Resolved::Key { key, .. } = keys::resolve(path, None, keyring).expect("a key") else {
            panic!("the keyring gives a key");
        };
        let mut store = Store::open(path, &key).expect("a new store");
        store.load_demo().expect("the demo caseload");
    }

    #[test]
    fn a_store_keyed_by_the_keyring_opens_again_with_the_lock_password_only() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("caseload.sqlite3");
        let keyring = Keyring::default();
        keyring_store(&path, &keyring);
        let mut settings = DeviceSettings::default();
        settings.set_lock_password("kestrel 7").expect("hashed");

        let wrong = reopen(
            &path,
            Unlocker::LockPassword,
            &settings,
            "kestrel 8",
            &keyring,
        )
        .expect_err("a wrong lock password");
        assert!(wrong.is_wrong_secret());
        assert_eq!(
            wrong.to_string(),
            "That is not the lock password. Check it and try again."
        );
        let store = reopen(
            &path,
            Unlocker::LockPassword,
            &settings,
            "kestrel 7",
            &keyring,
        )
        .expect("the lock password opens it");
        assert!(store.status().expect("status").schools > 0);
    }

    #[test]
    fn with_no_lock_password_set_nothing_opens_a_keyring_store() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("caseload.sqlite3");
        let keyring = Keyring::default();
        keyring_store(&path, &keyring);
        let refused = reopen(
            &path,
            Unlocker::LockPassword,
            &DeviceSettings::default(),
            "",
            &keyring,
        )
        .expect_err("no password to match");
        assert!(refused.is_wrong_secret());
    }

    #[test]
    fn a_store_keyed_by_a_passphrase_opens_again_with_that_passphrase_only() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("caseload.sqlite3");
        let passphrase = "curlew over the moor";
        Store::open(&path, &StoreKey::Passphrase(passphrase.to_owned()))
            .expect("a new store")
            .load_demo()
            .expect("the demo caseload");
        // A keyring holding some other key must not matter.
        let keyring = Keyring::default();
        keyring.set(&"00".repeat(32)).expect("kept");
        let settings = DeviceSettings::default();

        let wrong = reopen(
            &path,
            Unlocker::Passphrase,
            &settings,
            "curlew over the sea",
            &keyring,
        )
        .expect_err("a wrong passphrase");
        assert!(matches!(wrong, UnlockError::WrongPassphrase));
        let store = reopen(&path, Unlocker::Passphrase, &settings, passphrase, &keyring)
            .expect("the passphrase opens it");
        assert!(store.status().expect("status").schools > 0);
    }
}
