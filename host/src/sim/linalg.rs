//! Small dense linear algebra on fixed-size row-major arrays.

use super::model::MAX_DOF;

pub type Mat = [[f64; MAX_DOF]; MAX_DOF];

/// In-place Cholesky factorisation of the leading n x n block (lower triangle holds L).
/// Returns false if the matrix is not positive definite.
pub fn cholesky(a: &mut Mat, n: usize) -> bool {
    for j in 0..n {
        let mut d = a[j][j];
        for k in 0..j {
            d -= a[j][k] * a[j][k];
        }
        if d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j][j] = d;
        let inv = 1.0 / d;
        for i in j + 1..n {
            let mut s = a[i][j];
            for k in 0..j {
                s -= a[i][k] * a[j][k];
            }
            a[i][j] = s * inv;
        }
    }
    true
}

/// Solves L Lᵀ x = b in place (b becomes x).
pub fn chol_solve(l: &Mat, n: usize, b: &mut [f64]) {
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i][k] * b[k];
        }
        b[i] = s / l[i][i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= l[k][i] * b[k];
        }
        b[i] = s / l[i][i];
    }
}

/// y = A x for the leading n x n block.
pub fn mat_vec(a: &Mat, n: usize, x: &[f64], y: &mut [f64]) {
    for i in 0..n {
        let mut s = 0.0;
        for j in 0..n {
            s += a[i][j] * x[j];
        }
        y[i] = s;
    }
}

#[inline]
pub fn dot(a: &[f64], b: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..n {
        s += a[i] * b[i];
    }
    s
}
