//! Episodes as the original runs them, over any [`crate::engine::Engine`], and the cost of a
//! parameter vector (`../shared/spec/original.md` sections 4 and 5).
//!
//! ```ignore
//! let cfg = myoreflex::config::load(Some("tutorial"), &[])?;
//! let mut engine = myoreflex::eval::engines::make(&cfg)?;
//! let r = myoreflex::eval::evaluate(engine.as_mut(), &cfg, &params, false)?;
//! println!("{}", r.cost.total);
//! ```

pub mod engines;
pub mod episode;
pub mod output;
pub mod sensors;
pub mod stats;

pub use episode::{Episode, EpisodeSettings, TraceRow};
pub use stats::GaitStats;

use crate::config::RunConfig;
use crate::cost::{self, CostOutcome, CostSettings, EpisodeInfo};
use crate::engine::Engine;

/// Why an evaluation could not run at all (the original's 1.2e6 cases are not errors).
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("parameters: {0}")]
    Params(String),
    #[error("config: {0}")]
    Config(String),
    #[error("engine: {0}")]
    Engine(String),
}

/// The cost settings of a run configuration.
pub fn cost_settings(cfg: &RunConfig) -> CostSettings {
    CostSettings {
        cost_type: cfg.cost,
        tgt_vel: cfg.tgt_vel,
        num_strides: cfg.num_strides,
        tgt_sym_th: cfg.tgt_sym_th,
        tgt_grf_th: cfg.tgt_grf_th,
        myoassist_parity: cfg.myoassist_parity,
        weights: cfg.cost_weights,
    }
}

/// One evaluation: the episode and its cost.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub episode: Episode,
    pub cost: CostOutcome,
}

/// Runs one episode of `params` on `engine` with the run's settings and scores it.
/// `trace` keeps the per-step trajectory (for CSV and plots).
pub fn evaluate(
    engine: &mut dyn Engine,
    cfg: &RunConfig,
    params: &[f64],
    trace: bool,
) -> Result<Evaluation, EvalError> {
    let s = EpisodeSettings::from_config(cfg)?;
    let episode = episode::run(engine, &s, params, trace)?;
    let cost = score(&episode, &s, cfg, params);
    Ok(Evaluation { episode, cost })
}

/// The cost of a finished episode.
pub fn score(ep: &Episode, s: &EpisodeSettings, cfg: &RunConfig, params: &[f64]) -> CostOutcome {
    if ep.invalid.is_some() {
        return CostOutcome::invalid();
    }
    let info = EpisodeInfo {
        dt: s.dt(),
        timestep_limit: s.timestep_limit(),
        mass: ep.mass,
        slope_deg: s.slope_deg,
        params,
    };
    cost::evaluate(&ep.records, &info, &cost_settings(cfg))
}

/// The fitness of `params` as the optimizer sees it: the total cost (1.2e6 for an invalid
/// start, as the original).
pub fn fitness(engine: &mut dyn Engine, cfg: &RunConfig, params: &[f64]) -> Result<f64, EvalError> {
    Ok(evaluate(engine, cfg, params, false)?.cost.total)
}

#[cfg(test)]
mod closed_loop_tests;
