//! Every PDF dossier writes, packed for size.
//!
//! Typst writes every object of a PDF on its own, and most of a tagged PDF's objects are its
//! structure elements: about 75,000 in a book of 200 profiles, several hundred in a profile.
//! [`pack`] writes the same objects again with the small ones packed into compressed object
//! streams (ISO 32000-1, 7.5.7), which takes a book to about a quarter of its size and a
//! profile to about half.

mod pack;
mod renumber;
mod source;
mod syntax;

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
