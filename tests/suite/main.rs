//! End-to-end tests of the `dossier` binary, one module per feature.

#![expect(
    clippy::too_many_lines,
    reason = "an end-to-end scenario reads top to bottom as one story"
)]

mod support;

mod archive_page;
mod book_fonts;

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
mod seeds;
mod structure;
mod tables;
mod treaties;
mod watch;
