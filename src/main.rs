//! The `dossier` command-line tool: parses arguments and runs one subcommand.

fn main() {
    std::process::exit(dossier::cli::main());
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
