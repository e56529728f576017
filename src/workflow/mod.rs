//! The editors' workflow: record skeletons, rolling an edition forward and live preview.
//!
//! Each part is a library function the command-line tool wraps: [`skeleton`] for
//! `dossier new`, [`rollover`] for `dossier rollover` and [`watch`] for `dossier watch`.

pub mod rollover;
pub mod skeleton;
pub mod watch;
