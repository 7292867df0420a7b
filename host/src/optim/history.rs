//! The fitness records pycma's termination tests read (`es.fit`, `es.best`,
//! `_StopTolXStagnation`), updated once per `tell`.

use serde::{Deserialize, Serialize};

use super::serde_f64;

/// Best-ever solution (phenotype, as evaluated).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Best {
    #[serde(with = "serde_f64::vec")]
    pub x: Vec<f64>,
    #[serde(with = "serde_f64")]
    pub f: f64,
    /// Evaluation count at which it was found (pycma `evals_best`).
    pub evals: u64,
    pub iteration: u64,
}

/// Sorted current values and the short and long histories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitHistory {
    /// This iteration's values, ascending.
    #[serde(with = "serde_f64::vec")]
    pub fit: Vec<f64>,
    /// Best value of the last 10 + 30n/λ iterations, newest first.
    #[serde(with = "serde_f64::vec")]
    pub hist: Vec<f64>,
    /// Best and median every 5th iteration, newest first (at most 20 000).
    #[serde(with = "serde_f64::vec")]
    pub histbest: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    pub histmedian: Vec<f64>,
    #[serde(with = "serde_f64")]
    pub median: f64,
    #[serde(with = "serde_f64")]
    pub median0: f64,
    #[serde(with = "serde_f64")]
    pub median_min: f64,
    pub flatfit_iterations: u64,
}

/// Median as numpy computes it on sorted data.
pub fn median_sorted(v: &[f64]) -> f64 {
    let m = v.len();
    if m == 0 {
        return f64::NAN;
    }
    if m % 2 == 1 {
        v[m / 2]
    } else {
        (v[m / 2 - 1] + v[m / 2]) / 2.0
    }
}

/// numpy `median` of unsorted data.
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    median_sorted(&s)
}

impl FitHistory {
    pub fn new() -> Self {
        FitHistory {
            fit: Vec::new(),
            hist: Vec::new(),
            histbest: Vec::new(),
            histmedian: Vec::new(),
            median: f64::NAN,
            median0: f64::NAN,
            median_min: f64::INFINITY,
            flatfit_iterations: 0,
        }
    }

    /// Records iteration `countiter`'s values (pycma `tell`, the `fit.*` part).
    pub fn record(&mut self, values: &[f64], countiter: u64, n: usize, lambda: usize) {
        let mut fit = values.to_vec();
        fit.sort_by(f64::total_cmp);
        self.hist.insert(0, fit[0]);
        self.median = median_sorted(&fit);
        if countiter % 5 == 0 {
            self.histbest.insert(0, fit[0]);
            self.histmedian.insert(0, self.median);
        }
        if self.histbest.len() > 20000 {
            self.histbest.pop();
            self.histmedian.pop();
        }
        if self.hist.len() as f64 > 10.0 + 30.0 * n as f64 / lambda as f64 {
            self.hist.pop();
        }
        if self.median0.is_nan() {
            self.median0 = self.median;
        }
        if self.median_min > self.median {
            self.median_min = self.median;
        }
        self.fit = fit;
    }
}

impl Default for FitHistory {
    fn default() -> Self {
        Self::new()
    }
}

/// pycma `_StopTolXStagnation` with its default [delta, 20, 0.1].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct XStagnation {
    pub count: u64,
    pub count_x: u64,
    #[serde(with = "serde_f64::vec")]
    pub x: Vec<f64>,
}

impl XStagnation {
    const OFFSET: f64 = 20.0;
    const FRAC: f64 = 0.1;

    pub fn new(x: &[f64]) -> Self {
        XStagnation {
            count: 0,
            count_x: 0,
            x: x.to_vec(),
        }
    }

    fn time_threshold(&self) -> f64 {
        Self::OFFSET + Self::FRAC * self.count as f64
    }

    pub fn update(&mut self, x: &[f64], delta0: f64) {
        self.count += 1;
        let delta = delta0
            * f64::max(
                1.0,
                (self.count - self.count_x) as f64 / self.time_threshold(),
            )
            .sqrt();
        let dist = self
            .x
            .iter()
            .zip(x)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        if delta < 0.0 || dist > delta {
            self.x = x.to_vec();
            self.count_x = self.count;
        }
    }

    pub fn stop(&self) -> bool {
        (self.count - self.count_x) as f64 > self.time_threshold()
    }
}
