//! Eigendecomposition of the covariance matrix, as pycma's `GaussFullSampler._decompose_C`:
//! symmetrize, `eigh`, sort ascending, and if C lost positive definiteness add the previous
//! smallest eigenvalue to the diagonal and retry.

/// B (row-major n×n, column k is the k-th eigenvector) and D (√eigenvalues, ascending) of C.
/// `c` is symmetrized in place and may get its diagonal raised.
pub fn decompose(c: &mut [f64], n: usize, d_old: &[f64]) -> (Vec<f64>, Vec<f64>) {
    for i in 0..n {
        for j in 0..i {
            let s = (c[i * n + j] + c[j * n + i]) / 2.0;
            c[i * n + j] = s;
            c[j * n + i] = s;
        }
    }
    for _attempt in 0..50 {
        let m = nalgebra::DMatrix::from_row_slice(n, n, c);
        let eig = nalgebra::SymmetricEigen::new(m);
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by(|a, b| eig.eigenvalues[*a].total_cmp(&eig.eigenvalues[*b]));
        let ok = idx
            .iter()
            .all(|&k| eig.eigenvalues[k] > 0.0 && eig.eigenvalues[k].is_finite());
        if ok {
            let d: Vec<f64> = idx.iter().map(|&k| eig.eigenvalues[k].sqrt()).collect();
            let mut b = vec![0.0; n * n];
            for (col, &k) in idx.iter().enumerate() {
                for row in 0..n {
                    b[row * n + col] = eig.eigenvectors[(row, k)];
                }
            }
            return (b, d);
        }
        let min_d2 = d_old.iter().cloned().fold(f64::INFINITY, f64::min).powi(2);
        let add = if min_d2.is_finite() && min_d2 > 0.0 {
            min_d2
        } else {
            1e-20
        };
        for i in 0..n {
            c[i * n + i] += add;
        }
    }
    // unreachable in practice: fall back to the diagonal
    let d = (0..n)
        .map(|i| c[i * n + i].abs().max(1e-300).sqrt())
        .collect();
    let mut b = vec![0.0; n * n];
    for i in 0..n {
        b[i * n + i] = 1.0;
    }
    (b, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reconstructs_matrix() {
        let n = 4;
        let mut c = vec![
            4.0, 1.0, 0.5, 0.0, 1.0, 3.0, 0.2, 0.1, 0.5, 0.2, 2.0, 0.3, 0.0, 0.1, 0.3, 1.0,
        ];
        let orig = c.clone();
        let (b, d) = super::decompose(&mut c, n, &[1.0; 4]);
        assert!(d.windows(2).all(|w| w[0] <= w[1]));
        for i in 0..n {
            for j in 0..n {
                let v: f64 = (0..n)
                    .map(|k| b[i * n + k] * d[k] * d[k] * b[j * n + k])
                    .sum();
                assert!((v - orig[i * n + j]).abs() < 1e-12);
            }
        }
    }
}
