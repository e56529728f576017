use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, Once};

use parking_lot::RwLock;
use siphasher::sip128::{Hasher128, SipHasher13};
use thread_local::ThreadLocal;

use crate::accelerate;
use crate::constraint::Constraint;
use crate::input::Input;
use crate::track::Call;
use crate::tree::{CallTree, InsertError};

/// The global list of eviction functions.
static EVICTORS: RwLock<Vec<fn(usize)>> = RwLock::new(Vec::new());

/// Executes a function, trying to use a cached result for it.
#[allow(clippy::type_complexity)]
pub fn memoize<'a, In, Out, F>(
    cache: &Cache<In::Call, Out>,
    mut input: In,
    // These values must come from outside so that they have a lifetime that
    // allows them to be attached to the `input`. On the call site, they are
    // simply initialized as `&mut Default::default()`.
    (storage, constraint): &'a mut (
        In::Storage<&'a Constraint<In::Call>>,
        Constraint<In::Call>,
    ),
    enabled: bool,
    func: F,
) -> Out
where
    In: Input<'a>,
    In::Call: Send + Sync + 'static,
    Out: Clone + Send + Sync + 'static,
    F: FnOnce(In) -> Out,
{
    // Early bypass if memoization is disabled.
    if !enabled {
        let output = func(input);

        // Ensure that the last call was a miss during testing.
        #[cfg(feature = "testing")]
        crate::testing::register_miss();

        return output;
    }

    // Compute the hash of the input's key part.
    let key = {
        let mut state = SipHasher13::new();
        input.key(&mut state);
        state.finish128().as_u128()
    };

    // Check if there is a cached output.
    if let Some(entry) = cache.local().read().lookup(key, &input) {
        // Replay mutations.
        for call in &entry.mutable {
            input.call_mut(call);
        }

        #[cfg(feature = "testing")]
        crate::testing::register_hit();

        return entry.output.clone();
    }

    // Attach the constraint.
    input.attach(storage, constraint);

    // Execute the function with the constraint attached.
    let output = func(input);

    // Insert the result into the cache.
    match cache.local().write().insert(key, constraint, output.clone()) {
        Ok(()) => {}
        Err(InsertError::AlreadyExists) => {
            // A concurrent call with the same arguments may have inserted
            // a value in the meantime. That's okay.
        }
        Err(InsertError::MissingCall) => {
            // A missing call indicates a bug from a comemo user. See the
            // documentation for `InsertError::MissingCall` for more details.
            #[cfg(debug_assertions)]
            panic!("comemo: memoized function is non-deterministic");
        }
    }

    #[cfg(feature = "testing")]
    crate::testing::register_miss();

    output
}

/// Evict the global cache.
///
/// This removes all memoized results from the cache whose age is larger than or
/// equal to `max_age`. The age of a result grows by one during each eviction
/// and is reset to zero when the result produces a cache hit. Set `max_age` to
/// zero to completely clear the cache.
pub fn evict(max_age: usize) {
    for subevict in EVICTORS.read().iter() {
        subevict(max_age);
    }

    accelerate::evict();
}

thread_local! {
    /// Whether the eviction under way is of the current thread's caches only.
    /// (The evictors the macro registers take the age alone, so [`evict_here`]
    /// tells them through this flag.)
    static EVICTING_HERE: Cell<bool> = const { Cell::new(false) };
}

/// Evict the current thread's caches (dossier's addition).
///
/// Like [`evict`], but for the results this thread memoized only: a thread
/// that evicts after each piece of its own work then ages its own results by
/// its own work, as a process of its own would, and leaves the other threads'
/// alone.
pub fn evict_here(max_age: usize) {
    EVICTING_HERE.set(true);
    for subevict in EVICTORS.read().iter() {
        subevict(max_age);
    }
    EVICTING_HERE.set(false);

    accelerate::evict_here();
}

/// Register an eviction function in the global list.
pub fn register_evictor(evict: fn(usize)) {
    EVICTORS.write().push(evict);
}

/// A cache for a single memoized function.
///
/// Each thread has a cache of its own (dossier's change): threads that look up
/// and insert results in one shared cache contend for its lock and for the
/// entries' ages, which every hit writes. [`evict`] ages and drops the
/// entries of every thread's cache, [`evict_here`] those of the current
/// thread's.
pub struct Cache<C: Send + Sync, Out: Send + Sync> {
    /// The caches of the threads.
    caches: LazyLock<ThreadLocal<RwLock<CacheData<C, Out>>>>,
    /// Makes the first cache (and registers the evictor).
    init: fn() -> RwLock<CacheData<C, Out>>,
    /// Whether `init` has run.
    registered: Once,
}

impl<C: Send + Sync + 'static, Out: Send + Sync + 'static> Cache<C, Out> {
    /// Create an empty cache.
    ///
    /// It must take an initialization function because the `evict` fn
    /// pointer cannot be passed as an argument otherwise the function
    /// passed to `Lazy::new` is a closure and not a function pointer.
    pub const fn new(init: fn() -> RwLock<CacheData<C, Out>>) -> Self {
        Self {
            caches: LazyLock::new(ThreadLocal::new),
            init,
            registered: Once::new(),
        }
    }

    /// The current thread's cache. The first one is made by `init`, which
    /// registers the evictor once; the other threads' start empty.
    fn local(&self) -> &RwLock<CacheData<C, Out>> {
        self.caches.get_or(|| {
            let mut first = None;
            self.registered.call_once(|| first = Some((self.init)()));
            first.unwrap_or_default()
        })
    }

    /// Evict all entries whose age is larger than or equal to `max_age`: of
    /// every thread's cache, or of the current thread's in [`evict_here`].
    pub fn evict(&self, max_age: usize) {
        if EVICTING_HERE.get() {
            if let Some(cache) = self.caches.get() {
                cache.write().evict(max_age);
            }
        } else {
            for cache in self.caches.iter() {
                cache.write().evict(max_age);
            }
        }
    }
}

/// The internal data for a cache.
pub struct CacheData<C, Out> {
    /// Maps from hashes to memoized results.
    tree: CallTree<C, CacheEntry<C, Out>>,
}

/// A memoized result.
struct CacheEntry<C, Out> {
    /// The memoized function's output.
    output: Out,
    /// Mutable tracked calls that must be replayed.
    mutable: Vec<C>,
    /// How many evictions have passed since the entry has last been used.
    age: AtomicUsize,
}

impl<C, Out: 'static> CacheData<C, Out> {
    /// Evict all entries whose age is larger than or equal to `max_age`.
    fn evict(&mut self, max_age: usize) {
        self.tree.retain(|entry| {
            let age = entry.age.get_mut();
            *age += 1;
            *age <= max_age
        });
    }

    /// Look for a matching entry in the cache.
    fn lookup<'a, In>(&self, key: u128, input: &In) -> Option<&CacheEntry<C, Out>>
    where
        C: Call,
        In: Input<'a, Call = C>,
    {
        self.tree
            .get(key, |c| input.call(c))
            .inspect(|entry| entry.age.store(0, Ordering::SeqCst))
    }

    /// Insert an entry into the cache.
    fn insert(
        &mut self,
        key: u128,
        constraint: &Constraint<C>,
        output: Out,
    ) -> Result<(), InsertError>
    where
        C: Call,
    {
        let (immutable, mutable) = constraint.take();
        self.tree.insert(
            key,
            immutable,
            CacheEntry { output, mutable, age: AtomicUsize::new(0) },
        )
    }
}

impl<C, Out> Default for CacheData<C, Out> {
    fn default() -> Self {
        Self { tree: CallTree::new() }
    }
}
