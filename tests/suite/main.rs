//! End-to-end tests of the `dossier` binary, one module per feature.

mod support;

mod build;
mod check;
mod cli;
mod diff;
mod hostile;
mod import;
mod incremental;
mod load;
mod new;
mod properties;
mod render;
mod rollover;
mod schema;
mod structure;
mod watch;
