//! dossier: country profiles of a treaty monitor as data.
//!
//! Records ([`record`]) are loaded from TOML with source spans, checked against registries
//! ([`registry`]), rendered to print-ready PDFs ([`render`]), compared across editions and
//! imported from the published plain-text archive. The command-line tool (`src/main.rs`
//! and `src/cli/`, a binary of its own, not part of this library's API) is a thin layer
//! over it: the render pipeline lives in [`render::pipeline`].

pub mod check;
pub mod diff;
pub mod export;
pub mod facts;
pub mod import;
pub mod project;
pub mod record;
pub mod registry;
pub mod render;
pub mod severity;
pub mod synth;
pub mod typography;
pub mod walk;
pub mod workflow;
