//! Typst's memoization, as dossier builds it (`vendor/comemo`): each thread keeps its own
//! memoized results, so render threads never contend for one shared cache; eviction reaches
//! the results of every thread, or of the current thread alone; a tracked value is checked
//! with the accelerators of the thread that made it only.
//!
//! A test binary of its own: the suite's renders evict memoized results at any time, which
//! would make the counts here depend on the order the tests run in.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

/// How often [`squared`] has really run.
static CALLS: AtomicUsize = AtomicUsize::new(0);

#[comemo::memoize]
fn squared(n: u64) -> u64 {
    CALLS.fetch_add(1, Ordering::SeqCst);
    n * n
}

fn calls() -> usize {
    CALLS.load(Ordering::SeqCst)
}

#[test]
fn each_thread_memoizes_for_itself_and_evicts_for_all_or_for_itself() {
    assert_eq!(squared(7), 49);
    assert_eq!(squared(7), 49);
    assert_eq!(calls(), 1, "a second call on one thread is memoized");

    thread::spawn(|| assert_eq!(squared(7), 49))
        .join()
        .expect("the thread ends");
    assert_eq!(
        calls(),
        2,
        "another thread does not see this thread's result"
    );

    // A thread that memoizes a result, then waits while another thread evicts everything.
    let (memoized, ready) = mpsc::channel::<usize>();
    let (evicted, wait) = mpsc::channel::<()>();
    let worker = thread::spawn(move || {
        squared(8);
        squared(8);
        memoized.send(calls()).expect("the test waits");
        wait.recv().expect("the eviction is announced");
        squared(8);
        calls()
    });
    let memoized = ready.recv().expect("the worker memoizes");
    comemo::evict(0);
    evicted.send(()).expect("the worker waits");
    let after = worker.join().expect("the worker ends");
    assert_eq!(memoized, 3, "the worker's second call is memoized");
    assert_eq!(
        after, 4,
        "an eviction on one thread drops another thread's results"
    );

    assert_eq!(squared(7), 49);
    assert_eq!(calls(), 5, "the eviction dropped this thread's results too");

    // Evicting here drops this thread's results and leaves another thread's.
    let (memoized, ready) = mpsc::channel::<usize>();
    let (evicted, wait) = mpsc::channel::<()>();
    let worker = thread::spawn(move || {
        squared(9);
        memoized.send(calls()).expect("the test waits");
        wait.recv().expect("the eviction is announced");
        squared(9);
        calls()
    });
    assert_eq!(ready.recv().expect("the worker memoizes"), 6);
    comemo::evict_here(0);
    evicted.send(()).expect("the worker waits");
    assert_eq!(
        worker.join().expect("the worker ends"),
        6,
        "evicting on one thread alone keeps another thread's results"
    );
    assert_eq!(squared(7), 49);
    assert_eq!(calls(), 7, "evicting here dropped this thread's results");
}

/// A value whose reads a memoized function records.
struct Store(u64);

#[comemo::track]
impl Store {
    fn value(&self) -> u64 {
        self.0
    }
}

#[comemo::memoize]
fn read(store: comemo::Tracked<'_, Store>) -> u64 {
    store.value()
}

#[test]
fn a_tracked_value_from_another_thread_is_checked_by_its_own_reads() {
    use comemo::Track;
    let (one, two) = (&Store(1), &Store(2));
    thread::scope(|scope| {
        let (send, receive) = mpsc::channel();
        scope.spawn(move || {
            // The first reads memoize `read`; the next ones hit, and each hit on a new
            // tracked value leaves an accelerator of this thread with the answer 1.
            for _ in 0..16 {
                assert_eq!(read(one.track()), 1);
            }
            let from_other_thread: comemo::Tracked<'_, Store> =
                receive.recv().expect("the other thread sends");
            assert_eq!(
                read(from_other_thread),
                2,
                "a tracked value made on another thread is not checked with this thread's \
                 accelerators"
            );
        });
        scope.spawn(move || {
            // A few tracked values first, so that the one sent is not this thread's first.
            for _ in 0..4 {
                let _ = two.track();
            }
            send.send(two.track()).expect("the other thread waits");
        });
    });
}
