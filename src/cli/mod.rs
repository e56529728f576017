//! The command-line interface: one module per subcommand, each a small `run` over the
//! library. Exit codes: 0 success, 1 findings, 2 usage, input or I/O errors.

mod build;
mod completions;
mod new;
mod render;
mod report;
mod rollover;
mod schema;
mod watch;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use report::{ColorChoice, Reporter};

/// Exit code: everything went well.
pub const EXIT_OK: i32 = 0;
/// Exit code: the command ran and has findings (check, diff with `--exit-code`).
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage error, unreadable or invalid input, or I/O failure.
pub const EXIT_ERROR: i32 = 2;

/// Country profiles as data: render, check, diff and import.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// When to use colour: auto (a terminal and no NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Project root (default: found by walking up from the working directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render every record and each edition's book, then report what the checker finds.
    #[command(
        after_help = "Example:\n  dossier build\n  dossier build --out print --paper us-letter"
    )]
    Build(build::Args),
    /// Render records to PDF profiles, plus one book per edition.
    #[command(
        after_help = "Examples:\n  dossier render\n  dossier render profiles/2023 --out out --jobs 2\n  dossier render profiles/2023/kyrgyzstan.toml --emit-typst typst-src"
    )]
    Render(render::Args),
    /// Re-render the records an edit touches, as soon as it is saved; keeps the last good PDF.
    #[command(
        after_help = "Examples:\n  dossier watch\n  dossier watch profiles/2023/kyrgyzstan.toml --no-book\n\nKeep a PDF viewer open on out/EDITION/COUNTRY.pdf; it reloads when the file changes."
    )]
    Watch(watch::Args),
    /// Write a skeleton record, with a comment explaining each field.
    #[command(
        after_help = "Examples:\n  dossier new Kyrgyzstan --edition 2024 --iso KG\n  dossier new \"Côte d'Ivoire\" --edition 2024 --iso CI --topic mine-action"
    )]
    New(new::Args),
    /// Start the next edition: copy every record, bump the edition, mark each for review.
    #[command(
        after_help = "Examples:\n  dossier rollover 2023 2024\n  dossier rollover 2023 2024 --dry-run\n\nExisting files are never overwritten: the command stops before writing anything."
    )]
    Rollover(rollover::Args),
    /// Print the JSON Schema of the record format (generated from the code).
    #[command(
        after_help = "Examples:\n  dossier schema\n  dossier schema --out checks/record.schema.json\n\nRecords start with `#:schema ../../checks/record.schema.json` so TOML editors\n(taplo, Even Better TOML) complete keys and flag mistakes while typing."
    )]
    Schema(schema::Args),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  dossier completions bash > ~/.local/share/bash-completion/completions/dossier\n  dossier completions zsh > ~/.zfunc/_dossier\n  dossier completions fish > ~/.config/fish/completions/dossier.fish"
    )]
    Completions(completions::Args),
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let reporter = Reporter::new(cli.color, cli.quiet);
    let project = || match &cli.project {
        Some(root) => crate::project::Project::at(root),
        None => crate::project::Project::discover(&std::env::current_dir().unwrap_or_default()),
    };
    match cli.command {
        Command::Build(args) => build::run(args, project(), &reporter),
        Command::Render(args) => render::run(args, project(), &reporter),
        Command::Watch(args) => watch::run(args, project(), &reporter),
        Command::New(args) => new::run(args, project(), &reporter),
        Command::Rollover(args) => rollover::run(args, project(), &reporter),
        Command::Schema(args) => schema::run(args, &reporter),
        Command::Completions(args) => completions::run(args),
    }
}
