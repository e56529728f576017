//! Running jobs: profiles laid out several to a document, in parallel; each one's PDF
//! written from its pages; then each book from the same pages.
//!
//! Laying out up to [`BATCH`] profiles in one Typst document instead of one document each
//! saves the work every document repeats (and lets Typst lay out their page runs in
//! parallel); the last documents of a run hold fewer (see [`batches`]), so that no thread
//! waits long for the others at the end of the layout. A document that fails or warns is
//! laid out again one profile at a time, so every error and warning is reported on the
//! record it concerns.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Mutex, mpsc};

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::data::{BookData, Folio, RunningHead, Side, folio_data, head_data};
use super::kept::{KeptLayout, KeptPdfs, PdfBytes};
use super::shared::{PdfSet, sheet_settings};
use super::typst::{self, GlyphRuns, Pages};
use super::{
    BookJob, BookPiece, DataFile, Document, Job, JobError, JobKind, JobResult, PdfSettings,
    ProfileJob, RenderDiagnostic, Renderer, Severity, TypstDiagnostic, document, document_key,
    write_atomically,
};

/// Profiles laid out in one document, at most.
///
/// Two rather than more: a larger document shares more of the work every document repeats,
/// but each thread then holds a larger document's layout and what Typst memoized for it, and
/// touching that much fresh memory costs more than the work saved. Two threads on 200
/// profiles without the book: 1.79 s with two to a document, 1.84 s with eight, 1.92 s with
/// one; peak memory 108 MiB against 226 MiB with eight (`benches/README.md`, "Two profiles
/// to a document").
pub const BATCH: usize = 2;

/// How much smaller than what is left the documents at the end of a run are: each holds at
/// most a quarter of the profiles not yet given to one.
const TAPER: usize = 4;

/// Stack of each thread that lays out or writes PDFs: Typst recurses as deep as the content
/// nests, and a thread waiting on a join may run other jobs on top of its own.
const STACK_SIZE: usize = 64 << 20;

/// Files written at once: writing is bound by the disk's syncs, not by the cores.
pub const WRITERS: usize = 8;

/// How far a book's pages move towards the spine, in points (3 mm): the inner margin
/// becomes 2.5 cm and the outer 1.9 cm, where a profile's own PDF has 2.2 cm on both sides.
const BINDING_OFFSET: f64 = 8.5;

/// Evictions a memoized result may go unused before it is dropped: each thread evicts its
/// own results after each document it lays out, so a result goes with the thread's next
/// document unless that document uses it. (Keeping results for two documents saved no
/// time and held more memory: with eight profiles to a document, 460 MiB against 420 at the
/// peak of a render of 200 profiles with the book; with two, 129 MiB against 108 without
/// the book.)
const EVICT_AGE: usize = 1;

/// A made PDF and the compiler's warnings.
type Made = (Vec<u8>, Vec<TypstDiagnostic>);

/// A profile to lay out, and the index of its job when its own PDF is to be written.
struct Member<'a> {
    profile: &'a ProfileJob,
    job: Option<usize>,
}

/// One profile's pages (or the compiler's errors), with the warnings about it.
type LaidOutPart = (Result<Pages, Vec<TypstDiagnostic>>, Vec<TypstDiagnostic>);

/// What is done with a laid-out document: given its index, its members and their pages.
type BatchDone<'j, 'f> = dyn Fn(usize, &[Member<'j>], Vec<LaidOutPart>) + Sync + 'f;

impl Renderer {
    /// Runs jobs in parallel (as many threads as the current rayon pool has), calling
    /// `progress` after each, and returns the results in the order of `jobs`.
    ///
    /// The profiles to lay out are those whose PDF is to be written and every profile of a
    /// book to be made; they are laid out up to [`BATCH`] to a document ([`batches`]), a
    /// document per thread.
    /// Where there is a book, the books are then written on one thread, from the same pages,
    /// while the profiles' PDFs are made on the others; where there is none, each profile's
    /// PDF is made as soon as its document is laid out, and its pages let go. Typst's
    /// memoized results are evicted as the run goes (but for a watch session, which keeps
    /// them for its next run), so memory stays bounded however long the run.
    pub fn run_jobs(
        &self,
        jobs: &[Job],
        out_dir: &Path,
        progress: &(dyn Fn(&JobResult) + Sync),
    ) -> Vec<JobResult> {
        // As many threads as the caller's pool, each with a stack deep enough for Typst.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .stack_size(STACK_SIZE)
            .build();
        match pool {
            Ok(pool) => pool.install(|| self.run_jobs_here(jobs, out_dir, progress)),
            Err(_) => self.run_jobs_here(jobs, out_dir, progress),
        }
    }

    /// [`Renderer::run_jobs`] on the current rayon pool.
    fn run_jobs_here(
        &self,
        jobs: &[Job],
        out_dir: &Path,
        progress: &(dyn Fn(&JobResult) + Sync),
    ) -> Vec<JobResult> {
        let slots: Vec<Mutex<Option<JobResult>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
        let finish = |i: usize, made: MadeJob| {
            let result = write_job(&jobs[i], out_dir, made);
            progress(&result);
            *lock(&slots[i]) = Some(result);
        };
        let members = members(jobs);
        let books = jobs.iter().any(|job| matches!(job.kind, JobKind::Book(_)));
        with_writers(&finish, |write| {
            if books {
                let kept = KeptPdfs::new(out_dir, self.options.reuse_kept);
                self.write_with_books(jobs, &members, &kept, write);
            } else {
                self.write_as_laid_out(jobs, &members, write);
            }
        });
        if !self.options.keep_layouts {
            typst::evict_cache(0);
        }
        slots
            .into_iter()
            .map(|slot| {
                // Every job ran inside the writers' scope (a worker panic propagates out of
                // it), so each slot is filled here.
                slot.into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .expect("every job ran")
            })
            .collect()
    }

    /// With no book to wait for the pages, each profile's PDF is made as soon as its
    /// document is laid out (the document's profiles sharing their font subsets), and its
    /// pages are let go.
    fn write_as_laid_out(
        &self,
        jobs: &[Job],
        members: &[Member<'_>],
        write: &(dyn Fn(usize, MadeJob) + Sync),
    ) {
        let batches = batches(members);
        let all: Vec<usize> = (0..batches.len()).collect();
        self.lay_out_batches(&batches, &all, &|_, batch, parts| {
            let pages = parts.iter().filter_map(|(pages, _)| pages.as_ref().ok());
            let set = self.pdf_set(GlyphRuns::of(pages.clone()), pages.map(Pages::len));
            for (member, part) in batch.iter().zip(&parts) {
                if let Some(i) = member.job {
                    let made = self.profile_pdf(set.as_ref(), member.profile, part);
                    write(i, made_job(&jobs[i], made, part.1.clone()));
                }
            }
        });
        // A watch session keeps what this run used for its next run, and no more.
        if self.options.keep_layouts {
            typst::evict_cache(1);
        }
    }

    /// Lays every profile out (but those whose kept layouts stand for their pages, see
    /// [`Renderer::member_layouts`]), then each book around its profiles' pages; then makes
    /// the profiles' PDFs as Typst writes them in parallel (each book's own pages beside
    /// them), or takes them from the kept ones; then joins each book from them while the
    /// profiles' own PDFs are numbered from the same PDFs on the other threads, and the PDFs
    /// are kept for the next run.
    fn write_with_books(
        &self,
        jobs: &[Job],
        members: &[Member<'_>],
        kept_pdfs: &KeptPdfs,
        write: &(dyn Fn(usize, MadeJob) + Sync),
    ) {
        let batches = batches(members);
        let keys: Vec<String> = batches.iter().map(|batch| self.batch_key(batch)).collect();
        let layouts = self.member_layouts(&batches, &keys, kept_pdfs);
        // What Typst memoized for the profiles only weighs on the memory from here on, but
        // for the next run of a watch session, which keeps what this run used.
        typst::evict_cache(if self.options.keep_layouts { 1 } else { 0 });
        let books = self.lay_out_books(jobs, members, &layouts, write);
        let documents: Vec<&str> = (batches.iter().zip(&keys))
            .flat_map(|(batch, key)| batch.iter().map(move |_| key.as_str()))
            .collect();
        let in_book: Vec<Option<InBook<'_>>> = members
            .iter()
            .zip(&documents)
            .map(|(m, document)| {
                let (_, plan) = books.iter().find(|(_, plan)| plan.holds(&m.profile.part))?;
                Some(InBook {
                    set: &plan.set,
                    kept: kept_pdfs,
                    document,
                })
            })
            .collect();
        let layouts =
            self.with_pages_where_not_kept(&batches, &keys, kept_pdfs, (layouts, &in_book));
        let (raws, own_pdfs) = rayon::join(
            || self.raw_members(jobs, members, layouts, &in_book, write),
            || {
                books
                    .par_iter()
                    .map(|(_, plan)| self.book_own_pdfs(plan))
                    .collect::<Vec<_>>()
            },
        );
        let raw_of: HashMap<&str, &[u8]> = members
            .iter()
            .zip(&raws)
            .filter_map(|(m, raw)| Some((m.profile.part.as_str(), &raw.as_ref()?.pdf[..])))
            .collect();
        rayon::join(
            || {
                for ((i, plan), own) in books.iter().zip(own_pdfs) {
                    let made = own.and_then(|own| self.join_book(plan, &own, &raw_of));
                    let warnings = plan.warnings.clone();
                    write(
                        *i,
                        made_job(&jobs[*i], made.map(|pdf| (pdf, warnings)), Vec::new()),
                    );
                }
            },
            || {
                (members, &in_book, &raws)
                    .into_par_iter()
                    .for_each(|(member, book, raw)| {
                        if let (Some(book), Some(raw)) = (book, raw) {
                            self.write_numbered_member(jobs, member, book.set, raw, write);
                        }
                    });
                kept_pdfs.save();
            },
        );
    }

    /// Each member's PDF as Typst writes it when it goes into a book (`in_book`), with its
    /// book's font subsets (the kept one for a member this run did not lay out); a member
    /// whose PDF cannot be made is handed to `write` as failed. A member of no book gets its
    /// own subsets and is handed to `write` at once. Each
    /// member's pages are let go as soon as its PDF is made, on the thread that made it (one
    /// thread freeing them all at the end would keep the others idle).
    fn raw_members(
        &self,
        jobs: &[Job],
        members: &[Member<'_>],
        layouts: Vec<MemberLayout>,
        in_book: &[Option<InBook<'_>>],
        write: &(dyn Fn(usize, MadeJob) + Sync),
    ) -> Vec<Option<RawMember>> {
        let items: Vec<_> = (members.iter().zip(layouts).zip(in_book))
            .map(|((member, layout), book)| (member, layout, book))
            .collect();
        map_on_own_threads(items, |(member, layout, book)| {
            let Some(book) = book else {
                if let Some(part) = &layout.part {
                    self.write_member(jobs, member, part, write);
                }
                return None;
            };
            let settings = &member.profile.settings;
            let (raw, warnings) = match layout.part {
                // The member's pages are let go here, once its PDF is made.
                Some((pages, warnings)) => {
                    let raw = pages.map_err(JobError::Typst).and_then(|pages| {
                        let pdf =
                            self.kept_pdf(book.kept, book.document, book.set, &pages, settings)?;
                        Ok((pdf, pages.len()))
                    });
                    (raw, warnings)
                }
                None => {
                    let pdf = self.kept_pdf_of(book.kept, book.document, book.set, settings);
                    let raw = pdf.zip(layout.shown.map(|(count, _)| count));
                    let failed =
                        || JobError::ProfileFailed(member.profile.document.main_path.clone());
                    (raw.ok_or_else(failed), Vec::new())
                }
            };
            match raw {
                Ok((pdf, pages)) => Some(RawMember {
                    pdf,
                    pages,
                    warnings,
                }),
                Err(error) => {
                    if let Some(i) = member.job {
                        write(i, made_job(&jobs[i], Err(error), warnings));
                    }
                    None
                }
            }
        })
    }

    /// Hands `member`'s PDF, numbered from `raw` (as Typst wrote it, with `set`'s font
    /// subsets), to `write` when the member has a job of its own (a profile laid out only
    /// for a book has none).
    fn write_numbered_member(
        &self,
        jobs: &[Job],
        member: &Member<'_>,
        set: &PdfSet,
        raw: &RawMember,
        write: &(dyn Fn(usize, MadeJob) + Sync),
    ) {
        let Some(i) = member.job else {
            return;
        };
        let made = self
            .numbered_profile(set, &raw.pdf, raw.pages)
            .map(|pdf| (pdf, Vec::new()));
        write(i, made_job(&jobs[i], made, raw.warnings.clone()));
    }

    /// Every book of `jobs` laid out around its profiles' pages (`laid_out`, those of
    /// `members`), with the index of its job; a book that cannot be laid out is handed to
    /// `write` as failed.
    fn lay_out_books<'j>(
        &self,
        jobs: &'j [Job],
        members: &[Member<'_>],
        layouts: &[MemberLayout],
        write: &(dyn Fn(usize, MadeJob) + Sync),
    ) -> Vec<(usize, BookPlan<'j>)> {
        let profiles: HashMap<&str, Option<ShownProfile<'_>>> = members
            .iter()
            .zip(layouts)
            .map(|(member, layout)| {
                let shown = layout.shown.as_ref().map(|(count, runs)| (*count, runs));
                (member.profile.part.as_str(), shown)
            })
            .collect();
        let mut books = Vec::new();
        for (i, job) in jobs.iter().enumerate() {
            if let JobKind::Book(book) = &job.kind {
                match self.lay_out_book(book, &profiles) {
                    Ok(plan) => books.push((i, plan)),
                    Err(error) => write(i, made_job(job, Err(error), Vec::new())),
                }
            }
        }
        books
    }

    /// Lays out the documents `todo` of `batches` (their indices), on as many threads as
    /// the current rayon pool has (each with a pool of its own, see [`on_own_threads`]),
    /// handing each document's index, members and their pages (in order) to `done` as soon
    /// as it is laid out.
    fn lay_out_batches<'j>(
        &self,
        batches: &[&[Member<'j>]],
        todo: &[usize],
        done: &BatchDone<'j, '_>,
    ) {
        let next = AtomicUsize::new(0);
        let workers = rayon::current_num_threads().clamp(1, todo.len().max(1));
        on_own_threads(workers, || {
            while let Some(&b) = todo.get(next.fetch_add(1, Ordering::Relaxed)) {
                let batch = batches[b];
                let parts = self.lay_out_batch(batch);
                if !self.options.keep_layouts {
                    typst::evict_thread_cache(EVICT_AGE);
                }
                done(b, batch, parts);
            }
        });
    }

    /// What each member of `batches` (of keys `keys`) shows, in order: the documents of
    /// members that have no job of their own and whose layouts `kept` holds are not laid
    /// out (a book needs only their page counts and glyphs, and their PDFs are likely kept
    /// too); every other document is laid out (see [`Renderer::lay_out_into`]).
    fn member_layouts(
        &self,
        batches: &[&[Member<'_>]],
        keys: &[String],
        kept: &KeptPdfs,
    ) -> Vec<MemberLayout> {
        let mut layouts = Vec::new();
        let mut todo = Vec::new();
        for (b, (batch, key)) in batches.iter().zip(keys).enumerate() {
            let shown: Option<Vec<_>> = batch
                .iter()
                .map(|member| {
                    if member.job.is_some() {
                        return None;
                    }
                    let kept = kept.layout(&member.profile.settings.ident, key)?;
                    let runs = GlyphRuns::from_kept(&kept.runs, &self.base)?;
                    Some((kept.pages, runs))
                })
                .collect();
            if shown.is_none() {
                todo.push(b);
            }
            let shown = shown.map_or_else(
                || vec![None; batch.len()],
                |s| s.into_iter().map(Some).collect(),
            );
            layouts.extend(
                shown
                    .into_iter()
                    .map(|shown| MemberLayout { part: None, shown }),
            );
        }
        self.lay_out_into(batches, keys, &todo, kept, &mut layouts);
        layouts
    }

    /// `layouts` with the pages of every document of `batches` that was not laid out but
    /// holds a member whose PDF is not kept for its book's set (`in_book`): a profile's new
    /// glyph changes the set of every profile of its book.
    fn with_pages_where_not_kept(
        &self,
        batches: &[&[Member<'_>]],
        keys: &[String],
        kept: &KeptPdfs,
        (mut layouts, in_book): (Vec<MemberLayout>, &[Option<InBook<'_>>]),
    ) -> Vec<MemberLayout> {
        let mut todo = Vec::new();
        for (b, (batch, places)) in batches.iter().zip(member_places(batches)).enumerate() {
            let not_kept = batch.iter().zip(places).any(|(member, i)| {
                let settings = &member.profile.settings;
                layouts[i].part.is_none()
                    && in_book[i].as_ref().is_some_and(|book| {
                        let pdf = self.kept_pdf_of(kept, book.document, book.set, settings);
                        pdf.is_none()
                    })
            });
            if not_kept {
                todo.push(b);
            }
        }
        self.lay_out_into(batches, keys, &todo, kept, &mut layouts);
        layouts
    }

    /// Lays out the documents `todo` of `batches` (see [`Renderer::lay_out_batches`]), each
    /// member's pages and what they show put in its place in `layouts` (the members of
    /// every batch, in order), and what they show kept in `kept` under the document's key.
    /// The glyphs of each member's pages are gathered as soon as its document is laid out,
    /// on the thread that laid it out.
    fn lay_out_into(
        &self,
        batches: &[&[Member<'_>]],
        keys: &[String],
        todo: &[usize],
        kept: &KeptPdfs,
        layouts: &mut [MemberLayout],
    ) {
        if todo.is_empty() {
            return;
        }
        let slots: Vec<Mutex<Vec<MemberLayout>>> =
            batches.iter().map(|_| Mutex::new(Vec::new())).collect();
        self.lay_out_batches(batches, todo, &|b, batch, parts| {
            let laid_out = batch.iter().zip(parts).map(|(member, part)| {
                let shown = part.0.as_ref().ok().map(|pages| {
                    let runs = GlyphRuns::of([pages]);
                    if let Some(glyphs) = runs.kept(&self.base) {
                        let layout = KeptLayout {
                            pages: pages.len(),
                            runs: glyphs,
                        };
                        kept.put_layout(&member.profile.settings.ident, &keys[b], &layout);
                    }
                    (pages.len(), runs)
                });
                MemberLayout {
                    part: Some(part),
                    shown,
                }
            });
            *lock(&slots[b]) = laid_out.collect();
        });
        for (places, slot) in member_places(batches).zip(slots) {
            let laid_out = slot
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (i, layout) in places.zip(laid_out) {
                layouts[i] = layout;
            }
        }
    }

    /// A key of everything the pages of a document of `batch` are laid out from: each
    /// member's main file, data and running head, the template set, the versions. (Typst
    /// roots a document's element locations in its content, so a profile's PDF is known
    /// from its whole document, not from its own data alone.)
    fn batch_key(&self, batch: &[Member<'_>]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for member in batch {
            parts.push(document_key(&member.profile.document));
            parts.push(format!("{:?}", member.profile.head));
        }
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        self.key(&parts)
    }

    /// Lays out profiles in one document: each one's pages and warnings. A document that
    /// fails or warns is laid out again one profile at a time.
    fn lay_out_batch(&self, batch: &[Member<'_>]) -> Vec<LaidOutPart> {
        let document = batch_document(batch);
        match self.base.lay_out(&document) {
            Ok((laid_out, warnings)) if warnings.is_empty() || batch.len() == 1 => {
                let mut parts: HashMap<String, Pages> = laid_out.parts().into_iter().collect();
                let parts = batch
                    .iter()
                    .map(|member| match parts.remove(&member.profile.part) {
                        Some(pages) => (Ok(pages), warnings.clone()),
                        None => (Err(vec![no_pages(&member.profile.part)]), warnings.clone()),
                    })
                    .collect();
                self.with_running_heads(batch, parts)
            }
            Err(errors) if batch.len() == 1 => {
                vec![(Err(explain_batch_errors(errors, &document)), Vec::new())]
            }
            _ => batch
                .iter()
                .flat_map(|member| self.lay_out_batch(std::slice::from_ref(member)))
                .collect(),
        }
    }

    /// The profiles' pages with their running heads laid over every page after the first
    /// (laid out together, on one sheet).
    fn with_running_heads(
        &self,
        batch: &[Member<'_>],
        parts: Vec<LaidOutPart>,
    ) -> Vec<LaidOutPart> {
        let mut heads: Vec<RunningHead> = Vec::new();
        for (member, (pages, _)) in batch.iter().zip(&parts) {
            if let Ok(pages) = pages {
                let after_first = pages.len().saturating_sub(1);
                heads.extend(std::iter::repeat_n(
                    member.profile.head.clone(),
                    after_first,
                ));
            }
        }
        if heads.is_empty() {
            return parts;
        }
        let sheet = document(
            "/heads",
            "#import \"/templates/folios.typ\": head-sheet\n#head-sheet(json(\"{data}\"))\n",
            &head_data(heads, self.options.paper),
        )
        .map_err(|e| vec![typst::plain_error(e.to_string())])
        .and_then(|sheet| {
            self.base
                .lay_out(&sheet)
                .map(|(laid_out, _)| laid_out.overlays())
        });
        let mut start = 0;
        parts
            .into_iter()
            .map(|(pages, warnings)| {
                let pages = match (pages, &sheet) {
                    (Ok(pages), Ok(heads)) => {
                        let after_first = pages.len().saturating_sub(1);
                        let pages = pages.overlaid(1, heads, start);
                        start += after_first;
                        Ok(pages)
                    }
                    (Ok(_), Err(errors)) => Err(errors.clone()),
                    (Err(errors), _) => Err(errors),
                };
                (pages, warnings)
            })
            .collect()
    }

    /// Makes `member`'s PDF with font subsets of its own, and hands it to `write` when the
    /// member has a job of its own.
    fn write_member(
        &self,
        jobs: &[Job],
        member: &Member<'_>,
        part: &LaidOutPart,
        write: &(dyn Fn(usize, MadeJob) + Sync),
    ) {
        let Some(i) = member.job else {
            return;
        };
        let pages = part.0.as_ref().ok();
        let set = self.pdf_set(GlyphRuns::of(pages), pages.map(Pages::len));
        let made = self.profile_pdf(set.as_ref(), member.profile, part);
        write(i, made_job(&jobs[i], made, part.1.clone()));
    }

    /// A profile's PDF, numbered and packed.
    fn profile_pdf(
        &self,
        set: Result<&PdfSet, &JobError>,
        profile: &ProfileJob,
        (pages, _): &LaidOutPart,
    ) -> Result<Made, JobError> {
        let set = set.map_err(|error| match error {
            JobError::Typst(errors) => JobError::Typst(errors.clone()),
            other => JobError::Typst(vec![typst::plain_error(other.to_string())]),
        })?;
        let pages = pages.as_ref().map_err(|e| JobError::Typst(e.clone()))?;
        let raw = self.primed_pdf(set, pages, &profile.settings)?;
        let pdf = self.numbered_profile(set, &raw, pages.len())?;
        Ok((pdf, Vec::new()))
    }

    /// Page numbers laid out on a sheet of their own, one page each.
    pub(super) fn folio_sheet(&self, stem: &str, folios: Vec<Folio>) -> Result<Pages, JobError> {
        let document = document(
            stem,
            "#import \"/templates/folios.typ\": folio-sheet\n#folio-sheet(json(\"{data}\"))\n",
            &folio_data(folios, self.options.paper),
        )?;
        let (sheet, _) = self.base.lay_out(&document).map_err(JobError::Typst)?;
        Ok(sheet.pages())
    }

    /// An edition's book laid out around its profiles' pages: its sections, its front matter
    /// (the contents numbered as each part starts on a right-hand page, from 1) and the
    /// parts' page numbers, with the set of font subsets all its PDFs share.
    fn lay_out_book<'b>(
        &self,
        book: &'b BookJob,
        profiles: &HashMap<&str, Option<ShownProfile<'_>>>,
    ) -> Result<BookPlan<'b>, JobError> {
        let mut warnings = Vec::new();
        let mut sections = Vec::new();
        let mut counts = Vec::with_capacity(book.parts.len());
        // Each part's glyphs: the profiles' were gathered as they were laid out.
        let mut part_runs = Vec::with_capacity(book.parts.len());
        for piece in &book.parts {
            counts.push(match piece {
                BookPiece::Profile(profile) => match profiles.get(profile.part.as_str()) {
                    Some(Some((count, runs))) => {
                        part_runs.push(Cow::Borrowed(*runs));
                        *count
                    }
                    _ => return Err(JobError::ProfileFailed(profile.document.main_path.clone())),
                },
                BookPiece::Section(document) => {
                    let (laid_out, mut said) =
                        self.base.lay_out(document).map_err(JobError::Typst)?;
                    warnings.append(&mut said);
                    let pages = laid_out.pages();
                    part_runs.push(Cow::Owned(GlyphRuns::of([&pages])));
                    let count = pages.len();
                    sections.push(pages);
                    count
                }
            });
        }
        let (front, folios) = number_pages(&book.front, &counts);
        let stem = format!("/book-{}", book.edition);
        let front_document = document(
            &stem,
            "#import \"/templates/book.typ\": book-front-matter\n#book-front-matter(json(\"{data}\"))\n",
            &front,
        )?;
        let (front, folios) = rayon::join(
            || self.base.lay_out(&front_document).map_err(JobError::Typst),
            || self.folio_sheet(&format!("{stem}-folios"), folios),
        );
        let ((front, mut said), folios) = (front?, folios?);
        let front = front.pages();
        warnings.append(&mut said);
        // The book's glyphs in the order its PDFs are joined in.
        let mut runs = GlyphRuns::of([&front]);
        for part in &part_runs {
            runs.extend(part);
        }
        runs.add_pages(&folios);
        let profile_counts = book
            .parts
            .iter()
            .zip(&counts)
            .filter(|(piece, _)| matches!(piece, BookPiece::Profile(_)))
            .map(|(_, &n)| n);
        let set = self.pdf_set(runs, profile_counts)?;
        Ok(BookPlan {
            book,
            front,
            sections,
            folios,
            set,
            warnings,
        })
    }

    /// A book's own PDFs, as Typst wrote them: its front matter, its sections (in order) and
    /// its parts' page numbers.
    fn book_own_pdfs(&self, plan: &BookPlan<'_>) -> Result<BookOwnPdfs, JobError> {
        let settings = PdfSettings {
            ident: format!("book-{}", plan.book.edition),
            date: Some(plan.book.date),
            metadata: None,
        };
        let front = self.primed_pdf(&plan.set, &plan.front, &settings)?;
        let sections = plan
            .sections
            .iter()
            .map(|pages| self.primed_pdf(&plan.set, pages, &settings))
            .collect::<Result<_, _>>()?;
        let folios = self.primed_pdf(&plan.set, &plan.folios, &sheet_settings())?;
        Ok(BookOwnPdfs {
            front,
            sections,
            folios,
        })
    }

    /// The book of `plan`, joined from its own PDFs and its profiles' (`raw_of`, by part).
    fn join_book(
        &self,
        plan: &BookPlan<'_>,
        own: &BookOwnPdfs,
        raw_of: &HashMap<&str, &[u8]>,
    ) -> Result<Vec<u8>, JobError> {
        let mut sections = own.sections.iter();
        let mut parts = Vec::with_capacity(plan.book.parts.len());
        for piece in &plan.book.parts {
            parts.push(match piece {
                BookPiece::Profile(profile) => *raw_of
                    .get(profile.part.as_str())
                    .ok_or_else(|| JobError::ProfileFailed(profile.document.main_path.clone()))?,
                BookPiece::Section(_) => sections
                    .next()
                    .map(Vec::as_slice)
                    .ok_or_else(|| JobError::ProfileFailed("a section".into()))?,
            });
        }
        Ok(super::pdf::book(&super::pdf::BookPdfs {
            front: &own.front,
            parts,
            folios: &own.folios,
            binding: BINDING_OFFSET as f32,
        })?)
    }
}

/// How many pages a profile has, and their glyphs.
type ShownProfile<'a> = (usize, &'a GlyphRuns);

/// What a profile's PDF needs when it goes into a book: the book's set, and the kept PDFs
/// with the key of the document the profile was laid out in.
struct InBook<'a> {
    set: &'a PdfSet,
    kept: &'a KeptPdfs,
    document: &'a str,
}

/// An edition's book laid out around its profiles' pages (see [`Renderer::lay_out_book`]).
struct BookPlan<'b> {
    book: &'b BookJob,
    /// The front matter, its last pages standing for the parts.
    front: Pages,
    /// Each section's pages, in order (a profile's pages are its own, and let go once its PDF
    /// is made).
    sections: Vec<Pages>,
    /// The parts' page numbers, one to a page.
    folios: Pages,
    /// What every PDF of the book shares.
    set: PdfSet,
    /// The compiler's warnings on the book's own pages.
    warnings: Vec<TypstDiagnostic>,
}

impl BookPlan<'_> {
    /// Whether the book holds the profile `part`.
    fn holds(&self, part: &str) -> bool {
        self.book
            .parts
            .iter()
            .any(|piece| matches!(piece, BookPiece::Profile(p) if p.part == part))
    }
}

/// A member of a run with books: its pages when this run laid them out, and what a book
/// needs of them (this run's, or those kept from the run that last laid them out).
struct MemberLayout {
    /// Its pages (or the compiler's errors) and warnings, when this run laid them out.
    part: Option<LaidOutPart>,
    /// How many pages it has and their glyphs; none when it has none.
    shown: Option<(usize, GlyphRuns)>,
}

/// A profile's PDF as Typst wrote it for its book, and what its own PDF still needs of its
/// pages once they are let go.
struct RawMember {
    pdf: PdfBytes,
    /// How many pages it has.
    pages: usize,
    /// The compiler's warnings about it.
    warnings: Vec<TypstDiagnostic>,
}

/// A book's own PDFs as Typst wrote them (see [`Renderer::book_own_pdfs`]).
struct BookOwnPdfs {
    front: Vec<u8>,
    sections: Vec<Vec<u8>>,
    folios: Vec<u8>,
}

/// Runs `work` with a way to hand over a made job for `finish`: on [`WRITERS`] threads of
/// their own, so that writing files (bound by the disk's syncs) does not hold up the threads
/// that lay out and make PDFs. A writer waiting for work sleeps (a pool's idle threads would
/// spin and take the cores from the layout). Returns once every handed-over job is finished.
fn with_writers<F>(finish: &F, work: impl FnOnce(&(dyn Fn(usize, MadeJob) + Sync)))
where
    F: Fn(usize, MadeJob) + Sync,
{
    let (sender, receiver) = mpsc::channel::<(usize, MadeJob)>();
    let receiver = Mutex::new(receiver);
    let writer = || {
        // The lock is held while waiting, so writers take the jobs one at a time, in order;
        // it is let go before the job is finished (a guard in a `while let` condition would
        // live through the loop's body and have the writers write one at a time).
        loop {
            let next = lock(&receiver).recv();
            let Ok((i, made)) = next else { break };
            finish(i, made);
        }
    };
    std::thread::scope(|scope| {
        let writers = (0..WRITERS)
            .filter(|_| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, writer)
                    .is_ok()
            })
            .count();
        if writers == 0 {
            drop(sender);
            work(finish);
        } else {
            work(&|i, made| {
                // A writer only stops once the sender is dropped, below.
                let _ = sender.send((i, made));
            });
            drop(sender);
        }
    });
}

/// Runs `worker` on `threads` threads at once, each inside a rayon pool of its own of one
/// thread, and returns when every one has returned. The parallel work that a worker's job
/// starts inside Typst (a document's page runs laid out side by side, a PDF's fonts subset
/// while its pages are written) then stays on the worker's thread: on a pool they shared, a
/// worker that waited for such work another worker had taken sat idle until that one was
/// done with it (Typst writing 200 profiles' PDFs on two threads kept them 89 % busy, on
/// threads of their own 99 %). Where a pool cannot be made, the worker runs on the current
/// pool.
fn on_own_threads(threads: usize, worker: impl Fn() + Sync) {
    rayon::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(
                |_| match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                    Ok(pool) => pool.install(&worker),
                    Err(_) => worker(),
                },
            );
        }
    });
}

/// `work` done on each of `items` by as many threads as the current pool has, each taking
/// the next item when it is done with one (see [`on_own_threads`]); the results in the
/// order of the items.
fn map_on_own_threads<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let queue = Mutex::new(items.into_iter().enumerate());
    let threads = rayon::current_num_threads().clamp(1, slots.len().max(1));
    on_own_threads(threads, || {
        loop {
            let next = lock(&queue).next();
            let Some((i, item)) = next else {
                break;
            };
            let result = work(item);
            *lock(&slots[i]) = Some(result);
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            // Every item was taken by a worker, and a worker's panic propagates out of
            // the scope, so each slot is filled here.
            slot.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .expect("every item was worked on")
        })
        .collect()
}

/// The profiles to lay out, in book order where a book is to be made: every profile of each
/// book job, then the profile jobs no book holds; each with its own job if it has one.
fn members(jobs: &[Job]) -> Vec<Member<'_>> {
    let mut own: HashMap<&str, usize> = HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        if let JobKind::Profile(profile) = &job.kind {
            own.insert(profile.part.as_str(), i);
        }
    }
    let mut members = Vec::new();
    for job in jobs {
        let JobKind::Book(book) = &job.kind else {
            continue;
        };
        for piece in &book.parts {
            if let BookPiece::Profile(profile) = piece {
                let job = own.remove(profile.part.as_str());
                members.push(Member { profile, job });
            }
        }
    }
    for (i, job) in jobs.iter().enumerate() {
        if let JobKind::Profile(profile) = &job.kind
            && own.remove(profile.part.as_str()).is_some()
        {
            members.push(Member {
                profile,
                job: Some(i),
            });
        }
    }
    members
}

/// `members` cut into the documents they are laid out in, in order: [`BATCH`] to a document
/// while many are left, then each document a [`TAPER`]th of what is left (at least one), so
/// that the last documents, which one thread may lay out while the others have nothing left
/// to do, are short. The cut depends on the members alone, never on the number of threads,
/// so the PDFs are the same whatever `--jobs` is.
fn batches<T>(members: &[T]) -> Vec<&[T]> {
    let mut batches = Vec::new();
    let mut rest = members;
    while !rest.is_empty() {
        let (batch, after) = rest.split_at(rest.len().div_ceil(TAPER).clamp(1, BATCH));
        batches.push(batch);
        rest = after;
    }
    batches
}

/// The places of each batch's members among the members of all `batches`, in order.
fn member_places<'a, T>(batches: &'a [&[T]]) -> impl Iterator<Item = Range<usize>> + 'a {
    batches.iter().scan(0, |start, batch| {
        let places = *start..*start + batch.len();
        *start = places.end;
        Some(places)
    })
}

/// One document laying out `batch`'s profiles one after the other.
fn batch_document(batch: &[Member<'_>]) -> Document {
    let files: Vec<DataFile> = batch
        .iter()
        .flat_map(|member| member.profile.document.files.iter().cloned())
        .collect();
    let first = batch
        .first()
        .map_or("/batch", |m| m.profile.document.main_path.as_str());
    profiles_document(
        format!("{}-batch.typ", first.trim_end_matches(".typ")),
        files,
    )
}

/// A document at `main_path` laying out the profile of each data file in `files`, one
/// after the other.
pub(super) fn profiles_document(main_path: String, files: Vec<DataFile>) -> Document {
    let mut main_text = String::from("#import \"/templates/profile.typ\": profile-pages\n");
    for file in &files {
        main_text.push_str(&format!("#profile-pages(json(\"{}\"))\n", file.path));
    }
    Document {
        main_path,
        main_text,
        files,
    }
}

/// The errors of a document of several profiles, with a hint on those in its main file
/// (which dossier writes): the templates lack what it calls.
fn explain_batch_errors(
    mut errors: Vec<TypstDiagnostic>,
    document: &Document,
) -> Vec<TypstDiagnostic> {
    let main = document.main_path.trim_start_matches('/');
    for error in &mut errors {
        if error
            .location
            .as_deref()
            .is_some_and(|at| at.starts_with(main))
        {
            error.hints.push(
                "templates/profile.typ must define `profile-pages(data)` (see templates/DATA.md)"
                    .into(),
            );
        }
    }
    errors
}

fn no_pages(part: &str) -> TypstDiagnostic {
    TypstDiagnostic {
        is_error: true,
        message: format!("the document laid out no pages for {part}"),
        location: None,
        hints: Vec::new(),
    }
}

/// The front matter with each contents entry's first page, and the book's folios: each
/// profile starts on a right-hand (odd) page, so one with an odd page count is followed by
/// a blank page.
fn number_pages(front: &BookData, counts: &[usize]) -> (BookData, Vec<Folio>) {
    let mut front = front.clone();
    let mut folios = Vec::new();
    let mut next = 1;
    for (part, (entry, count)) in front.entries.iter_mut().zip(counts).enumerate() {
        entry.page = Some(next.to_string());
        entry.link = Some(super::pdf::part_link(part));
        for number in next..next + count {
            let side = if number % 2 == 1 {
                Side::Right
            } else {
                Side::Left
            };
            folios.push(Folio {
                text: number.to_string(),
                side,
            });
        }
        next += count + count % 2;
    }
    (front, folios)
}

/// A job's PDF, made but not written, and the diagnostics so far.
struct MadeJob {
    pdf: Option<Vec<u8>>,
    diagnostics: Vec<RenderDiagnostic>,
}

/// A job's outcome as diagnostics: the fonts' missing characters, the compiler's warnings,
/// then the PDF or what stopped it.
fn made_job(job: &Job, made: Result<Made, JobError>, warnings: Vec<TypstDiagnostic>) -> MadeJob {
    let mut diagnostics = missing_glyphs(job);
    let convert = |d: TypstDiagnostic, severity| RenderDiagnostic {
        severity,
        subject: job.subject.clone(),
        message: d.message,
        location: d.location,
        hints: d.hints,
    };
    diagnostics.extend(warnings.into_iter().map(|w| convert(w, Severity::Warning)));
    let pdf = match made {
        Ok((pdf, mut said)) => {
            said.dedup();
            diagnostics.extend(said.into_iter().map(|w| convert(w, Severity::Warning)));
            Some(pdf)
        }
        Err(JobError::Typst(errors)) => {
            diagnostics.extend(errors.into_iter().map(|e| convert(e, Severity::Error)));
            None
        }
        Err(other) => {
            diagnostics.push(error(job, &other));
            None
        }
    };
    MadeJob { pdf, diagnostics }
}

/// The warning that the fonts cannot show some of a job's characters, if any.
fn missing_glyphs(job: &Job) -> Vec<RenderDiagnostic> {
    if job.missing_glyphs.is_empty() {
        return Vec::new();
    }
    let chars: String = job
        .missing_glyphs
        .iter()
        .map(|c| format!("{c} (U+{:04X})", *c as u32))
        .collect::<Vec<_>>()
        .join(", ");
    vec![RenderDiagnostic {
        severity: Severity::Warning,
        subject: job.subject.clone(),
        message: format!("the bundled fonts cannot show {chars}; printed as [U+XXXX] instead"),
        location: None,
        hints: vec!["add a font that covers them under templates/fonts/, or transliterate".into()],
    }]
}

/// Writes a made job's PDF atomically under `out_dir`: the job's result.
fn write_job(job: &Job, out_dir: &Path, made: MadeJob) -> JobResult {
    let MadeJob {
        pdf,
        mut diagnostics,
    } = made;
    let written = pdf.is_some_and(|pdf| {
        let path = out_dir.join(&job.output);
        match write_atomically(&path, &pdf) {
            Ok(()) => true,
            Err(source) => {
                diagnostics.push(error(job, &JobError::Write { path, source }));
                false
            }
        }
    });
    JobResult {
        output: job.output.clone(),
        written,
        diagnostics,
    }
}

fn error(job: &Job, error: &JobError) -> RenderDiagnostic {
    RenderDiagnostic {
        severity: Severity::Error,
        subject: job.subject.clone(),
        message: error.to_string(),
        location: None,
        hints: Vec::new(),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::{BATCH, batches, member_places};

    #[test]
    fn documents_hold_every_profile_once_in_order_and_taper_at_the_end() {
        let members: Vec<usize> = (0..200).collect();
        let cut = batches(&members);
        let sizes: Vec<usize> = cut.iter().map(|batch| batch.len()).collect();
        assert_eq!(cut.concat(), members);
        assert!(sizes.iter().all(|&n| (1..=BATCH).contains(&n)));
        assert!(sizes.windows(2).all(|pair| pair[0] >= pair[1]));
        assert_eq!(&sizes[..98], &[BATCH; 98]);
        assert_eq!(&sizes[98..], &[1, 1, 1, 1]);
        // Each member's place among all is where its document's places say.
        for (batch, places) in cut.iter().zip(member_places(&cut)) {
            assert_eq!(*batch, &members[places]);
        }
        assert_eq!(member_places(&cut).last(), Some(199..200));
    }

    #[test]
    fn few_profiles_are_laid_out_one_to_a_document_at_the_end() {
        let members: Vec<usize> = (0..3).collect();
        assert_eq!(batches(&members), vec![&[0][..], &[1][..], &[2][..]]);
        assert!(batches::<usize>(&[]).is_empty());
    }
}
