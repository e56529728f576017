//! The one directory walker. Every listing of a directory tree in dossier goes through
//! [`walk`]: it honours `.gitignore` and `.ignore` files (inside a git repository or not),
//! leaves hidden entries out unless asked, lists entries sorted by path so that output is
//! the same on every machine, and reports every entry it could not read.

use std::path::{Path, PathBuf};

/// A path that a walk or a loader left out, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path that was left out.
    pub path: PathBuf,
    /// Why it was left out.
    pub reason: String,
}

/// What a walk should include.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    /// Include hidden entries (names starting with a dot).
    pub hidden: bool,
    /// Honour `.gitignore` and `.ignore` files.
    pub ignore_files: bool,
    /// How deep to descend: `Some(1)` lists only the entries of the root itself.
    pub max_depth: Option<usize>,
}

impl Default for WalkOptions {
    /// Hidden entries left out, ignore files honoured, no depth limit.
    fn default() -> Self {
        Self {
            hidden: false,
            ignore_files: true,
            max_depth: None,
        }
    }
}

/// The entries a walk found, each list sorted by path.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files below the root (the root itself when it is a file).
    pub files: Vec<PathBuf>,
    /// Directories below the root (not the root itself).
    pub dirs: Vec<PathBuf>,
    /// Entries that could not be read or are neither files nor directories.
    pub skipped: Vec<Skipped>,
}

/// Walks the tree under `root` (or lists `root` alone when it is a file).
pub fn walk(root: &Path, options: WalkOptions) -> Walk {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(options.ignore_files)
        .hidden(!options.hidden)
        .require_git(false)
        .max_depth(options.max_depth)
        .sort_by_file_name(std::ffi::OsStr::cmp)
        .build();
    let mut found = Walk::default();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                found.skipped.push(skipped_by(root, &error));
                continue;
            }
        };
        match entry.file_type() {
            Some(kind) if kind.is_file() => found.files.push(entry.into_path()),
            Some(kind) if kind.is_dir() => {
                if entry.depth() > 0 {
                    found.dirs.push(entry.into_path());
                }
            }
            _ => found.skipped.push(Skipped {
                path: entry.into_path(),
                reason: "not a regular file or directory".into(),
            }),
        }
    }
    found.files.sort();
    found.dirs.sort();
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The skipped entry for a walk error: the path it names (or the root) and the message.
fn skipped_by(root: &Path, error: &ignore::Error) -> Skipped {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    Skipped {
        path: path_of(error).unwrap_or(root).to_path_buf(),
        reason: match error.io_error() {
            Some(io) => format!("cannot read: {io}"),
            None => error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary directory");
        for (path, text) in [
            ("b/two.toml", "x"),
            ("a/one.toml", "x"),
            ("a/.hidden.toml", "x"),
            ("kept.txt", "x"),
            ("build/out.toml", "x"),
            (".ignore", "build/\n"),
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("directory");
            std::fs::write(path, text).expect("file");
        }
        dir
    }

    fn names(root: &Path, paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .expect("under root")
                    .display()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn lists_files_sorted_without_hidden_or_ignored_ones() {
        let dir = tree();
        let found = walk(dir.path(), WalkOptions::default());
        assert_eq!(
            names(dir.path(), &found.files),
            ["a/one.toml", "b/two.toml", "kept.txt"]
        );
        assert_eq!(names(dir.path(), &found.dirs), ["a", "b"]);
        assert!(found.skipped.is_empty());
    }

    #[test]
    fn hidden_and_ignored_entries_come_back_when_asked() {
        let dir = tree();
        let options = WalkOptions {
            hidden: true,
            ignore_files: false,
            max_depth: None,
        };
        let found = walk(dir.path(), options);
        assert_eq!(
            names(dir.path(), &found.files),
            [
                ".ignore",
                "a/.hidden.toml",
                "a/one.toml",
                "b/two.toml",
                "build/out.toml",
                "kept.txt"
            ]
        );
    }

    #[test]
    fn depth_one_lists_only_the_root() {
        let dir = tree();
        let options = WalkOptions {
            max_depth: Some(1),
            ..WalkOptions::default()
        };
        let found = walk(dir.path(), options);
        assert_eq!(names(dir.path(), &found.files), ["kept.txt"]);
        assert_eq!(names(dir.path(), &found.dirs), ["a", "b"]);
    }

    #[test]
    fn a_missing_root_is_reported_as_skipped() {
        let dir = tree();
        let missing = dir.path().join("nowhere");
        let found = walk(&missing, WalkOptions::default());
        assert!(found.files.is_empty());
        assert_eq!(found.skipped.len(), 1);
        assert_eq!(found.skipped[0].path, missing);
        assert!(found.skipped[0].reason.starts_with("cannot read"));
    }
}
