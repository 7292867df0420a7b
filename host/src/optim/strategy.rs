//! pycma's strategy parameters: recombination weights (active CMA), learning rates and damping
//! (`cma/options_parameters.py`, `recombination_weights.py`, `sigma_adaptation.py`, 4.x).

use serde::{Deserialize, Serialize};

/// Constants derived from the dimension and the population size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub n: usize,
    /// Population size λ.
    pub lambda: usize,
    /// Number of positive weights μ = ⌊λ/2⌋.
    pub mu: usize,
    /// All λ weights: μ positive (sum 1), the rest negative (active CMA).
    pub weights: Vec<f64>,
    pub mueff: f64,
    pub cc: f64,
    pub cs: f64,
    pub damps: f64,
    pub c1: f64,
    pub cmu: f64,
    /// E‖N(0, I)‖ as pycma approximates it.
    pub chi_n: f64,
    /// Tells between two eigendecompositions (pycma `lazy_update_gap`).
    pub lazy_gap: f64,
}

/// pycma's default population size 4 + 3 ln n, unrounded (options use it unrounded).
pub fn default_popsize_raw(n: usize) -> f64 {
    4.0 + 3.0 * (n as f64).ln()
}

/// pycma's default λ = int(4 + 3 ln n).
pub fn default_popsize(n: usize) -> usize {
    default_popsize_raw(n) as usize
}

/// pycma's `Mh.chiN`: exact values up to n = 6, else √n(1 − 1/(4n) + 1/(26n²)).
pub fn chi_n(n: usize) -> f64 {
    const EXACT: [f64; 6] = [
        0.7978845608028654,
        1.2533141373156,
        1.59576912160573,
        1.87997120597325,
        2.1276921621409746,
        2.3499640074665633,
    ];
    if (1..=6).contains(&n) {
        return EXACT[n - 1];
    }
    let nf = n as f64;
    nf.sqrt() * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (26.0 * nf * nf))
}

fn sum_sq(w: &[f64]) -> f64 {
    w.iter().map(|x| x * x).sum()
}

impl Strategy {
    /// The parameters for dimension `n` (≥ 1) and population size `lambda` (≥ 2).
    pub fn new(n: usize, lambda: usize) -> Self {
        let nf = n as f64;
        let lam = lambda as f64;
        let mu = lambda / 2;
        // raw weights ln((λ+1)/2) − ln i
        let mut w: Vec<f64> = (1..=lambda)
            .map(|i| ((lam + 1.0) / 2.0).ln() - (i as f64).ln())
            .collect();
        let spos: f64 = w.iter().filter(|x| **x > 0.0).sum();
        let sneg: f64 = -w.iter().filter(|x| **x < 0.0).sum::<f64>();
        for x in w.iter_mut() {
            if *x > 0.0 {
                *x /= spos;
            } else if *x < 0.0 && sneg > 0.0 {
                *x /= sneg;
            }
        }
        let pos: Vec<f64> = w.iter().copied().filter(|x| *x > 0.0).collect();
        let neg: Vec<f64> = w.iter().copied().filter(|x| *x < 0.0).collect();
        let mueff = pos.iter().sum::<f64>().powi(2) / sum_sq(&pos);
        let mueffminus = if neg.is_empty() {
            0.0
        } else {
            neg.iter().sum::<f64>().powi(2) / sum_sq(&neg)
        };

        let cc = (4.0 + mueff / nf) / (nf + (4.0 + 2.0 * mueff / nf));
        let cs = (mueff + 2.0) / (nf + mueff + 3.0);
        // CSA damping with no mirrors: 0.5 + min(1, (0 − 1)²)/2 = 1
        let damps = 0.5 + 0.5 + 2.0 * f64::max(0.0, ((mueff - 1.0) / (nf + 1.0)).sqrt() - 1.0) + cs;
        let c1 = f64::min(1.0, lam / 6.0) * 2.0 / ((nf + 1.3).powi(2) + mueff);
        let cmu = f64::min(
            1.0 - c1,
            2.0 * (0.25 + mueff - 2.0 + 1.0 / mueff) / ((nf + 2.0).powi(2) + mueff),
        );

        // finalize negative weights (pycma RecombinationWeights.finalize_negative_weights)
        if w.last().is_some_and(|x| *x < 0.0) && cmu > 0.0 {
            set_negative_sum(&mut w, 1.0 + c1 / cmu);
            limit_negative_sum(&mut w, (1.0 - c1 - cmu) / cmu / nf);
        }
        if w.last().is_some_and(|x| *x < 0.0) {
            limit_negative_sum(&mut w, 1.0 + 2.0 * mueffminus / (mueff + 2.0));
        }
        let lazy_gap = 1.0 / (c1 + cmu + 1e-23) / nf / 10.0;
        Strategy {
            n,
            lambda,
            mu,
            weights: w,
            mueff,
            cc,
            cs,
            damps,
            c1,
            cmu,
            chi_n: chi_n(n),
            lazy_gap,
        }
    }
}

fn neg_sum(w: &[f64]) -> f64 {
    -w.iter().filter(|x| **x < 0.0).sum::<f64>()
}

fn set_negative_sum(w: &mut [f64], value: f64) {
    let s = neg_sum(w);
    if s > 0.0 {
        for x in w.iter_mut().filter(|x| **x < 0.0) {
            *x *= value.abs() / s;
        }
    }
}

fn limit_negative_sum(w: &mut [f64], value: f64) {
    let s = neg_sum(w);
    if s > value.abs() {
        set_negative_sum(w, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn matches_pycma_constants_for_n10() {
        let s = Strategy::new(10, 10);
        assert_eq!(s.mu, 5);
        // values printed by pycma 4.0.0 for n = 10
        assert!(close(s.mueff, 3.1672992814107017, 1e-12), "{}", s.mueff);
        assert!(close(s.cc, 0.29499038303562225, 1e-12));
        assert!(close(s.cs, 0.3196142529106334, 1e-12));
        assert!(close(s.damps, 1.3196142529106334, 1e-12));
        assert!(close(s.c1, 0.015283824524751714, 1e-12));
        assert!(close(s.cmu, 0.02355177665041747, 1e-12));
        let expect = [
            0.45627264690340597,
            0.2707530970017852,
            0.16223111715866978,
            0.08523354710016448,
            0.025509591835974777,
            -0.08001260758087224,
            -0.22176416099914653,
            -0.34455494178482093,
            -0.45286408637842196,
            -0.5497499176973853,
        ];
        for (a, b) in s.weights.iter().zip(expect) {
            assert!(close(*a, b, 1e-12), "{a} vs {b}");
        }
        let pos: f64 = s.weights.iter().filter(|x| **x > 0.0).sum();
        assert!(close(pos, 1.0, 1e-12));
        assert!(close(neg_sum(&s.weights), 1.0 + s.c1 / s.cmu, 1e-12));
    }

    #[test]
    fn default_popsizes() {
        let got: Vec<usize> = [2, 5, 10, 20, 40, 100]
            .iter()
            .map(|n| default_popsize(*n))
            .collect();
        assert_eq!(got, vec![6, 8, 10, 12, 15, 17]);
    }
}
