//! Process-wide memory settings of the `lsw` binary (and of the benchmarks,
//! which include this file to measure what the binary does). Not part of
//! the library: a library does not change its host process.

/// Tells mimalloc (the binary's allocator) to keep freed memory instead of
/// handing it back to the OS after a delay (10 ms in mimalloc 2, 1 s in 3). A run frees and reallocates a lot
/// (each file's text, each plan); on the VMs we measured, every page taken
/// back from the OS cost a fault and zeroing, about a third of the run
/// (`cargo bench --bench ingest`). Memory stays bounded by the run's peak.
///
/// On Linux it also turns transparent huge pages off for the process.
/// mimalloc asks for huge pages on its arenas; a huge page is cleared whole
/// on its first touch, so memory spread thinly over many pages (each size
/// class of small allocations has pages of its own) costs 2 MB of clearing
/// and of resident memory per page touched. Measured by alternating runs
/// with and without (MIMALLOC_ALLOW_THP=0, which makes the same call):
/// `cargo bench --bench ingest` peak RSS 147 → 120 MiB (1 thread) and 187 →
/// 152 MiB (2 threads), kernel time about halved, wall time the same or a
/// few percent less; `lsw run` with PDFs over 80 plans 195 → 120 MiB.
pub fn keep_freed_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag on the
    // process's memory map; its result is ignored (an old kernel without
    // it keeps huge pages, nothing else changes).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // mimalloc's `mi_option_purge_delay` (its enum has no Rust name in
    // libmimalloc-sys); set only when the option has one of its documented
    // defaults (10 ms in v2, 1000 ms in v3), so a renumbering in a future
    // mimalloc cannot touch another option.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: plain option getters/setters of the linked mimalloc.
    unsafe {
        if matches!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 10 | 1000) {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}
