//! The command-line interface: one module per subcommand, each a small `run` over the
//! library. Exit codes: 0 success, 1 findings, 2 usage, input or I/O errors.

mod args;
mod build;
mod check;
mod completions;
mod diff;
mod explain;
mod export;
mod import;
mod new;
mod render;
mod report;
mod rollover;
mod rules;
mod schema;
mod synth;
mod watch;

use clap::{Parser, Subcommand};

pub(crate) use report::{ColorChoice, Reporter};

/// Exit code: everything went well.
pub(crate) const EXIT_OK: i32 = 0;
/// Exit code: the command ran and has findings (check, diff with `--exit-code`).
pub(crate) const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage error, unreadable or invalid input, or I/O failure.
pub(crate) const EXIT_ERROR: i32 = 2;

/// Country profiles as data: render, check, diff and import.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    /// When to use colour: auto (a terminal and no NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) project: args::ProjectArgs,
    /// The subcommand.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    /// Write a synthetic corpus of fictional countries (for benchmarks and tests).
    #[command(
        after_help = "Example:\n  dossier synth --countries 200 --editions 2 --out corpus\n  dossier render --project corpus"
    )]
    Synth(synth::Args),
    /// Compare two records, editions or edition years: news, corrections, removals, wording.
    #[command(
        after_help = "Examples:\n  dossier diff profiles/2022 profiles/2023\n  dossier diff 2022 2023 --country Kyrgyzstan --kind news\n  dossier diff 2022 2023 --format pdf --changed-only --out redline.pdf\n  dossier diff 2022 2023 --format json --exit-code"
    )]
    Diff(diff::Args),
    /// Turn saved plain-text profile pages into records under profiles/EDITION/.
    #[command(
        after_help = "Examples:\n  dossier import archive/kyrgyzstan-2022-cluster-munition-ban-policy.txt\n  dossier import archive/2013/*.txt --edition 2013\n  dossier import page.txt --country Kyrgyzstan -o -"
    )]
    Import(import::Args),
    /// Write records in another format: plain text shaped like the published pages.
    #[command(
        after_help = "Examples:\n  dossier export --format text profiles/2022/kyrgyzstan.toml\n  dossier export --format text profiles/2022 --out archive"
    )]
    Export(export::Args),
    /// Check records for contradictions, treaty-date errors, citation and prose defects.
    #[command(
        after_help = "Examples:\n  dossier check\n  dossier check profiles/2023 --format json\n  dossier check profiles/2022/kyrgyzstan.toml --deny warning\n\nExit codes: 0 clean, 1 findings at or above --deny, 2 usage or I/O error."
    )]
    Check(check::Args),
    /// Print a checker rule's documentation.
    #[command(
        after_help = "Examples:\n  dossier explain DOS101\n  dossier explain duplicate-citation"
    )]
    Explain(explain::Args),
    /// List every checker rule with its code, name and default severity.
    #[command(after_help = "Example:\n  dossier rules")]
    Rules,
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
pub(crate) fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let reporter = Reporter::new(cli.color, cli.quiet);
    let project = || cli.project.find();
    match cli.command {
        Command::Build(args) => build::run(args, project(), &reporter),
        Command::Render(args) => render::run(args, project(), &reporter),
        Command::Synth(args) => synth::run(args, project(), &reporter),
        Command::Diff(args) => diff::run(args, project(), &reporter),
        Command::Import(args) => import::run(args, project(), &reporter),
        Command::Export(args) => export::run(args, &reporter),
        Command::Check(args) => check::run(args, project(), &reporter),
        Command::Explain(args) => explain::run(args, &reporter),
        Command::Rules => rules::run(),
        Command::Watch(args) => watch::run(args, project(), &reporter),
        Command::New(args) => new::run(args, project(), &reporter),
        Command::Rollover(args) => rollover::run(args, project(), &reporter),
        Command::Schema(args) => schema::run(args, &reporter),
        Command::Completions(args) => completions::run(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
