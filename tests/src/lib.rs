//! The harness for Caseload's end-to-end tests: real processes, real windows.
//!
//! Tests built on it drive the app the way a person would, through the built
//! desktop binary in a real WebKit window (tauri-driver and WebKitWebDriver,
//! under Xvfb on a machine without a display). The harness builds nothing:
//! `./scripts/test` builds the app first, and a test that cannot find it says
//! so. It must never leave a process behind, whatever the test does.

pub mod desktop;
pub mod paths;
pub mod scoring;
pub mod visits;
pub mod window;
