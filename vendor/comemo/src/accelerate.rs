use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;
use parking_lot::{MappedRwLockReadGuard, Mutex, RwLock, RwLockReadGuard};
use thread_local::ThreadLocal;

/// The accelerators of each thread (dossier's change: one list shared by all
/// threads is read-locked on every tracked call, which makes threads contend
/// for its lock, and one counter of IDs for all threads is written by every
/// thread on every tracked value it makes).
static ACCELERATORS: LazyLock<ThreadLocal<Local>> = LazyLock::new(ThreadLocal::new);

/// One thread's accelerators and IDs.
///
/// An ID is the thread's tag in the high bits and a number the thread counts
/// in the low bits. Only the thread that made an ID finds an accelerator by
/// it: a tracked value used on another thread is not accelerated there.
/// (Aligned so that no other thread's counter shares its cache lines: the
/// threads' values lie side by side.)
#[repr(align(128))]
struct Local {
    /// The high bits of the thread's IDs; zero when the tags ran out.
    tag: usize,
    /// The low bits of the thread's next ID.
    next: AtomicUsize,
    /// The thread's accelerators, from the low bits of the IDs made since the
    /// last eviction (the first element) on.
    list: RwLock<(usize, Vec<Accelerator>)>,
}

/// The next thread's tag. Tag zero marks IDs that have no accelerator.
static TAGS: AtomicUsize = AtomicUsize::new(1);

/// Where an ID's tag starts: the low bits count a thread's IDs.
const TAG_SHIFT: u32 = usize::BITS / 8 * 5;

/// The low bits of an ID.
const NUMBER: usize = (1 << TAG_SHIFT) - 1;

/// The current thread's accelerators.
fn local() -> &'static Local {
    ACCELERATORS.get_or(|| {
        let tag = TAGS.fetch_add(1, Ordering::Relaxed);
        Local {
            tag: if tag < 1 << (usize::BITS - TAG_SHIFT) { tag } else { 0 },
            next: AtomicUsize::new(0),
            list: RwLock::new((0, Vec::new())),
        }
    })
}

/// The type of each individual accelerator.
///
/// Maps from call hashes to return hashes.
type Accelerator = Mutex<FxHashMap<u128, u128>>;

/// Generate a new accelerator.
pub fn id() -> usize {
    // Get the next ID: only this thread writes its counter.
    let local = local();
    let number = local.next.fetch_add(1, Ordering::Relaxed);
    if local.tag == 0 || number > NUMBER {
        return 0;
    }
    local.tag << TAG_SHIFT | number
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
fn clear(local: &Local) {
    let mut accelerators = local.list.write();
    let (offset, vec) = &mut *accelerators;

    // Update the offset.
    *offset = local.next.load(Ordering::Relaxed);

    // Clear all accelerators while keeping the memory allocated.
    vec.iter_mut().for_each(|accelerator| accelerator.lock().clear())
}

/// Get an accelerator by ID.
pub fn get(id: usize) -> Option<MappedRwLockReadGuard<'static, Accelerator>> {
    // We always lock the accelerators, as we need to make sure that the
    // accelerator is not removed while we are reading it.
    let local = local();
    if local.tag == 0 || id >> TAG_SHIFT != local.tag {
        return None;
    }
    let number = id & NUMBER;
    let mut accelerators = local.list.read();

    let mut i = number.checked_sub(accelerators.0)?;
    if i >= accelerators.1.len() {
        drop(accelerators);
        resize(local, i + 1);
        accelerators = local.list.read();

        // Because we release the lock before resizing the accelerator, we need
        // to check again whether the ID is still valid because another thread
        // might evicted the cache.
        i = number.checked_sub(accelerators.0)?;
    }

    Some(RwLockReadGuard::map(accelerators, move |(_, vec)| &vec[i]))
}

/// Adjusts the amount of accelerators.
#[cold]
fn resize(local: &Local, len: usize) {
    let mut pair = local.list.write();
    if len > pair.1.len() {
        pair.1.resize_with(len, || Mutex::new(FxHashMap::default()));
    }
}
