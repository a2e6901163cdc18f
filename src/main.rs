//! The `lsw` command. Exit codes (contract): 0 everything processed, 1
//! findings at or above `--fail-on`, 2 some input or output could not be
//! processed (the rest was still processed and written), or the command
//! line was wrong.

mod memory;

// The pipeline allocates many small values from several threads; mimalloc
// handles that pattern several times faster than glibc's malloc (measured
// with `cargo bench --bench ingest`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    memory::keep_freed_memory();
    // A run's child typesetting a user's templates (never typed by people).
    if let Some(code) = lsw::render::pdf::supervise::child_main() {
        return ExitCode::from(code);
    }
    let cli = match lsw::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
    };
    match lsw::cli::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        // The reader of a pipe went away (`| head`): nothing more to say.
        Err(e) if lsw::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "エラー: {}", lsw::cli::describe_error(&e));
            ExitCode::from(2)
        }
    }
}
