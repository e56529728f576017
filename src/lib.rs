//! dossier: country profiles of a treaty monitor as data.
//!
//! Records ([`record`]) are loaded from TOML with source spans, checked against registries
//! ([`registry`]), rendered to print-ready PDFs ([`render`]), compared across editions and
//! imported from the published plain-text archive. The command-line tool in `src/main.rs`
//! is a thin layer over this library.

pub mod check;
pub mod cli;
pub mod diff;
pub mod export;
pub mod facts;
pub mod import;
pub mod project;
pub mod record;
pub mod registry;
pub mod render;
pub mod synth;
pub mod typography;
pub mod workflow;
