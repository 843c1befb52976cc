//! Where the workspace keeps what the end-to-end tests need and leave.

use std::path::PathBuf;

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// The debug build of the desktop app, as `cargo build -p caseload-desktop` leaves it.
pub fn desktop_binary() -> anyhow::Result<PathBuf> {
    let binary = target_dir().join("debug").join("caseload-desktop");
    anyhow::ensure!(
        binary.is_file(),
        "the desktop app is not built: {} is missing. Build it first with \
         `cargo build -p caseload-desktop` (after `npm run build` in ui/), or run ./scripts/test",
        binary.display()
    );
    Ok(binary)
}

/// The debug build of the `caseload` CLI, built beside the app.
pub fn cli_binary() -> anyhow::Result<PathBuf> {
    let binary = target_dir().join("debug").join("caseload");
    anyhow::ensure!(
        binary.is_file(),
        "the caseload CLI is not built: {} is missing. Build it with `cargo build --workspace`, \
         or run ./scripts/test",
        binary.display()
    );
    Ok(binary)
}

/// The debug build of the office server, built beside the app.
pub fn office_binary() -> anyhow::Result<PathBuf> {
    let binary = target_dir().join("debug").join("caseload-office");
    anyhow::ensure!(
        binary.is_file(),
        "the office server is not built: {} is missing. Build it with \
         `cargo build --workspace`, or run ./scripts/test",
        binary.display()
    );
    Ok(binary)
}

/// Where screenshots go for a person to look at: `<target>/e2e-screenshots/`.
pub fn screenshot_dir() -> anyhow::Result<PathBuf> {
    let dir = target_dir().join("e2e-screenshots");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
