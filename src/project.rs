//! A dossier project on disk: `profiles/`, `templates/`, `checks/` and an optional
//! `dossier.toml`, found by walking up from the working directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::check::RuleSetting;
use crate::record::{LoadError, Record, load_record};
use crate::render::Paper;

/// Name of the optional project configuration file.
pub const CONFIG_FILE: &str = "dossier.toml";

/// Project settings from `dossier.toml` (every key optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Output directory for PDFs, relative to the project root (default `out`).
    pub out_dir: Option<PathBuf>,
    /// Paper size (default A4).
    pub paper: Option<Paper>,
    /// Checker rule severities from the `[rules]` table: rule code or name to severity,
    /// e.g. `DOS101 = "warning"` or `last-meeting-contradiction = "off"`.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
}

/// Where the project's parts live.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project root.
    pub root: PathBuf,
    /// Record files, one directory per edition.
    pub profiles: PathBuf,
    /// Typst templates.
    pub templates: PathBuf,
    /// Registries, claim patterns and rule settings.
    pub checks: PathBuf,
    /// Settings from `dossier.toml`.
    pub config: Config,
}

/// Problems locating or configuring the project.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ProjectError {
    /// No project root above the directory.
    #[error("no dossier project found in {0} or any parent directory")]
    #[diagnostic(
        code(dossier::project::not_found),
        help("a project has a `dossier.toml`, or `profiles/` and `templates/` directories")
    )]
    NotFound(PathBuf),
    /// The configuration file is invalid.
    #[error("{path}: {message}")]
    #[diagnostic(code(dossier::project::config))]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        message: String,
    },
}

impl Project {
    /// Finds the project containing `start` (a file or directory).
    pub fn discover(start: &Path) -> Result<Self, ProjectError> {
        let start = if start.is_absolute() {
            start.to_path_buf()
        } else {
            std::env::current_dir()
                .map(|d| d.join(start))
                .unwrap_or_else(|_| start.to_path_buf())
        };
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            if d.join(CONFIG_FILE).is_file()
                || (d.join("profiles").is_dir() && d.join("templates").is_dir())
            {
                return Self::at(d);
            }
            dir = d.parent();
        }
        Err(ProjectError::NotFound(start))
    }

    /// The project rooted at `root`.
    pub fn at(root: &Path) -> Result<Self, ProjectError> {
        let config_path = root.join(CONFIG_FILE);
        let config = match std::fs::read_to_string(&config_path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                let (line, col) = e
                    .span()
                    .map_or((1, 1), |s| crate::record::line_col(&text, s.start));
                ProjectError::Config {
                    path: config_path.clone(),
                    message: format!("{line}:{col}: {}", e.message()),
                }
            })?,
            Err(_) => Config::default(),
        };
        Ok(Self {
            root: root.to_path_buf(),
            profiles: root.join("profiles"),
            templates: root.join("templates"),
            checks: root.join("checks"),
            config,
        })
    }

    /// The output directory from the configuration, or `out/` under the root.
    pub fn default_out_dir(&self) -> PathBuf {
        match &self.config.out_dir {
            Some(dir) => self.root.join(dir),
            None => self.root.join("out"),
        }
    }
}

/// `path` relative to the working directory when it lies below it (for shorter messages),
/// otherwise unchanged.
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    match std::env::current_dir() {
        Ok(cwd) => match path.strip_prefix(&cwd) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
            _ => path.to_path_buf(),
        },
        Err(_) => path.to_path_buf(),
    }
}

pub use crate::walk::Skipped;

/// Collects record files from files and directories (directories are walked with
/// [`crate::walk::walk`], so ignore files and hidden names are honoured), sorted and without
/// duplicates. Other files inside directories, and entries that cannot be read, are reported
/// as skipped.
pub fn collect_record_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let found = crate::walk::walk(path, crate::walk::WalkOptions::default());
        skipped.extend(found.skipped);
        for file in found.files {
            if file.extension().is_some_and(|ext| ext == "toml") {
                files.push(file);
            } else {
                skipped.push(Skipped {
                    path: file,
                    reason: "not a .toml record".into(),
                });
            }
        }
    }
    files.sort();
    files.dedup();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    (files, skipped)
}

/// Loads record files in parallel, keeping the input order.
pub fn load_records(files: &[PathBuf]) -> (Vec<Record>, Vec<LoadError>) {
    let results: Vec<Result<Record, LoadError>> =
        files.par_iter().map(|f| load_record(f)).collect();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(record) => records.push(record),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}
