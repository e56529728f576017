//! End-to-end tests of the `dossier` binary, one module per feature.

mod support;

mod cli;
mod load;
mod new;
mod render;
mod rollover;
mod schema;
mod watch;
