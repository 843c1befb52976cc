//! Writing a document to disk whole or not at all: the bytes go to a
//! `.partial` file beside the destination and are renamed into place only
//! once everything that must succeed has.

use std::io;
use std::path::{Path, PathBuf};

/// Bytes waiting beside their destination; dropped without being moved
/// into place, the partial file is removed.
#[derive(Debug)]
pub struct Staged {
    partial: PathBuf,
    path: PathBuf,
}

impl Staged {
    pub fn write(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
        Staged::write_with(path, bytes, &std::fs::OpenOptions::new())
    }

    /// Like [`Staged::write`], with the file readable by this user alone
    /// (on Unix; elsewhere the folder's permissions decide).
    pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
        let mut options = std::fs::OpenOptions::new();
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        Staged::write_with(path, bytes, &options)
    }

    fn write_with(path: &Path, bytes: &[u8], options: &std::fs::OpenOptions) -> io::Result<Staged> {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        let staged = Staged {
            partial: path.with_file_name(name),
            path: path.to_owned(),
        };
        let mut file = options
            .clone()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&staged.partial)?;
        io::Write::write_all(&mut file, bytes)?;
        Ok(staged)
    }

    /// Moves the file into place and returns where it now is.
    pub fn persist(self) -> io::Result<PathBuf> {
        std::fs::rename(&self.partial, &self.path)?;
        Ok(self.path.clone())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // After a rename there is nothing to remove; before it, the partial
        // file must not outlive a failure.
        let _ = std::fs::remove_file(&self.partial);
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    Staged::write(path, bytes)?.persist()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_file_appears_only_when_persisted() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("letter.pdf");
        let staged = Staged::write(&path, b"%PDF").expect("staged");
        assert!(!path.exists());
        staged.persist().expect("persisted");
        assert_eq!(std::fs::read(&path).expect("written"), b"%PDF");
        assert_eq!(std::fs::read_dir(folder.path()).expect("lists").count(), 1);

        let abandoned = folder.path().join("abandoned.pdf");
        drop(Staged::write(&abandoned, b"%PDF").expect("staged"));
        assert_eq!(
            std::fs::read_dir(folder.path()).expect("lists").count(),
            1,
            "no partial file is left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_readable_by_its_owner_alone() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("calendar.ics");
        Staged::write_private(&path, b"BEGIN:VCALENDAR")
            .and_then(Staged::persist)
            .expect("written");
        let mode = std::fs::metadata(&path)
            .expect("there")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_folder_that_does_not_exist_is_an_error_not_a_panic() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("missing").join("letter.pdf");
        assert!(write_whole(&path, b"%PDF").is_err());
    }
}
