//! Closed-loop comparison: the same parameter vector and run configuration as a whole episode
//! (20 s in the shipped configs) on the native simulator and on MuJoCo, with the gait
//! statistics, the cost and the CPU time of each (single thread).

use crate::config::RunConfig;
use crate::eval::{self, EvalError, GaitStats};
use crate::sim::bench::thread_cpu_seconds;
use std::time::Instant;

/// Runs `f` and returns its result with the CPU seconds it took on this thread (wall-clock
/// seconds where the CPU clock is not available).
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let (c0, t0) = (thread_cpu_seconds(), Instant::now());
    let out = f();
    let s = match (c0, thread_cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => t0.elapsed().as_secs_f64(),
    };
    (out, s)
}

/// One engine's episode.
#[derive(Clone, Debug, serde::Serialize)]
pub struct EngineRun {
    pub engine: String,
    pub gait: GaitStats,
    pub cost: f64,
    /// CPU seconds of the episode on one thread (engine construction excluded).
    pub cpu_seconds: f64,
}

/// The episode on each engine.
#[derive(Clone, Debug, serde::Serialize)]
pub struct GaitComparison {
    pub sim_time: f64,
    pub runs: Vec<EngineRun>,
}

/// Runs `params` with `cfg` on each of `engines` (`native`, `mujoco`), `repeat` times each
/// (the CPU time reported is the fastest run; the episodes are identical).
pub fn compare(
    cfg: &RunConfig,
    params: &[f64],
    engines: &[String],
    repeat: usize,
) -> Result<GaitComparison, EvalError> {
    let mut runs = Vec::new();
    for name in engines {
        let mut c = cfg.clone();
        c.engine = name.clone();
        let mut engine = eval::engines::make(&c)?;
        let mut best: Option<(eval::Evaluation, f64)> = None;
        for _ in 0..repeat.max(1) {
            let (r, s) = timed(|| eval::evaluate(engine.as_mut(), &c, params, false));
            let r = r?;
            if best.as_ref().is_none_or(|(_, b)| s < *b) {
                best = Some((r, s));
            }
        }
        let Some((r, cpu_seconds)) = best else {
            continue;
        };
        let dt = eval::EpisodeSettings::from_config(&c)?.dt();
        runs.push(EngineRun {
            engine: name.to_string(),
            gait: eval::stats::gait_stats(&r.episode, dt),
            cost: r.cost.total,
            cpu_seconds,
        });
    }
    Ok(GaitComparison {
        sim_time: cfg.sim_time,
        runs,
    })
}

impl std::fmt::Display for GaitComparison {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "closed loop, {} s episode: gait statistics per engine",
            self.sim_time
        )?;
        writeln!(f, "  engine   walked s  dist m   speed m/s  stride s  stride m  stance  peak vGRF L/R (BW)  cost          CPU s")?;
        for r in &self.runs {
            let g = &r.gait;
            writeln!(
                f,
                "  {:<8} {:>8.2}  {:>6.2}   {:>8.4}   {:>7.4}   {:>7.4}   {:>5.3}   {:>5.2} / {:<5.2}       {:<12.6}  {:.2}",
                r.engine,
                g.walked_s,
                g.distance_m,
                g.speed_mps,
                g.stride_time_s,
                g.stride_length_m,
                g.stance_fraction,
                g.peak_vgrf_bw[0],
                g.peak_vgrf_bw[1],
                r.cost,
                r.cpu_seconds
            )?;
        }
        Ok(())
    }
}
