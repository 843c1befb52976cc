//! Where the store's key comes from, for the CLI and the desktop app.
//!
//! In order: a passphrase in `CASELOAD_PASSPHRASE` (headless use: the CLI,
//! tests, CI); else the random key kept in the operating system's keyring
//! (Secret Service on Linux, Credential Manager on Windows, Keychain on
//! macOS), made on first run when the store is new or not yet encrypted;
//! else nobody can give a key here, and the caller asks for a passphrase
//! (the app in its window) or says how to give one (the CLI).
//!
//! The store itself only takes a key ([`crate::Store::open`]); this module
//! never opens the store, and never prints or logs a key.

use std::path::Path;

use crate::{store_file, StoreError, StoreFile, StoreKey};

/// The environment variable that gives the store's passphrase.
pub const PASSPHRASE_VAR: &str = "CASELOAD_PASSPHRASE";

/// The shortest passphrase a store is encrypted with.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The keyring entry: one key for the user's Caseload stores, so a store
/// (or a backup of it) opens wherever it is moved on this computer.
const KEYRING_SERVICE: &str = "Caseload";
const KEYRING_ENTRY: &str = "local store key";

/// Where a key was found, for messages that say how to put it right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `CASELOAD_PASSPHRASE`.
    Environment,
    /// The operating system's keyring.
    Keyring,
}

impl KeySource {
    /// "the passphrase in CASELOAD_PASSPHRASE", "the key in this computer's keyring", …
    pub fn describe(self) -> &'static str {
        match self {
            KeySource::Environment => "the passphrase in CASELOAD_PASSPHRASE",
            KeySource::Keyring => "the key kept in this computer's keyring",
        }
    }
}

/// Why a passphrase must be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    /// The store is encrypted: its passphrase opens it.
    Unlock,
    /// There is no store yet: the passphrase chosen now will encrypt it.
    Create,
    /// The store is from before encryption: the passphrase chosen now will encrypt it.
    Encrypt,
}

/// What [`resolve`] found.
#[derive(Debug)]
pub enum Resolved {
    Key {
        key: StoreKey,
        source: KeySource,
    },
    /// Neither the environment nor a keyring gives a key.
    AskPassphrase(Ask),
}

/// A place that keeps the store's key: the operating system's keyring, or a
/// stand-in in tests. An `Err` means no keyring runs here.
pub trait KeyKeeper {
    fn get(&self) -> Result<Option<String>, String>;
    fn set(&self, key: &str) -> Result<(), String>;
}

/// The operating system's keyring.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsKeyring;

impl OsKeyring {
    fn entry() -> Result<keyring::Entry, String> {
        keyring::Entry::new(KEYRING_SERVICE, KEYRING_ENTRY).map_err(|error| error.to_string())
    }
}

impl KeyKeeper for OsKeyring {
    fn get(&self) -> Result<Option<String>, String> {
        match Self::entry()?.get_password() {
            Ok(key) => Ok(Some(key)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(error.to_string()),
        }
    }

    fn set(&self, key: &str) -> Result<(), String> {
        Self::entry()?
            .set_password(key)
            .map_err(|error| error.to_string())
    }
}

/// The passphrase in `CASELOAD_PASSPHRASE`, if it is set and not empty.
pub fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_VAR)
        .ok()
        .filter(|passphrase| !passphrase.is_empty())
}

/// Finds the key for the store at `store`: `passphrase` (from the
/// environment), else the keyring's key, made and kept there first when
/// the store is new or not yet encrypted.
pub fn resolve(
    store: &Path,
    passphrase: Option<String>,
    keyring: &dyn KeyKeeper,
) -> Result<Resolved, StoreError> {
    let file = store_file(store)?;
    if let Some(passphrase) = passphrase {
        if file != StoreFile::Encrypted {
            check_new_passphrase(&passphrase).map_err(|problem| {
                StoreError::Key(format!(
                    "{PASSPHRASE_VAR} would encrypt the store {}: {problem}",
                    store.display()
                ))
            })?;
        }
        return Ok(Resolved::Key {
            key: StoreKey::Passphrase(passphrase),
            source: KeySource::Environment,
        });
    }
    let ask = match file {
        StoreFile::Encrypted => Ask::Unlock,
        StoreFile::Missing => Ask::Create,
        StoreFile::Plain => Ask::Encrypt,
    };
    match keyring.get() {
        Ok(Some(text)) => match StoreKey::from_hex(&text) {
            Some(key) => Ok(Resolved::Key {
                key,
                source: KeySource::Keyring,
            }),
            None => Err(StoreError::Key(format!(
                "the keyring entry \"{KEYRING_SERVICE}: {KEYRING_ENTRY}\" does not hold a Caseload key"
            ))),
        },
        // An encrypted store the keyring has no key for was encrypted with
        // a passphrase, or on another computer: only its passphrase opens it.
        Ok(None) if ask == Ask::Unlock => Ok(Resolved::AskPassphrase(ask)),
        Ok(None) => match keep_new_key(keyring) {
            Some(key) => Ok(Resolved::Key {
                key,
                source: KeySource::Keyring,
            }),
            None => Ok(Resolved::AskPassphrase(ask)),
        },
        Err(_no_keyring) => Ok(Resolved::AskPassphrase(ask)),
    }
}

/// Makes a key and keeps it in the keyring; `None` unless the keyring gives
/// the same key back (a keyring that forgets would lock the adviser out).
fn keep_new_key(keyring: &dyn KeyKeeper) -> Option<StoreKey> {
    let key = StoreKey::generate().ok()?;
    let text = key.to_hex()?;
    keyring.set(&text).ok()?;
    (keyring.get().ok()?? == text).then_some(key)
}

/// Why `passphrase` may not encrypt a store, if it may not.
pub fn check_new_passphrase(passphrase: &str) -> Result<(), String> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(format!(
            "a passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"
        ));
    }
    Ok(())
}

/// What to tell someone at a terminal when no key is at hand.
pub fn how_to_give_a_key(store: &Path, ask: Ask) -> String {
    let store = store.display();
    match ask {
        Ask::Unlock => format!(
            "the store {store} is encrypted and no key for it is at hand (no keyring here holds \
             one): set {PASSPHRASE_VAR} to its passphrase"
        ),
        Ask::Create => format!(
            "no keyring runs here to keep a key for the new store {store}: set {PASSPHRASE_VAR} \
             to a passphrase of at least {MIN_PASSPHRASE_CHARS} characters to encrypt it with"
        ),
        Ask::Encrypt => format!(
            "the store {store} is from before encryption and no keyring runs here to keep its \
             key: set {PASSPHRASE_VAR} to a passphrase of at least {MIN_PASSPHRASE_CHARS} \
             characters to encrypt it with (it is encrypted in place, every record kept)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// A keyring in memory; `running: false` is a computer with none.
    struct FakeKeyring {
        running: bool,
        forgets: bool,
        kept: RefCell<Option<String>>,
    }

    impl FakeKeyring {
        fn new() -> Self {
            FakeKeyring {
                running: true,
                forgets: false,
                kept: RefCell::new(None),
            }
        }
    }

    impl KeyKeeper for FakeKeyring {
        fn get(&self) -> Result<Option<String>, String> {
            if !self.running {
                return Err("no Secret Service".to_owned());
            }
            Ok(self.kept.borrow().clone())
        }

        fn set(&self, key: &str) -> Result<(), String> {
            if !self.running {
                return Err("no Secret Service".to_owned());
            }
            if !self.forgets {
                *self.kept.borrow_mut() = Some(key.to_owned());
            }
            Ok(())
        }
    }

    fn encrypted_file(folder: &Path) -> std::path::PathBuf {
        let path = folder.join("caseload.sqlite3");
        std::fs::write(&path, [0x5Au8; 4096]).expect("written");
        path
    }

    #[test]
    fn the_environment_wins_over_the_keyring() {
        let folder = tempfile::tempdir().expect("temp dir");
        let keyring = FakeKeyring::new();
        let resolved = resolve(
            &folder.path().join("new.sqlite3"),
            Some("long enough passphrase".to_owned()),
            &keyring,
        )
        .expect("resolves");
        assert!(matches!(
            resolved,
            Resolved::Key {
                key: StoreKey::Passphrase(_),
                source: KeySource::Environment
            }
        ));
        assert_eq!(*keyring.kept.borrow(), None, "the keyring is left alone");
    }

    #[test]
    fn a_short_passphrase_does_not_encrypt_a_new_store_but_opens_an_encrypted_one() {
        let folder = tempfile::tempdir().expect("temp dir");
        let keyring = FakeKeyring::new();
        let error = resolve(
            &folder.path().join("new.sqlite3"),
            Some("short".to_owned()),
            &keyring,
        )
        .expect_err("too short");
        assert!(
            error.to_string().contains("at least 8 characters"),
            "{error}"
        );
        let encrypted = encrypted_file(folder.path());
        assert!(resolve(&encrypted, Some("short".to_owned()), &keyring).is_ok());
    }

    #[test]
    fn a_new_store_gets_a_key_kept_in_the_keyring_and_the_same_key_next_time() {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = folder.path().join("new.sqlite3");
        let keyring = FakeKeyring::new();
        let Resolved::Key { key: first, source } = resolve(&store, None, &keyring).expect("first")
        else {
            panic!("no key made");
        };
        assert_eq!(source, KeySource::Keyring);
        assert_eq!(keyring.kept.borrow().as_deref(), first.to_hex().as_deref());
        let Resolved::Key { key: second, .. } = resolve(&store, None, &keyring).expect("second")
        else {
            panic!("no key the second time");
        };
        assert_eq!(first, second);
    }

    #[test]
    fn without_a_keyring_the_passphrase_is_asked_for_and_why() {
        let folder = tempfile::tempdir().expect("temp dir");
        let keyring = FakeKeyring {
            running: false,
            ..FakeKeyring::new()
        };
        let new = folder.path().join("new.sqlite3");
        assert!(matches!(
            resolve(&new, None, &keyring).expect("resolves"),
            Resolved::AskPassphrase(Ask::Create)
        ));
        let plain = folder.path().join("plain.sqlite3");
        std::fs::write(&plain, b"SQLite format 3\0and the rest").expect("written");
        assert!(matches!(
            resolve(&plain, None, &keyring).expect("resolves"),
            Resolved::AskPassphrase(Ask::Encrypt)
        ));
        let encrypted = encrypted_file(folder.path());
        assert!(matches!(
            resolve(&encrypted, None, &keyring).expect("resolves"),
            Resolved::AskPassphrase(Ask::Unlock)
        ));
    }

    #[test]
    fn an_encrypted_store_the_keyring_has_no_key_for_asks_and_makes_no_key() {
        let folder = tempfile::tempdir().expect("temp dir");
        let keyring = FakeKeyring::new();
        let encrypted = encrypted_file(folder.path());
        assert!(matches!(
            resolve(&encrypted, None, &keyring).expect("resolves"),
            Resolved::AskPassphrase(Ask::Unlock)
        ));
        assert_eq!(*keyring.kept.borrow(), None);
    }

    #[test]
    fn a_keyring_that_forgets_what_it_was_given_is_not_trusted_with_the_key() {
        let folder = tempfile::tempdir().expect("temp dir");
        let keyring = FakeKeyring {
            forgets: true,
            ..FakeKeyring::new()
        };
        assert!(matches!(
            resolve(&folder.path().join("new.sqlite3"), None, &keyring).expect("resolves"),
            Resolved::AskPassphrase(Ask::Create)
        ));
    }
}
