//! A second, read-only connection to the store's file, so that a
//! national-scale read (the authority-wide view) reads two kinds of record
//! at once on two cores: the write-ahead log lets a reader run beside
//! another connection. It is opened on first use only, with the store's
//! raw key, and closes with the store.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::cipher::open_keyed;
use crate::{Store, StoreError, StoreKey};

/// The store's second connection, not yet opened until a read asks for it.
#[derive(Debug, Default)]
pub(crate) struct SecondReader(Mutex<Option<Connection>>);

impl Store {
    /// Runs `beside` on the second connection on a thread of its own while
    /// `here` runs on the store's own connection, and returns both results.
    /// A store in memory has no file to open twice, and a store opened with
    /// a passphrase would derive its key again to open a second connection
    /// (longer than a national look itself, every time the CLI asks): there,
    /// both run on the one connection, one after the other.
    pub(crate) fn read_beside<A: Send, B>(
        &self,
        beside: impl FnOnce(&Connection) -> A + Send,
        here: impl FnOnce() -> B,
    ) -> Result<(A, B), StoreError> {
        let Some(key @ StoreKey::Raw(_)) = &self.key else {
            return Ok((beside(self.conn()), here()));
        };
        let mut second = self
            .second_reader
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if second.is_none() {
            *second = Some(open_second(self, key)?);
        }
        let conn: &mut Connection = second.as_mut().expect("opened just above");
        std::thread::scope(|scope| {
            let other = scope.spawn(move || beside(conn));
            let mine = here();
            match other.join() {
                Ok(theirs) => Ok((theirs, mine)),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}

fn open_second(store: &Store, key: &StoreKey) -> Result<Connection, StoreError> {
    let conn = open_keyed(
        store.path(),
        key,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // As the store's own connection (see `Store::prepare`): what the view
    // reads here stays decrypted for its next look.
    conn.pragma_update(None, "cache_size", -131_072)?;
    Ok(conn)
}
