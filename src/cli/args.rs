//! Arguments several commands share, declared once and flattened into each.

use std::path::PathBuf;

use dossier::project::{Project, relative_to_cwd};
use dossier::record::{Topic, UnknownTopic};
use dossier::render::Paper;

/// Where the project is (a global option of every command).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ProjectArgs {
    /// Project root (default: found by walking up from the working directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) project: Option<PathBuf>,
}

impl ProjectArgs {
    /// The project: the one given with `--project`, else the one around the working
    /// directory.
    pub(crate) fn find(&self) -> Result<Project, dossier::project::ProjectError> {
        match &self.project {
            Some(root) => Project::at(root),
            None => Project::discover(&std::env::current_dir().unwrap_or_default()),
        }
    }
}

/// Record files or directories a command works on.
#[derive(Debug, clap::Args)]
pub(crate) struct PathArgs {
    /// Record files or directories (default: the project's profiles/).
    pub(crate) paths: Vec<PathBuf>,
}

impl PathArgs {
    /// The paths given, or the project's `profiles/` when none were.
    pub(crate) fn or_profiles(&self, project: &Project) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![relative_to_cwd(&project.profiles)]
        } else {
            self.paths.clone()
        }
    }
}

/// Where PDFs go and on what paper.
#[derive(Debug, clap::Args)]
pub(crate) struct OutputArgs {
    /// Output directory (default: `out/`, or `out_dir` in dossier.toml).
    #[arg(long, short)]
    pub(crate) out: Option<PathBuf>,
    /// Paper size.
    #[arg(long, value_enum)]
    pub(crate) paper: Option<Paper>,
}

/// How a render run goes: parallel jobs and whether to redo up-to-date outputs.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Parallel jobs (default: all cores).
    #[arg(long, short)]
    pub(crate) jobs: Option<usize>,
    /// Render every output, even those the manifest says are up to date.
    #[arg(long)]
    pub(crate) force: bool,
}

/// The output format of a command whose formats are the values of `F`; the default is
/// `F::default()`.
#[derive(Debug, clap::Args)]
pub(crate) struct FormatArgs<F>
where
    F: clap::ValueEnum + Default + Clone + Send + Sync + 'static,
{
    /// Output format.
    #[arg(long, short, value_enum, default_value = default_name::<F>())]
    pub(crate) format: F,
}

/// The name of `F`'s default value, as the command line spells it. (`default_value_t` cannot
/// be used in a generic struct: its cached default would be shared by every `F`.)
fn default_name<F: clap::ValueEnum + Default>() -> String {
    F::default()
        .to_possible_value()
        .map(|value| value.get_name().to_string())
        .unwrap_or_default()
}

/// Reads a `--topic` keyword.
pub(crate) fn parse_topic(text: &str) -> Result<Topic, UnknownTopic> {
    text.parse()
}
