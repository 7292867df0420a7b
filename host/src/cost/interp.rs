//! Stride resampling as the original does it: `np.interp(np.linspace(0, L, 100), np.arange(L), x)`.
//! The query runs to `L`, one sample past the last index, so the tail is clamped to the last value.

/// `numpy.linspace(0, stop, n)`: `i * (stop / (n - 1))`, last point exactly `stop`.
pub fn linspace(stop: f64, n: usize) -> impl Iterator<Item = f64> {
    let step = stop / (n as f64 - 1.0);
    (0..n).map(move |i| if i + 1 == n { stop } else { i as f64 * step })
}

/// `numpy.interp(x, arange(len(fp)), fp)` for one query point.
pub fn interp_index(x: f64, fp: &[f64]) -> f64 {
    let n = fp.len();
    if n == 0 {
        return 0.0;
    }
    let last = (n - 1) as f64;
    if x.is_nan() {
        return x;
    }
    if x >= last {
        return fp[n - 1];
    }
    if x <= 0.0 {
        return fp[0];
    }
    let j = x.floor() as usize;
    let slope = (fp[j + 1] - fp[j]) / 1.0;
    slope * (x - j as f64) + fp[j]
}

/// The 100-point resampling of one stride `x` (the original's kinematic and EMG costs).
pub fn resample100(x: &[f64]) -> [f64; 100] {
    let mut out = [0.0; 100];
    for (o, q) in out.iter_mut().zip(linspace(x.len() as f64, 100)) {
        *o = interp_index(q, x);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_past_the_last_sample() {
        let r = resample100(&[0.0, 1.0, 2.0]);
        assert_eq!(r[0], 0.0);
        assert_eq!(r[99], 2.0);
        assert!((r[33] - 1.0).abs() < 1e-15);
        assert_eq!(r[98], 2.0); // 98 * 3/99 = 2.97 > 2 -> last value
    }
}
