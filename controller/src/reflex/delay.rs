//! Fixed-capacity FIFO delay lines (the original's `deque(maxlen=n)`), no allocation.

/// A FIFO of `len <= N` samples that is always full: pushing drops the oldest sample.
///
/// After `push`, [`DelayLine::oldest`] is the sample pushed `len − 1` pushes ago, as the
/// original reads `deque[0]` after `append` (effective delay = delay − dt).
#[derive(Clone, Copy, Debug)]
pub struct DelayLine<T: Copy, const N: usize> {
    buf: [T; N],
    len: usize,
    /// Index of the oldest sample.
    head: usize,
}

impl<T: Copy, const N: usize> DelayLine<T, N> {
    /// A line of length `len` (clamped to 1..=N) filled with `v`.
    pub fn filled(len: usize, v: T) -> Self {
        DelayLine {
            buf: [v; N],
            len: len.clamp(1, N.max(1)),
            head: 0,
        }
    }

    /// Refills the line with `v` (the length stays).
    pub fn fill(&mut self, v: T) {
        self.buf = [v; N];
        self.head = 0;
    }

    /// Length (number of samples held).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Never empty.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Appends `v`, dropping the oldest sample.
    #[inline]
    pub fn push(&mut self, v: T) {
        self.buf[self.head] = v;
        self.head += 1;
        if self.head == self.len {
            self.head = 0;
        }
    }

    /// The oldest sample.
    #[inline]
    pub fn oldest(&self) -> T {
        self.buf[self.head]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_deque_maxlen() {
        let mut d = DelayLine::<i32, 5>::filled(3, 0);
        assert_eq!(d.oldest(), 0);
        for k in 1..10 {
            d.push(k);
            // read after push: sample from len-1 pushes ago
            assert_eq!(d.oldest(), if k >= 3 { k - 2 } else { 0 });
        }
        let mut one = DelayLine::<f64, 4>::filled(1, 1.0);
        one.push(2.0);
        assert_eq!(one.oldest(), 2.0);
    }
}
