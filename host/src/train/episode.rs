//! The real objective: one episode of the run configuration per parameter vector, scored with
//! the original's staged cost. Engines are built once and reused (each episode resets the
//! engine completely, see `host/tests/train_episode.rs`), one per evaluation thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use super::{Problem, FAILED_COST};
use crate::config::RunConfig;
use crate::engine::Engine;
use crate::eval::{self, EvalError};

/// Episodes of `cfg` on its engine (`--engine native|mujoco`).
pub struct EpisodeProblem {
    cfg: RunConfig,
    pool: Mutex<Vec<Box<dyn Engine>>>,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl EpisodeProblem {
    /// Builds the first engine now, so a missing model or engine is reported before any
    /// results folder is made.
    pub fn new(cfg: &RunConfig) -> Result<Self, EvalError> {
        let e = eval::engines::make(cfg)?;
        Ok(EpisodeProblem {
            cfg: cfg.clone(),
            pool: Mutex::new(vec![e]),
            errors: AtomicU64::new(0),
            first_error: Mutex::new(None),
        })
    }

    fn with_engine<T>(
        &self,
        f: impl FnOnce(&mut dyn Engine) -> Result<T, EvalError>,
    ) -> Result<T, EvalError> {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut engine = match taken {
            Some(e) => e,
            None => eval::engines::make(&self.cfg)?,
        };
        let r = f(engine.as_mut());
        if let Ok(mut p) = self.pool.lock() {
            p.push(engine);
        }
        r
    }

    fn evaluate(&self, x: &[f64]) -> Result<eval::Evaluation, EvalError> {
        self.with_engine(|e| eval::evaluate(e, &self.cfg, x, false))
    }

    fn failed(&self, e: EvalError) -> f64 {
        if self.errors.fetch_add(1, Ordering::Relaxed) == 0 {
            if let Ok(mut f) = self.first_error.lock() {
                *f = Some(e.to_string());
            }
            eprintln!("warning: an evaluation failed ({e}); it is scored {FAILED_COST}");
        }
        FAILED_COST
    }

    /// Evaluations that returned an error (scored [`FAILED_COST`]) and the first message.
    pub fn errors(&self) -> (u64, Option<String>) {
        (
            self.errors.load(Ordering::Relaxed),
            self.first_error.lock().ok().and_then(|f| f.clone()),
        )
    }
}

impl Problem for EpisodeProblem {
    fn cost(&self, x: &[f64]) -> f64 {
        match self.evaluate(x) {
            Ok(ev) => ev.cost.total,
            Err(e) => self.failed(e),
        }
    }

    fn cost_report(&self, x: &[f64]) -> (f64, String) {
        match self.evaluate(x) {
            Ok(ev) => (ev.cost.total, crate::cost::report::best_cost_txt(&ev.cost)),
            Err(e) => (
                self.failed(e),
                "Model not surviving to end of episode. No solution\n".to_string(),
            ),
        }
    }

    /// Trajectory CSV and the joint-angle, GRF and exo-torque plots (`eval::output`).
    fn write_outputs(
        &self,
        dir: &std::path::Path,
        stem: &str,
        x: &[f64],
    ) -> Result<Vec<std::path::PathBuf>, String> {
        let s = eval::EpisodeSettings::from_config(&self.cfg).map_err(|e| e.to_string())?;
        let ev = self
            .with_engine(|e| eval::evaluate(e, &self.cfg, x, true))
            .map_err(|e| e.to_string())?;
        eval::output::write_all(dir, stem, &ev, &s).map_err(|e| e.to_string())
    }
}
