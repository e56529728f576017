//! Acceptance on the verbatim published seed page, which stays outside the repository. It
//! runs when `DOSSIER_SEEDS` named a folder holding the page at build time (`.ci/run` sets it
//! when the workspace has one); otherwise the test is listed as ignored, with the reason.

use std::path::PathBuf;

use crate::archive_page::{Page, check_finds_both_defects, import_keeps_prose_and_footnotes};

/// The seed page's file name inside the `DOSSIER_SEEDS` folder.
const SEED_PAGE: &str = "kyrgyzstan-2022-cluster-munition-ban-policy.txt";

/// The seed page as the acceptance tests see it.
fn seed_page(path: &std::path::Path) -> Page<'_> {
    Page {
        path,
        import_args: &[],
        record: "profiles/2022/kyrgyzstan.toml",
        iso: "KG",
        claimed_last_meeting: 2012,
        attended_later: 2013,
    }
}

/// The seed page's path; fails when the folder named by `DOSSIER_SEEDS` lacks it.
fn seed_path() -> PathBuf {
    let folder = std::env::var_os("DOSSIER_SEEDS")
        .map(PathBuf::from)
        .or_else(|| option_env!("DOSSIER_SEEDS").map(PathBuf::from))
        .expect("DOSSIER_SEEDS names the folder holding the seed page");
    let path = std::path::absolute(folder.join(SEED_PAGE)).expect("absolute path");
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

#[test]
#[cfg_attr(
    not(dossier_seeds),
    ignore = "DOSSIER_SEEDS is not set: set it to the folder holding the published seed page"
)]
fn seed_page_imports_exactly_and_renders() {
    let path = seed_path();
    import_keeps_prose_and_footnotes(&seed_page(&path));
}

#[test]
#[cfg_attr(
    not(dossier_seeds),
    ignore = "DOSSIER_SEEDS is not set: set it to the folder holding the published seed page"
)]
fn seed_page_gets_both_published_defects() {
    let path = seed_path();
    check_finds_both_defects(&seed_page(&path));
}
