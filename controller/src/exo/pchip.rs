//! Piecewise cubic Hermite interpolation, bit-for-bit the algorithm of SciPy's
//! `PchipInterpolator` (derivatives from `_find_derivatives` / `_edge_case`, coefficients from
//! `CubicHermiteSpline`, evaluation as `PPoly` does it), on a fixed-capacity knot array.

use crate::float::Real;

/// Largest number of n-point knots a profile can have (the parameter layout's limit).
pub const MAX_POINTS: usize = crate::params::MAX_NPOINT;
/// Largest number of interpolation knots: the n-point knots plus (0, 0) and (100, 0).
pub const MAX_KNOTS: usize = MAX_POINTS + 2;

/// Why a set of knots cannot be interpolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PchipError {
    /// Fewer than 2 knots (SciPy needs at least two).
    TooFewKnots,
    /// More than [`MAX_KNOTS`] knots.
    TooManyKnots,
    /// A knot coordinate is NaN or infinite.
    NonFinite,
    /// The abscissae are not strictly increasing (SciPy raises `ValueError`).
    NotIncreasing,
}

/// A fixed-capacity list of knots `(x_k, y_k)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knots<T: Real> {
    x: [T; MAX_KNOTS],
    y: [T; MAX_KNOTS],
    len: usize,
}

impl<T: Real> Default for Knots<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Real> Knots<T> {
    /// No knots.
    pub fn new() -> Self {
        Self {
            x: [T::zero(); MAX_KNOTS],
            y: [T::zero(); MAX_KNOTS],
            len: 0,
        }
    }

    /// Copies knots from two slices of equal length.
    pub fn from_slices(x: &[T], y: &[T]) -> Result<Self, PchipError> {
        if x.len() != y.len() || x.len() > MAX_KNOTS {
            return Err(PchipError::TooManyKnots);
        }
        let mut k = Self::new();
        for (&a, &b) in x.iter().zip(y) {
            k.push(a, b)?;
        }
        Ok(k)
    }

    /// Appends a knot.
    pub fn push(&mut self, x: T, y: T) -> Result<(), PchipError> {
        if self.len >= MAX_KNOTS {
            return Err(PchipError::TooManyKnots);
        }
        self.x[self.len] = x;
        self.y[self.len] = y;
        self.len += 1;
        Ok(())
    }

    /// Number of knots.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True without knots.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The abscissae.
    pub fn x(&self) -> &[T] {
        &self.x[..self.len]
    }

    /// The ordinates.
    pub fn y(&self) -> &[T] {
        &self.y[..self.len]
    }

    /// The last abscissa (or zero without knots).
    pub fn last_x(&self) -> T {
        if self.len == 0 {
            T::zero()
        } else {
            self.x[self.len - 1]
        }
    }

    /// Checks what SciPy checks: finite, at least two knots, strictly increasing abscissae.
    pub fn check(&self) -> Result<(), PchipError> {
        if self.len < 2 {
            return Err(PchipError::TooFewKnots);
        }
        if self.x().iter().chain(self.y()).any(|v| !v.is_finite()) {
            return Err(PchipError::NonFinite);
        }
        if self.x().windows(2).any(|w| w[1] <= w[0]) {
            return Err(PchipError::NotIncreasing);
        }
        Ok(())
    }
}

/// numpy's `sign` for finite values: -1, 0 or 1.
fn sign<T: Real>(v: T) -> i8 {
    if v > T::zero() {
        1
    } else if v < T::zero() {
        -1
    } else {
        0
    }
}

/// SciPy `PchipInterpolator._edge_case`: one-sided three-point end derivative, shape preserving.
fn edge_case<T: Real>(h0: T, h1: T, m0: T, m1: T) -> T {
    let two = T::c(2.0);
    let three = T::c(3.0);
    let d = ((two * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
    if sign(d) != sign(m0) {
        T::zero()
    } else if sign(m0) != sign(m1) && d.abs() > three * m0.abs() {
        three * m0
    } else {
        d
    }
}

/// A PCHIP interpolant: knots and the `PPoly` coefficients of each interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pchip<T: Real> {
    knots: Knots<T>,
    /// Derivative at each knot.
    d: [T; MAX_KNOTS],
    /// `c[k] = [c0, c1, c2, c3]` with p(x) = c0 s^3 + c1 s^2 + c2 s + c3, s = x - x_k.
    c: [[T; 4]; MAX_KNOTS - 1],
}

impl<T: Real> Pchip<T> {
    /// Builds the interpolant (SciPy `PchipInterpolator(x, y)`).
    pub fn new(knots: &Knots<T>) -> Result<Self, PchipError> {
        knots.check()?;
        let n = knots.len();
        let (x, y) = (knots.x(), knots.y());
        let mut h = [T::zero(); MAX_KNOTS - 1];
        let mut m = [T::zero(); MAX_KNOTS - 1];
        for k in 0..n - 1 {
            h[k] = x[k + 1] - x[k];
            m[k] = (y[k + 1] - y[k]) / h[k];
        }
        let mut d = [T::zero(); MAX_KNOTS];
        if n == 2 {
            d[0] = m[0];
            d[1] = m[0];
        } else {
            let two = T::c(2.0);
            for k in 1..n - 1 {
                let (ml, mr) = (m[k - 1], m[k]);
                let flat = sign(mr) != sign(ml) || mr == T::zero() || ml == T::zero();
                d[k] = if flat {
                    T::zero()
                } else {
                    let w1 = two * h[k] + h[k - 1];
                    let w2 = h[k] + two * h[k - 1];
                    let whmean = (w1 / ml + w2 / mr) / (w1 + w2);
                    T::one() / whmean
                };
            }
            d[0] = edge_case(h[0], h[1], m[0], m[1]);
            d[n - 1] = edge_case(h[n - 2], h[n - 3], m[n - 2], m[n - 3]);
        }
        let mut c = [[T::zero(); 4]; MAX_KNOTS - 1];
        let two = T::c(2.0);
        for k in 0..n - 1 {
            let slope = (y[k + 1] - y[k]) / h[k];
            let t = (d[k] + d[k + 1] - two * slope) / h[k];
            c[k] = [t / h[k], (slope - d[k]) / h[k] - t, d[k], y[k]];
        }
        Ok(Self {
            knots: *knots,
            d,
            c,
        })
    }

    /// The knots it interpolates.
    pub fn knots(&self) -> &Knots<T> {
        &self.knots
    }

    /// The derivative at each knot (the PCHIP slopes).
    pub fn slopes(&self) -> &[T] {
        &self.d[..self.knots.len()]
    }

    /// SciPy `find_interval`: k with x_k <= v < x_{k+1}; the last interval is closed on the
    /// right; outside the knots the end intervals extrapolate. `None` for NaN.
    fn interval(&self, v: T) -> Option<usize> {
        let x = self.knots.x();
        let n = x.len();
        let (a, b) = (x[0], x[n - 1]);
        if v.is_nan() {
            return None;
        }
        if v < a {
            return Some(0);
        }
        if v >= b {
            return Some(n - 2);
        }
        let (mut lo, mut hi) = (0usize, n - 2);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if v < x[mid] {
                hi = mid;
            } else if v >= x[mid + 1] {
                lo = mid + 1;
            } else {
                lo = mid;
                break;
            }
        }
        Some(lo)
    }

    /// Value at `v` (NaN for NaN), evaluated exactly as SciPy's `evaluate_poly1`.
    pub fn eval(&self, v: T) -> T {
        let Some(k) = self.interval(v) else {
            return T::nan();
        };
        let s = v - self.knots.x()[k];
        let [c0, c1, c2, c3] = self.c[k];
        let s2 = s * s;
        let s3 = s2 * s;
        c3 + c2 * s + c1 * s2 + c0 * s3
    }

    /// First derivative at `v` (as SciPy's `derivative()(v)`).
    pub fn eval_derivative(&self, v: T) -> T {
        let Some(k) = self.interval(v) else {
            return T::nan();
        };
        let s = v - self.knots.x()[k];
        let [c0, c1, c2, _] = self.c[k];
        c2 + T::c(2.0) * c1 * s + T::c(3.0) * c0 * (s * s)
    }
}
