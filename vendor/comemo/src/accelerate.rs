use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;
use parking_lot::{MappedRwLockReadGuard, Mutex, RwLock, RwLockReadGuard};
use thread_local::ThreadLocal;

/// The lists of currently alive accelerators, one for each thread (dossier's
/// change: one list shared by all threads is read-locked on every tracked
/// call, which makes threads contend for its lock).
static ACCELERATORS: LazyLock<ThreadLocal<RwLock<(usize, Vec<Accelerator>)>>> =
    LazyLock::new(ThreadLocal::new);

/// The current thread's list of accelerators, with the offset of the last
/// eviction.
fn local() -> &'static RwLock<(usize, Vec<Accelerator>)> {
    ACCELERATORS.get_or(|| RwLock::new((ID.load(Ordering::SeqCst), Vec::new())))
}

/// The current ID of the accelerator.
static ID: AtomicUsize = AtomicUsize::new(0);

/// The type of each individual accelerator.
///
/// Maps from call hashes to return hashes.
type Accelerator = Mutex<FxHashMap<u128, u128>>;

/// Generate a new accelerator.
pub fn id() -> usize {
    // Get the next ID.
    ID.fetch_add(1, Ordering::SeqCst)
}

/// Evict the accelerators.
pub fn evict() {
    ACCELERATORS.iter().for_each(clear);
}

/// Evict the current thread's accelerators (dossier's addition).
pub fn evict_here() {
    if let Some(accelerators) = ACCELERATORS.get() {
        clear(accelerators);
    }
}

/// Clear one thread's accelerators.
fn clear(accelerators: &RwLock<(usize, Vec<Accelerator>)>) {
    let mut accelerators = accelerators.write();
    let (offset, vec) = &mut *accelerators;

    // Update the offset.
    *offset = ID.load(Ordering::SeqCst);

    // Clear all accelerators while keeping the memory allocated.
    vec.iter_mut().for_each(|accelerator| accelerator.lock().clear())
}

/// Get an accelerator by ID.
pub fn get(id: usize) -> Option<MappedRwLockReadGuard<'static, Accelerator>> {
    // We always lock the accelerators, as we need to make sure that the
    // accelerator is not removed while we are reading it.
    let mut accelerators = local().read();

    let mut i = id.checked_sub(accelerators.0)?;
    if i >= accelerators.1.len() {
        drop(accelerators);
        resize(i + 1);
        accelerators = local().read();

        // Because we release the lock before resizing the accelerator, we need
        // to check again whether the ID is still valid because another thread
        // might evicted the cache.
        i = id.checked_sub(accelerators.0)?;
    }

    Some(RwLockReadGuard::map(accelerators, move |(_, vec)| &vec[i]))
}

/// Adjusts the amount of accelerators.
#[cold]
fn resize(len: usize) {
    let mut pair = local().write();
    if len > pair.1.len() {
        pair.1.resize_with(len, || Mutex::new(FxHashMap::default()));
    }
}
