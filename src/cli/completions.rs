//! `dossier completions SHELL`: a shell completion script on standard output.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, EXIT_OK};

/// Arguments of `dossier completions`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub(crate) shell: Shell,
}

/// Runs `dossier completions`.
pub(super) fn run(args: Args) -> i32 {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "dossier", &mut std::io::stdout());
    EXIT_OK
}
