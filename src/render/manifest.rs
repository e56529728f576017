//! Incremental builds: a manifest in the output directory maps each PDF to the hash of
//! everything it was made from, so an unchanged output is not rendered again.
//!
//! A job's key ([`Job::key`]) hashes the document's main file and JSON data (which are
//! derived from the record, the registries and the paper size), the template set, the
//! dossier version and the Typst version. A book's key holds its front matter's data and
//! every profile's output path and key, so any profile change reaches the book's key too.
//! Only written PDFs are recorded; a failed job loses its entry, so it is tried again next
//! time.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Job, JobResult, write_atomically};

/// File name of the manifest inside the output directory.
pub const MANIFEST_FILE: &str = ".dossier-manifest.json";

/// Version of the manifest layout; a manifest of another version is ignored.
const FORMAT: u32 = 1;

/// Output path (relative to the output directory, `/`-separated) to input hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    format: u32,
    outputs: BTreeMap<String, String>,
}

impl Manifest {
    /// Reads the manifest of `out_dir`; a missing, unreadable or outdated one is empty.
    pub fn load(out_dir: &Path) -> Self {
        std::fs::read(out_dir.join(MANIFEST_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .filter(|m| m.format == FORMAT)
            .unwrap_or_else(|| Self {
                format: FORMAT,
                outputs: BTreeMap::new(),
            })
    }

    /// Whether the job's PDF exists under `out_dir` and was made from the same inputs.
    pub fn is_fresh(&self, job: &Job, out_dir: &Path) -> bool {
        self.outputs.get(&output_key(&job.output)) == Some(&job.key)
            && out_dir.join(&job.output).is_file()
    }

    /// Records a job's outcome: its key when the PDF was written, no entry otherwise.
    pub fn update(&mut self, job: &Job, result: &JobResult) {
        let name = output_key(&job.output);
        if result.written {
            self.outputs.insert(name, job.key.clone());
        } else {
            self.outputs.remove(&name);
        }
    }

    /// Writes the manifest into `out_dir` atomically.
    pub fn save(&self, out_dir: &Path) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        write_atomically(&out_dir.join(MANIFEST_FILE), &bytes)
    }
}

fn output_key(output: &Path) -> String {
    output
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Lower-case hexadecimal of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
