//! A book's PDF packed for size.
//!
//! Typst writes every object of a PDF on its own; a book of 200 profiles has about 75,000
//! structure elements, most of the file. [`pack`] writes the same objects again with the
//! small ones packed into compressed object streams (ISO 32000-1, 7.5.7), which takes the
//! book to about a quarter of its size, and leaves out what nothing refers to.

use lopdf::Document as Pdf;

mod writer;

/// A PDF that cannot be packed.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The PDF could not be parsed.
    #[error("cannot read the PDF to pack it: {0}")]
    Read(#[source] lopdf::Error),
    /// The PDF could not be written.
    #[error("cannot write the PDF: {0}")]
    Write(#[source] std::io::Error),
}

/// Flate level of the object streams: structure elements are much alike, so a high level
/// pays.
const LEVEL: u32 = 6;

/// Objects to an object stream.
const PER_STREAM: usize = 1000;

/// The PDF `bytes` with its small objects packed into compressed object streams, and
/// without the objects nothing reachable from its trailer refers to.
pub fn pack(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Pdf::load_mem(bytes).map_err(PdfError::Read)?;
    pdf.prune_objects();
    writer::write_packed(pdf, LEVEL, PER_STREAM).map_err(PdfError::Write)
}

#[cfg(test)]
mod tests;
