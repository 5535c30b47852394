//! A small allocator for the widget's wasm, in place of std's dlmalloc (about 8 KB of
//! wasm code, 3 KB gzipped).
//!
//! Every block's size is a power of two (at least 8 bytes), aligned to its size, carved
//! from pages taken with `memory.grow` and kept on a free list per size when freed. Nothing
//! is ever given back to the system, and a block wastes up to half its size; for a chat
//! widget (a few thousand small strings and DOM handles) that is far less than dlmalloc's
//! code. The wasm32 page source is swapped for a test arena on the host.

use core::alloc::Layout;
use core::ptr::null_mut;

const PAGE: usize = 1 << 16;

/// The allocator's state: the unused end of the last pages taken, and one free list
/// (a chain of blocks, each holding the address of the next) per block size `1 << k`.
pub struct Heap {
    next: usize,
    end: usize,
    free: [usize; usize::BITS as usize],
}

impl Heap {
    /// An empty heap; it takes pages on its first allocation.
    pub const fn new() -> Heap {
        Heap { next: 0, end: 0, free: [0; usize::BITS as usize] }
    }
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

/// The size class of `layout`: blocks of `1 << k` bytes, or `None` when too large.
fn class(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(8);
    Some(size.checked_next_power_of_two()?.trailing_zeros() as usize)
}

impl Heap {
    /// A block for `layout`, or null. `grow(pages)` adds pages to memory and returns the
    /// previous size in pages (`usize::MAX` on failure), like `memory.grow`.
    ///
    /// # Safety
    /// The free lists must only hold blocks this heap handed out and got back.
    pub unsafe fn alloc(&mut self, layout: Layout, grow: impl Fn(usize) -> usize) -> *mut u8 {
        let Some(k) = class(layout) else {
            return null_mut();
        };
        let head = self.free[k];
        if head != 0 {
            // SAFETY: a freed block of this class holds the next free block's address.
            self.free[k] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let size = 1usize << k;
        loop {
            let Some(end) = self.next.checked_next_multiple_of(size).and_then(|start| start.checked_add(size)) else {
                return null_mut();
            };
            if end <= self.end {
                self.next = end;
                return (end - size) as *mut u8;
            }
            let pages = size / PAGE + 1;
            let old = grow(pages);
            if old == usize::MAX {
                return null_mut();
            }
            let base = old * PAGE;
            if base != self.end {
                // Not contiguous with the last pages (the first call, or another user of
                // `memory.grow`): start over in the new pages.
                self.next = base;
            }
            self.end = base + pages * PAGE;
        }
    }

    /// Takes back a block from [`Heap::alloc`] with the same `layout`.
    ///
    /// # Safety
    /// `ptr` must come from this heap's `alloc` with `layout` and not be freed already.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        if let Some(k) = class(layout) {
            // SAFETY: the block is at least 8 bytes, aligned, and no longer in use.
            unsafe { *(ptr as *mut usize) = self.free[k] };
            self.free[k] = ptr as usize;
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod global {
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    use super::{Heap, class};

    struct Global(UnsafeCell<Heap>);

    // SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
    unsafe impl Sync for Global {}

    #[global_allocator]
    static HEAP: Global = Global(UnsafeCell::new(Heap::new()));

    fn grow(pages: usize) -> usize {
        core::arch::wasm32::memory_grow(0, pages)
    }

    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: single-threaded, and the heap is never borrowed across calls.
            unsafe { (*self.0.get()).alloc(layout, grow) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { (*self.0.get()).dealloc(ptr, layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: GlobalAlloc's contract guarantees a valid layout for `new_size`.
            let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            if class(new) == class(layout) {
                return ptr;
            }
            unsafe {
                let out = self.alloc(new);
                if !out.is_null() {
                    core::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A 256-page (16 MB) arena standing in for wasm memory, handed out page by page.
    struct Arena {
        base: *mut u8,
        used: Cell<usize>,
    }

    const ARENA_PAGES: usize = 256;

    impl Arena {
        fn new() -> Arena {
            let layout = Layout::from_size_align(ARENA_PAGES * PAGE, PAGE).unwrap();
            // SAFETY: non-zero size; freed in Drop.
            let base = unsafe { std::alloc::alloc_zeroed(layout) };
            assert!(!base.is_null());
            Arena { base, used: Cell::new(0) }
        }
        fn grow(&self, pages: usize) -> usize {
            let old = self.used.get();
            if old + pages > ARENA_PAGES {
                return usize::MAX;
            }
            self.used.set(old + pages);
            self.base as usize / PAGE + old
        }
    }

    impl Drop for Arena {
        fn drop(&mut self) {
            let layout = Layout::from_size_align(ARENA_PAGES * PAGE, PAGE).unwrap();
            unsafe { std::alloc::dealloc(self.base, layout) };
        }
    }

    #[test]
    fn blocks_are_aligned_disjoint_reused_and_keep_their_contents() {
        let arena = Arena::new();
        let mut heap = Heap::default();
        let grow = |p| arena.grow(p);
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut seed = 12345u32;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for round in 0..20_000u32 {
            if live.len() > 200 || (rand() % 3 == 0 && !live.is_empty()) {
                let i = rand() as usize % live.len();
                let (ptr, layout, fill) = live.swap_remove(i);
                let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
                assert!(bytes.iter().all(|&b| b == fill), "block contents changed");
                unsafe { heap.dealloc(ptr, layout) };
            } else {
                let size = match rand() % 10 {
                    0 => rand() as usize % 70_000,
                    1..=3 => rand() as usize % 1_000,
                    _ => rand() as usize % 64,
                };
                let align = 1usize << (rand() % 5);
                let layout = Layout::from_size_align(size, align).unwrap();
                let ptr = unsafe { heap.alloc(layout, grow) };
                assert!(!ptr.is_null(), "out of memory at round {round}");
                assert_eq!(ptr as usize % align, 0);
                let fill = (round % 251) as u8;
                unsafe { std::ptr::write_bytes(ptr, fill, size) };
                let (lo, hi) = (ptr as usize, ptr as usize + size.max(1));
                for &(p, l, _) in &live {
                    let (a, b) = (p as usize, p as usize + l.size().max(1));
                    assert!(hi <= a || b <= lo, "blocks overlap");
                }
                live.push((ptr, layout, fill));
            }
        }
        // Freed blocks are reused: 20,000 operations (about 7,000 allocations, a tenth of
        // them up to 70 KB) stay within 128 pages.
        assert!(arena.used.get() < 128);
    }

    #[test]
    fn refuses_what_cannot_be_had() {
        let arena = Arena::new();
        let mut heap = Heap::default();
        let big = Layout::from_size_align(ARENA_PAGES * PAGE, 8).unwrap();
        assert!(unsafe { heap.alloc(big, |p| arena.grow(p)) }.is_null());
        let huge = Layout::from_size_align(isize::MAX as usize, 1).unwrap();
        assert!(unsafe { heap.alloc(huge, |p| arena.grow(p)) }.is_null());
        let small = Layout::from_size_align(24, 8).unwrap();
        let p = unsafe { heap.alloc(small, |p| arena.grow(p)) };
        assert!(!p.is_null());
        unsafe { heap.dealloc(p, small) };
        assert_eq!(unsafe { heap.alloc(small, |p| arena.grow(p)) }, p);
    }
}
