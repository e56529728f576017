//! The `dossier` command-line tool: parses arguments and runs one subcommand over the
//! library.

mod cli;

fn main() {
    std::process::exit(cli::main());
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
