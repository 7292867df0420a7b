//! pycma's default bound handling, `BoundTransform` over `BoxConstraintsLinQuadTransformation`:
//! a periodic, piecewise linear-quadratic C¹ map of ℝ into [lb, ub] per coordinate, the identity
//! on [lb + al, ub − au]. Either side may be infinite. The ES keeps the unmapped genotype; the
//! caller only ever sees (and evaluates) the mapped, feasible phenotype.

use serde::{Deserialize, Serialize};

use super::serde_f64;

/// Per-coordinate lower and upper bounds with their quadratic margins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundTransform {
    #[serde(with = "serde_f64::vec")]
    lb: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    ub: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    al: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    au: Vec<f64>,
}

/// Bounds that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BoundsError {
    #[error("lower and upper bounds have lengths {0} and {1}, expected {2} (one per parameter)")]
    Length(usize, usize, usize),
    #[error("bound {0}: lower bound {1} is not below upper bound {2}")]
    Order(usize, f64, f64),
    #[error("bound {0} is NaN")]
    Nan(usize),
}

fn margin(bound: f64) -> f64 {
    f64::max(1.0, bound.abs()) / 20.0
}

impl BoundTransform {
    /// Bounds for `n` coordinates; `f64::INFINITY` / `NEG_INFINITY` mean "none".
    pub fn new(lb: Vec<f64>, ub: Vec<f64>, n: usize) -> Result<Self, BoundsError> {
        if lb.len() != n || ub.len() != n {
            return Err(BoundsError::Length(lb.len(), ub.len(), n));
        }
        for i in 0..n {
            if lb[i].is_nan() || ub[i].is_nan() {
                return Err(BoundsError::Nan(i));
            }
            if lb[i] >= ub[i] {
                return Err(BoundsError::Order(i, lb[i], ub[i]));
            }
        }
        let al = (0..n)
            .map(|i| {
                if lb[i].is_finite() {
                    f64::min((ub[i] - lb[i]) / 2.0, margin(lb[i]))
                } else {
                    1.0
                }
            })
            .collect();
        let au = (0..n)
            .map(|i| {
                if ub[i].is_finite() {
                    f64::min((ub[i] - lb[i]) / 2.0, margin(ub[i]))
                } else {
                    1.0
                }
            })
            .collect();
        Ok(BoundTransform { lb, ub, al, au })
    }

    /// No bounds at all in `n` coordinates.
    pub fn none(n: usize) -> Self {
        BoundTransform {
            lb: vec![f64::NEG_INFINITY; n],
            ub: vec![f64::INFINITY; n],
            al: vec![1.0; n],
            au: vec![1.0; n],
        }
    }

    pub fn lower(&self) -> &[f64] {
        &self.lb
    }

    pub fn upper(&self) -> &[f64] {
        &self.ub
    }

    /// True when no coordinate has a finite bound (the transform is the identity).
    pub fn is_unbounded(&self) -> bool {
        self.lb.iter().chain(&self.ub).all(|b| !b.is_finite())
    }

    /// Genotype -> feasible phenotype (pycma `repair`).
    pub fn transform(&self, x: &[f64]) -> Vec<f64> {
        x.iter()
            .enumerate()
            .map(|(i, &v)| self.transform_i(v, i))
            .collect()
    }

    fn transform_i(&self, mut y: f64, i: usize) -> f64 {
        let (lb, ub, al, au) = (self.lb[i], self.ub[i], self.al[i], self.au[i]);
        if y < lb - 2.0 * al - (ub - lb) / 2.0 || y > ub + 2.0 * au + (ub - lb) / 2.0 {
            let r = 2.0 * (ub - lb + al + au); // period
            let s = lb - 2.0 * al - (ub - lb) / 2.0; // start
            y -= r * ((y - s) / r).floor();
        }
        if y > ub + au {
            y -= 2.0 * (y - ub - au);
        }
        if y < lb - al {
            y += 2.0 * (lb - al - y);
        }
        if y < lb + al {
            y = lb + (y - (lb - al)).powi(2) / 4.0 / al;
        }
        if y > ub - au {
            y = ub - (y - (ub + au)).powi(2) / 4.0 / au;
        }
        y
    }

    /// Feasible phenotype -> genotype in [lb − al, ub + au] (pycma `inverse`); values outside
    /// [lb, ub] are clipped first.
    pub fn inverse(&self, y: &[f64]) -> Vec<f64> {
        y.iter()
            .enumerate()
            .map(|(i, &v)| self.inverse_i(v, i))
            .collect()
    }

    fn inverse_i(&self, y: f64, i: usize) -> f64 {
        let (lb, ub, al, au) = (self.lb[i], self.ub[i], self.al[i], self.au[i]);
        let y = y.clamp(lb, ub);
        if y < lb + al {
            (lb - al) + 2.0 * (al * (y - lb)).sqrt()
        } else if y < ub - au {
            y
        } else {
            (ub + au) - 2.0 * (au * (ub - y)).sqrt()
        }
    }

    /// pycma `maxstd` from `maxstd_boundrange`: (ub − lb)·frac, infinite where a side is open.
    pub fn max_std(&self, frac: f64) -> Vec<f64> {
        self.lb
            .iter()
            .zip(&self.ub)
            .map(|(l, u)| (u - l) * frac)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bt() -> BoundTransform {
        let inf = f64::INFINITY;
        BoundTransform::new(
            vec![0.0, -inf, -29.0, 1.0, 0.0],
            vec![inf, inf, 6.0, 50.0, 1.0],
            5,
        )
        .unwrap()
    }

    #[test]
    fn identity_inside_and_feasible_everywhere() {
        let b = bt();
        let x = vec![1.0, -3.0, 0.0, 20.0, 0.5];
        assert_eq!(b.transform(&x), x);
        let mut rng = super::super::rng::Rng::new(1);
        for _ in 0..2000 {
            let x: Vec<f64> = (0..5).map(|_| 100.0 * rng.normal()).collect();
            let y = b.transform(&x);
            for i in 0..5 {
                assert!(
                    y[i] >= b.lb[i] && y[i] <= b.ub[i],
                    "{i}: {} -> {}",
                    x[i],
                    y[i]
                );
            }
            // idempotence: repair(inverse(repair(x))) == repair(x)
            let z = b.transform(&b.inverse(&y));
            for i in 0..5 {
                assert!(
                    (z[i] - y[i]).abs() <= 1e-12 * (1.0 + y[i].abs()),
                    "{i}: {} vs {}",
                    z[i],
                    y[i]
                );
            }
        }
    }

    #[test]
    fn known_values() {
        let b = bt();
        // lb 0: margin 0.05, genotype -0.05 maps to the bound, mirror below
        assert_eq!(b.transform(&[-0.05, 0.0, 0.0, 0.0, 0.0])[0], 0.0);
        assert!((b.transform(&[-1.0, 0.0, 0.0, 0.0, 0.0])[0] - 1.0 + 0.1).abs() < 1e-12);
        // [1, 50]: x0 = 1 has genotype 0.95 (pycma's geno of x0 on the bound)
        assert!((b.inverse(&[0.0, 0.0, 0.0, 1.0, 0.0])[3] - 0.95).abs() < 1e-15);
        assert!(BoundTransform::new(vec![1.0], vec![1.0], 1).is_err());
        assert!(BoundTransform::new(vec![0.0], vec![1.0], 2).is_err());
    }
}
