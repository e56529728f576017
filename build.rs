//! Build script: turns on the seed acceptance tests when `DOSSIER_SEEDS` names the folder
//! holding the published seed page (which stays outside the repository).

fn main() {
    println!("cargo::rerun-if-env-changed=DOSSIER_SEEDS");
    println!("cargo::rustc-check-cfg=cfg(dossier_seeds)");
    if std::env::var_os("DOSSIER_SEEDS").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=dossier_seeds");
    }
}
