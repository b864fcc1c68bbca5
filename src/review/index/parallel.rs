//! Work spread over a few threads, results in order.

use std::sync::Mutex;

/// `f` over `items` on up to `threads` threads, results in the order of `items`.
pub fn map_parallel<T: Send, R: Send>(items: Vec<T>, threads: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
    for_each_pair(
        &mut items,
        &mut results,
        threads,
        || (),
        |(), item, result| {
            *result = item.take().map(&f);
        },
    );
    results.into_iter().flatten().collect()
}

/// `f` over the pairs of `a` and `b` (of the same length), in place, on up to `threads`
/// threads, each with its own `state()` (an interner, a buffer) handed to every call it
/// makes. The pairs are taken a few at a time, so threads that draw slow files still share
/// the work evenly.
pub fn for_each_pair<A: Send, B: Send, S>(
    a: &mut [A],
    b: &mut [B],
    threads: usize,
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &mut A, &mut B) + Sync,
) {
    const CHUNK: usize = 64;
    let work = Mutex::new(a.chunks_mut(CHUNK).zip(b.chunks_mut(CHUNK)));
    let run = || {
        let mut own = state();
        loop {
            let next = work
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .next();
            let Some((a, b)) = next else { break };
            for (x, y) in a.iter_mut().zip(b) {
                f(&mut own, x, y);
            }
        }
    };
    if threads < 2 || a_len_small(&work) {
        run();
        return;
    }
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(run);
        }
        run();
    });
}

/// Whether the work is too little to share.
fn a_len_small<I: ExactSizeIterator>(work: &Mutex<I>) -> bool {
    work.lock().map_or(true, |w| w.len() < 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = map_parallel(items.clone(), 4, |n| n * 2);
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        let mut seen = vec![0u32; 1000];
        let mut by = items.clone();
        for_each_pair(&mut by, &mut seen, 3, || 10, |add, n, out| *out = *n + *add);
        assert!(seen.iter().zip(&items).all(|(s, n)| *s == n + 10));
        assert_eq!(map_parallel(vec![1, 2, 3], 4, |n| n + 1), vec![2, 3, 4]);
    }
}
