//! The training loop of `myoreflex train`: CMA-ES over a [`Problem`] with parallel evaluation,
//! a checkpoint and log rows after every generation, interruption at a generation boundary,
//! and the final MyoAssist result files (`_Best.txt`, `_BestLast.txt`, their `_Cost.txt`
//! files), the convergence plot and a summary.
//!
//! A run is a [`Checkpoint`] from the start: [`start`] makes the first one, [`run`] continues
//! any checkpoint, so resuming with `--pickle_path` is the same code path as a fresh run and
//! gives bit-identical results.

pub mod episode;
pub mod progress;
pub mod start_point;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use crate::optim::{BoundTransform, CmaEs, CmaOptions, Evaluator};
use crate::results::{checkpoint, plot, Checkpoint, DatLogger, GenRow};

/// The cost of INVALID evaluations (a panicking or failing episode), as the original's
/// simulation-error tier.
pub const FAILED_COST: f64 = crate::cost::INVALID_COST;

/// What CMA-ES optimizes.
pub trait Problem: Sync {
    /// The scalar cost of one parameter vector.
    fn cost(&self, x: &[f64]) -> f64;
    /// The total cost and the text of a `_Cost.txt` file (cost dictionary) for `x`.
    fn cost_report(&self, x: &[f64]) -> (f64, String);
    /// Extra files about `x` (trajectory, plots) named `<stem>_*` in `dir`; none by default.
    fn write_outputs(
        &self,
        dir: &std::path::Path,
        stem: &str,
        x: &[f64],
    ) -> Result<Vec<PathBuf>, String> {
        let _ = (dir, stem, x);
        Ok(Vec::new())
    }
}

/// Training failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Cma(#[from] crate::optim::CmaError),
    #[error(transparent)]
    Checkpoint(#[from] crate::results::CheckpointError),
    #[error(transparent)]
    Pool(#[from] crate::optim::batch::PoolError),
    #[error(transparent)]
    Cluster(#[from] crate::cluster::ClusterError),
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, String),
}

fn werr(p: &std::path::Path, e: impl std::fmt::Display) -> TrainError {
    TrainError::Write(p.to_path_buf(), e.to_string())
}

/// The settings of a new run.
#[derive(Clone, Debug)]
pub struct NewRun {
    pub x0: Vec<f64>,
    pub bounds: BoundTransform,
    pub sigma0: f64,
    /// pycma `CMA_stds` (per-coordinate multipliers of `sigma0`).
    pub stds: Vec<f64>,
    pub options: CmaOptions,
    pub run_dir: PathBuf,
    pub trial: String,
    pub stamp: String,
    pub config_name: String,
    pub config: serde_json::Value,
}

/// How to run (not part of the state: changing these never changes the results).
#[derive(Clone, Copy, Debug)]
pub struct RunSettings {
    pub threads: usize,
    /// Draw a progress bar (when stderr is a terminal) or print progress lines.
    pub progress: bool,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub run_dir: PathBuf,
    pub trial: String,
    pub generations: u64,
    pub evaluations: u64,
    pub best_cost: f64,
    pub best_last_cost: f64,
    pub best: Vec<f64>,
    pub best_last: Vec<f64>,
    /// pycma's termination keys, or `["interrupted"]`.
    pub reasons: Vec<String>,
    pub interrupted: bool,
    pub failed_evaluations: u64,
    pub seconds: f64,
    /// Evaluations of the optimization loop in this session (not counting the final ones).
    pub session_evaluations: u64,
}

/// The first checkpoint of a new run (also written to disk).
pub fn start(new: NewRun) -> Result<Checkpoint, TrainError> {
    let seed = new.options.seed.unwrap_or(0);
    let es = CmaEs::new(
        &new.x0,
        new.sigma0,
        Some(&new.stds),
        new.bounds,
        new.options,
    )?;
    let ck = Checkpoint {
        format: checkpoint::FORMAT.into(),
        version: checkpoint::VERSION,
        trial: new.trial,
        run_dir: new.run_dir,
        stamp: new.stamp,
        config_name: new.config_name,
        config: new.config,
        seed,
        es,
        history: Vec::new(),
    };
    ck.save()?;
    Ok(ck)
}

/// Evaluates `problem` with panics turned into [`FAILED_COST`] (counted in `failed`).
struct Guarded<'a> {
    problem: &'a dyn Problem,
    failed: &'a AtomicU64,
}

impl Guarded<'_> {
    fn cost(&self, x: &[f64]) -> f64 {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.problem.cost(x))) {
            Ok(v) => v,
            Err(_) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                FAILED_COST
            }
        }
    }
}

/// Continues `ck` until a termination criterion holds or `interrupt` is set (checked between
/// generations), then writes the result files. The checkpoint on disk always holds the state
/// after the last finished generation.
pub fn run(
    ck: Checkpoint,
    problem: &dyn Problem,
    settings: RunSettings,
    interrupt: &AtomicBool,
) -> Result<Summary, TrainError> {
    run_with(ck, problem, settings, interrupt, &mut crate::cluster::Local)
}

/// [`run`] with the populations evaluated by `pop` (local threads or MPI ranks; same results).
pub fn run_with(
    mut ck: Checkpoint,
    problem: &dyn Problem,
    settings: RunSettings,
    interrupt: &AtomicBool,
    pop: &mut dyn crate::cluster::PopulationEval,
) -> Result<Summary, TrainError> {
    let t_start = Instant::now();
    let ev = Evaluator::new(settings.threads)?;
    let dir = ck.run_dir.clone();
    let trial = ck.trial.clone();
    let log = DatLogger::open(
        &dir,
        &trial,
        ck.seed,
        &crate::results::Stamp::now().human(),
        ck.es.x0(),
    )
    .map_err(|e| werr(&dir.join("outcmaes"), e))?;
    let csv = dir.join(format!("{trial}_generations.csv"));
    let failed = AtomicU64::new(0);
    let guarded = Guarded {
        problem,
        failed: &failed,
    };
    let cost = |x: &[f64]| guarded.cost(x);
    let mut bar = progress::Progress::new(settings.progress, &ck.es, ev.threads());
    let evals0 = ck.es.evaluations();
    let mut interrupted = false;
    while ck.es.stop().is_empty() {
        if interrupt.load(Ordering::SeqCst) {
            interrupted = true;
            break;
        }
        let xs = ck.es.ask();
        let t0 = Instant::now();
        let f = pop.costs(&ev, &cost, &xs)?;
        let dt = t0.elapsed().as_secs_f64();
        ck.es.tell(&f)?;
        let row = GenRow::of(&ck.es, dt);
        row.append_csv(&csv, ck.es.popsize())
            .map_err(|e| werr(&csv, e))?;
        log.add(&ck.es)
            .map_err(|e| werr(&dir.join("outcmaes"), e))?;
        ck.history.push(row);
        ck.save()?;
        bar.generation(&ck.es, ck.history.last());
    }
    if interrupted || interrupt.load(Ordering::SeqCst) {
        interrupted = true;
        ck.save()?;
    }
    bar.finish();
    let failed = failed.load(Ordering::Relaxed) + pop.remote_failed();
    let mut s = finish(&ck, problem, &ev, pop, interrupted, failed, t_start)?;
    s.session_evaluations = ck.es.evaluations() - evals0;
    Ok(s)
}

/// Writes `_Best.txt`, `_BestLast.txt` (best of a fresh sample of the final distribution, as
/// the original), their cost files and the plot.
fn finish(
    ck: &Checkpoint,
    problem: &dyn Problem,
    ev: &Evaluator,
    pop: &mut dyn crate::cluster::PopulationEval,
    interrupted: bool,
    failed: u64,
    t0: Instant,
) -> Result<Summary, TrainError> {
    let dir = &ck.run_dir;
    let trial = &ck.trial;
    let best = ck.es.best().x.clone();
    // a copy, so the checkpoint keeps the state before this extra sample
    let mut es = ck.es.clone();
    let xs = es.ask();
    let fl = pop.costs(ev, &|x: &[f64]| problem.cost(x), &xs)?;
    let (imin, _) =
        fl.iter().enumerate().fold(
            (0, f64::INFINITY),
            |a, (i, v)| if *v < a.1 { (i, *v) } else { a },
        );
    let best_last = xs[imin].clone();
    let reports = ev.evaluate_with(&[best.clone(), best_last.clone()], |x| {
        problem.cost_report(x)
    });
    let files = [
        ("Best", &best, &reports[0]),
        ("BestLast", &best_last, &reports[1]),
    ];
    for (name, x, (_, text)) in files {
        let p = dir.join(format!("{trial}_{name}.txt"));
        crate::io::write_params(&p, x).map_err(|e| werr(&p, e))?;
        let c = dir.join(format!("{trial}_{name}_Cost.txt"));
        crate::io::write_atomic(&c, text.as_bytes()).map_err(|e| werr(&c, e))?;
    }
    if let Err(e) = problem.write_outputs(dir, &format!("{trial}_Best"), &best) {
        eprintln!("warning: plots of the best parameters: {e}");
    }
    let svg = dir.join(format!("{trial}_convergence.svg"));
    plot::convergence_svg(&svg, trial, &ck.history).map_err(|e| werr(&svg, e))?;
    let reasons = if interrupted {
        vec!["interrupted".to_string()]
    } else {
        ck.es.stop().to_vec()
    };
    Ok(Summary {
        run_dir: dir.clone(),
        trial: trial.clone(),
        generations: ck.es.iteration(),
        evaluations: ck.es.evaluations(),
        best_cost: reports[0].0,
        best_last_cost: reports[1].0,
        best,
        best_last,
        reasons,
        interrupted,
        failed_evaluations: failed,
        seconds: t0.elapsed().as_secs_f64(),
        session_evaluations: 0,
    })
}
