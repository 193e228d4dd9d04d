//! Threads of chg's own, scoped to the work that starts them.

/// What a scoped thread returned; its panic goes on where it was joined.
pub fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
