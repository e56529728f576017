//! End-to-end tests of the `dossier` binary, one module per feature.

mod support;

mod build;
mod check;
mod diff;
mod hostile;
mod import;
mod incremental;
mod load;
mod properties;
mod render;
