//! The per-generation record: one CSV row per generation (`<trial>_generations.csv`) and the
//! history kept in the checkpoint for the convergence plot.

use serde::{Deserialize, Serialize};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::io::fmt_f64;
use crate::optim::serde_f64;
use crate::optim::CmaEs;

/// One generation's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenRow {
    pub generation: u64,
    pub evaluations: u64,
    #[serde(with = "serde_f64")]
    pub best: f64,
    #[serde(with = "serde_f64")]
    pub median: f64,
    #[serde(with = "serde_f64")]
    pub worst: f64,
    #[serde(with = "serde_f64")]
    pub best_ever: f64,
    #[serde(with = "serde_f64")]
    pub sigma: f64,
    #[serde(with = "serde_f64")]
    pub axis_ratio: f64,
    #[serde(with = "serde_f64")]
    pub min_std: f64,
    #[serde(with = "serde_f64")]
    pub max_std: f64,
    /// Wall-clock seconds of this generation's evaluations.
    #[serde(with = "serde_f64")]
    pub eval_seconds: f64,
}

pub const HEADER: &str = "generation,evaluations,best,median,worst,best_ever,sigma,axis_ratio,min_std,max_std,eval_seconds,evals_per_second";

impl GenRow {
    /// The row for the strategy's last told generation.
    pub fn of(es: &CmaEs, eval_seconds: f64) -> Self {
        let fit = &es.fit().fit;
        let stds = es.stds();
        GenRow {
            generation: es.iteration(),
            evaluations: es.evaluations(),
            best: fit[0],
            median: es.fit().median,
            worst: fit[fit.len() - 1],
            best_ever: es.best().f,
            sigma: es.sigma(),
            axis_ratio: es.axis_ratio(),
            min_std: stds.iter().cloned().fold(f64::INFINITY, f64::min),
            max_std: stds.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            eval_seconds,
        }
    }

    pub fn evals_per_second(&self, popsize: usize) -> f64 {
        if self.eval_seconds > 0.0 {
            popsize as f64 / self.eval_seconds
        } else {
            f64::NAN
        }
    }

    /// Appends this row to `path` (header first when the file is new).
    pub fn append_csv(&self, path: &Path, popsize: usize) -> std::io::Result<()> {
        let new = !path.exists();
        let mut f = OpenOptions::new().append(true).create(true).open(path)?;
        if new {
            writeln!(f, "{HEADER}")?;
        }
        let v = [
            self.best,
            self.median,
            self.worst,
            self.best_ever,
            self.sigma,
            self.axis_ratio,
            self.min_std,
            self.max_std,
            self.eval_seconds,
            self.evals_per_second(popsize),
        ];
        let cells: Vec<String> = v.iter().map(|x| fmt_f64(*x)).collect();
        writeln!(
            f,
            "{},{},{}",
            self.generation,
            self.evaluations,
            cells.join(",")
        )
    }
}
