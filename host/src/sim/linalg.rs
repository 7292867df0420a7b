//! Small dense Cholesky factorisation and solve on row-major matrices (rows of any slice
//! type), for the model-building constants ([`super::mjconst`]).

/// In-place Cholesky factorisation of the leading n x n block (lower triangle holds L).
/// Returns false if the matrix is not positive definite.
pub fn cholesky<R: AsRef<[f64]> + AsMut<[f64]>>(a: &mut [R], n: usize) -> bool {
    for j in 0..n {
        let rj = a[j].as_mut();
        let mut d = rj[j];
        for k in 0..j {
            d -= rj[k] * rj[k];
        }
        if d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        rj[j] = d;
        let inv = 1.0 / d;
        for i in j + 1..n {
            let (top, bottom) = a.split_at_mut(i);
            let rj = top[j].as_ref();
            let ri = bottom[0].as_mut();
            let mut s = ri[j];
            for k in 0..j {
                s -= ri[k] * rj[k];
            }
            ri[j] = s * inv;
        }
    }
    true
}

/// Solves L Lᵀ x = b in place (b becomes x).
pub fn chol_solve<R: AsRef<[f64]>>(l: &[R], n: usize, b: &mut [f64]) {
    for i in 0..n {
        let li = l[i].as_ref();
        let mut s = b[i];
        for k in 0..i {
            s -= li[k] * b[k];
        }
        b[i] = s / li[i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= l[k].as_ref()[i] * b[k];
        }
        b[i] = s / l[i].as_ref()[i];
    }
}
