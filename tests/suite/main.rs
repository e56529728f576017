//! End-to-end tests of the `dossier` binary, one module per feature.

mod support;

mod check;
mod load;
mod render;
