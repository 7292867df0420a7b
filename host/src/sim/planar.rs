//! Planar spatial algebra in the plane frame P, about its origin: motion vectors
//! (ω, v_x, v_y) (a DOF's motion subspace, a body's velocity), force vectors (τ_z, f_x, f_y) whose
//! dot product with a motion vector is power, and symmetric 3 x 3 inertia-like matrices.

/// A symmetric 3 x 3 matrix `[xx, xy, xz, yy, yz, zz]` mapping motion to force vectors.
pub type Sym3 = [f64; 6];

#[inline]
pub fn dot(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// y += s·x.
#[inline]
pub fn axpy(y: &mut [f64; 3], s: f64, x: &[f64; 3]) {
    y[0] += s * x[0];
    y[1] += s * x[1];
    y[2] += s * x[2];
}

/// c·v.
#[inline]
pub fn sym_mul(c: &Sym3, v: &[f64; 3]) -> [f64; 3] {
    [
        c[0] * v[0] + c[1] * v[1] + c[2] * v[2],
        c[1] * v[0] + c[3] * v[1] + c[4] * v[2],
        c[2] * v[0] + c[4] * v[1] + c[5] * v[2],
    ]
}

/// c += d·w·wᵀ.
#[inline]
pub fn sym_add_outer(c: &mut Sym3, w: &[f64; 3], d: f64) {
    let (a, b, e) = (d * w[0], d * w[1], d * w[2]);
    c[0] += a * w[0];
    c[1] += a * w[1];
    c[2] += a * w[2];
    c[3] += b * w[1];
    c[4] += b * w[2];
    c[5] += e * w[2];
}

/// c += e.
#[inline]
pub fn sym_add(c: &mut Sym3, e: &Sym3) {
    for (x, y) in c.iter_mut().zip(e) {
        *x += y;
    }
}

/// Spatial inertia of a body of mass `m` and rotational inertia `izz` about its centre of mass
/// at `c` (in P; out-of-plane offsets do not matter).
#[inline]
pub fn inertia(m: f64, izz: f64, c: &[f64; 3]) -> Sym3 {
    [
        izz + m * (c[0] * c[0] + c[1] * c[1]),
        -m * c[1],
        m * c[0],
        m,
        0.0,
        m,
    ]
}

/// The force vector of force `f` (in-plane part) acting at point `p`.
#[inline]
pub fn wrench(p: &[f64; 3], f: &[f64; 3]) -> [f64; 3] {
    [p[0] * f[1] - p[1] * f[0], f[0], f[1]]
}
