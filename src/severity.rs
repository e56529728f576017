//! How serious a diagnostic is: one scale for the checker's findings and the renderer's
//! diagnostics.

use serde::Serialize;

/// How serious a finding or a render diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run by default.
    Info,
    /// Worth a reviewer's eye; for a render, the output was written.
    Warning,
    /// Must be fixed before print; for a render, no output was written.
    Error,
}

impl Severity {
    /// The lower-case name.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}
