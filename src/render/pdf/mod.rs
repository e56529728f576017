//! A book's PDF packed for size.
//!
//! Typst writes every object of a PDF on its own; a book of 200 profiles has about 75,000
//! structure elements, most of the file. [`pack`] writes the same objects again with the
//! small ones packed into compressed object streams (ISO 32000-1, 7.5.7), which takes the
//! book to about a quarter of its size.

mod pack;

/// A PDF that cannot be packed.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The PDF is not laid out as Typst writes one.
    #[error("cannot pack the PDF: {0}")]
    Unpackable(&'static str),
    /// The PDF could not be written.
    #[error("cannot write the PDF: {0}")]
    Write(#[source] std::io::Error),
}

/// The PDF `bytes`, as Typst wrote it, with its small objects packed into compressed object
/// streams.
pub fn pack(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    pack::pack(bytes)
}

#[cfg(test)]
mod tests;
