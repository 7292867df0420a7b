//! `myoreflex train`: CMA-ES over episodes of a run configuration, as
//! `python -m myoassist_reflex.train --config NAME` (`../shared/spec/seed-running-optimizations.md`).
//!
//! New run: x0 (or `--param_path`), the parameter layout's bounds, sigma0 0.01 (`--sigma`) with
//! `CMA_stds` = `--sigma_gain`, `--popsize`, `--maxiter`, `--seed`, `--cma_options`, into
//! `results/<save_path>_<MMDD_HHMM>/`. Resume: `--pickle_path DIR|FILE` continues the
//! checkpoint in its own results folder exactly where it stopped (`--maxiter` may raise the limit).

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use controller::params::Layout;

use crate::config::{self, ConfigArgs, RunConfig};
use crate::optim::{BoundTransform, CmaOptions};
use crate::results::{run_dir, Checkpoint, Stamp};
use crate::train::{self, start_point, NewRun, Problem, RunSettings, Summary};

/// Tune the controller with CMA-ES (`--config NAME|PATH`, any config key as a flag).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub cfg: ConfigArgs,
    /// No progress bar or progress lines.
    #[arg(long)]
    pub quiet: bool,
    /// Objective for tests of the training machinery: `episode` (the real one) or `sphere`.
    #[arg(long, hide = true, default_value = "episode")]
    pub objective: String,
}

/// sum((x - 1)^2): a stand-in objective that exercises everything but the simulator.
struct Sphere;

impl Problem for Sphere {
    fn cost(&self, x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 1.0) * (v - 1.0)).sum()
    }
    fn cost_report(&self, x: &[f64]) -> (f64, String) {
        let c = self.cost(x);
        (
            c,
            format!("Total_Cost : {}\n", crate::cost::report::py_repr(c)),
        )
    }
}

fn problem(objective: &str, cfg: &RunConfig) -> anyhow::Result<Box<dyn Problem>> {
    match objective {
        "sphere" => Ok(Box::new(Sphere)),
        "episode" => episode_problem(cfg),
        other => bail!("unknown --objective `{other}` (episode or sphere)"),
    }
}

fn episode_problem(cfg: &RunConfig) -> anyhow::Result<Box<dyn Problem>> {
    Ok(Box::new(
        train::episode::EpisodeProblem::new(cfg).context("cannot set up the episodes")?,
    ))
}

/// Number of evaluation threads: `--threads`, capped at the cores available.
fn threads(cfg: &RunConfig) -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    cfg.threads.unwrap_or(cores).clamp(1, cores)
}

fn cma_options(cfg: &RunConfig, seed: u64) -> anyhow::Result<CmaOptions> {
    let mut o = CmaOptions::default();
    if let Some(s) = &cfg.cma_options {
        o.parse(s).context("--cma_options")?;
    }
    if let Some(p) = cfg.popsize {
        o.popsize = Some(p);
    }
    if let Some(m) = cfg.maxiter {
        o.maxiter = Some(m as u64);
    }
    o.seed = Some(o.seed.unwrap_or(seed));
    Ok(o)
}

fn new_seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (t as u64 ^ (t >> 64) as u64 ^ u64::from(std::process::id()).rotate_left(32)) % 1_000_000_007
}

fn new_run(cfg: &RunConfig, layout: &Layout) -> anyhow::Result<NewRun> {
    let n = layout.len();
    let (x0, note) = match &cfg.param_path {
        Some(p) => {
            let (x, file, how) = start_point::load(Path::new(p), layout, cfg.myoassist_parity)
                .context("--param_path")?;
            (
                x,
                format!("start from {} (exo slice: {how:?})", file.display()),
            )
        }
        None => (start_point::default_x0(layout), "start from x0".to_string()),
    };
    let (lb, ub): (Vec<f64>, Vec<f64>) = layout.bounds().unzip();
    let bounds = BoundTransform::new(lb, ub, n).context("parameter bounds")?;
    let seed = cfg.seed.unwrap_or_else(new_seed);
    let options = cma_options(cfg, seed)?;
    let stamp = Stamp::now();
    let save_path = cfg
        .save_path
        .clone()
        .unwrap_or_else(|| format!("results/{}", cfg.name));
    let dir = run_dir::create(&save_path, &stamp)?;
    let trial = run_dir::trial_name(
        cfg.cost.long_name(),
        false,
        cfg.tgt_vel,
        &stamp,
        cfg.run_suffix.as_deref(),
    );
    cfg.save(&dir, &stamp.short())
        .with_context(|| format!("cannot write the config into {}", dir.display()))?;
    let config: serde_json::Value =
        serde_json::from_str(&cfg.saved_json()).unwrap_or(serde_json::Value::Null);
    eprintln!(
        "{note}; {n} parameters; seed {}; results in {}",
        options.seed.unwrap_or(seed),
        dir.display()
    );
    Ok(NewRun {
        x0,
        bounds,
        sigma0: cfg.sigma.unwrap_or(0.01),
        stds: vec![cfg.sigma_gain.unwrap_or(10.0); n],
        options,
        run_dir: dir,
        trial,
        stamp: stamp.short(),
        config_name: cfg.saved_name(),
        config,
    })
}

/// Resumes the checkpoint at `path`. Only a `--maxiter` given on the command line changes it
/// (the checkpoint keeps its options otherwise, like a pycma pickle).
fn resume(
    cfg: &RunConfig,
    cli_maxiter: Option<u64>,
    layout: &Layout,
    mut ck: Checkpoint,
) -> anyhow::Result<Checkpoint> {
    if ck.es.dimension() != layout.len() {
        bail!(
            "--pickle_path: the checkpoint {} optimizes {} parameters, but this configuration has {} (check --ExoOn, --use_4param_spline, --n_points)",
            ck.path().display(),
            ck.es.dimension(),
            layout.len()
        );
    }
    run_dir::probe_writable(&ck.run_dir)?;
    if let Some(m) = cli_maxiter {
        ck.es.set_maxiter(m);
    }
    if cfg.popsize.is_some_and(|p| p != ck.es.popsize()) {
        eprintln!("note: --popsize is ignored when resuming (the checkpoint's population size {} is kept)", ck.es.popsize());
    }
    eprintln!(
        "resuming {} at generation {} in {}",
        ck.trial,
        ck.es.iteration(),
        ck.run_dir.display()
    );
    Ok(ck)
}

fn print_summary(s: &Summary, popsize: usize) {
    let rate = s.session_evaluations as f64 / s.seconds.max(1e-9);
    eprintln!(
        "{} on {} after generation {} ({} evaluations, popsize {popsize}; this session {:.1} s, {:.1} evaluations/s)",
        if s.interrupted { "stopped" } else { "termination" },
        s.reasons.join(", "),
        s.generations,
        s.evaluations,
        s.seconds,
        rate,
    );
    if s.failed_evaluations > 0 {
        eprintln!(
            "warning: {} evaluations failed (panicked) and were scored {}",
            s.failed_evaluations,
            train::FAILED_COST
        );
    }
    eprintln!(
        "best cost {} -> {}_Best.txt",
        crate::cost::report::py_repr(s.best_cost),
        s.trial
    );
    eprintln!(
        "best of a final sample {} -> {}_BestLast.txt",
        crate::cost::report::py_repr(s.best_last_cost),
        s.trial
    );
    eprintln!("results in {}", s.run_dir.display());
}

/// With `--pickle_path` the run goes on with the checkpoint's own config (plus the keys given
/// on the command line); a `--config` given as well must agree with it on every key its file
/// sets, else resuming would silently optimize another problem.
fn resume_config(args: &Args, ck: &Checkpoint) -> anyhow::Result<RunConfig> {
    let label = format!("checkpoint {}", ck.path().display());
    let saved = config::load_saved(&ck.config_name, &ck.config, &label, &args.cfg.overrides)?;
    if let Some(name) = &args.cfg.config {
        let file = config::load(Some(name), &[])?;
        for (k, v) in &file.explicit {
            if IGNORED_ON_RESUME.contains(&k.as_str()) {
                continue;
            }
            let from_cli = args.cfg.overrides.iter().any(|(o, _)| o == k);
            let theirs = ck.config.get(k.as_str());
            if !from_cli && theirs != Some(v) {
                bail!(
                    "--config {name}: key `{k}` is {v} but {label} was made with {}; \
                     drop --config to resume with the checkpoint's own config, or pass --{k} to change it on purpose",
                    theirs.map(|t| t.to_string()).unwrap_or_else(|| "its default".into())
                );
            }
        }
    }
    Ok(saved)
}

/// Keys that may change between a run and its resumption without changing the problem (the
/// random state and the start point come from the checkpoint: `seed` and `param_path` no
/// longer act).
const IGNORED_ON_RESUME: &[&str] = &[
    "maxiter",
    "threads",
    "save_path",
    "pickle_path",
    "popsize",
    "seed",
    "param_path",
];

pub fn run(args: Args) -> anyhow::Result<()> {
    let cfg = args.cfg.load()?;
    let checkpoint = match cfg.pickle_path.as_deref() {
        Some(p) => Some(Checkpoint::load(Path::new(p)).context("--pickle_path")?),
        None => None,
    };
    let cfg = match &checkpoint {
        Some(ck) => resume_config(&args, ck)?,
        None => cfg,
    };
    if cfg.optim_mode == "evaluate" {
        bail!("optim_mode `evaluate`: use `myoreflex eval --config ... --params FILE` for one evaluation");
    }
    let node = crate::cluster::join(cfg.cluster)?;
    let layout = Layout::from_flags(cfg.exo_on, cfg.use_4param_spline, cfg.n_points)
        .map_err(|e| anyhow::anyhow!("parameter layout: {e}"))?;
    let problem = problem(&args.objective, &cfg)?;
    let mut pop: Box<dyn crate::cluster::PopulationEval> = match node {
        crate::cluster::Node::Local => Box::new(crate::cluster::Local),
        crate::cluster::Node::Master(m) => m,
        crate::cluster::Node::Worker(w) => {
            w.serve(problem.as_ref())?;
            return Ok(());
        }
    };
    let ck = match checkpoint {
        Some(ck) => {
            let cli_maxiter = args
                .cfg
                .overrides
                .iter()
                .find(|(k, _)| k == "maxiter")
                .and_then(|(_, v)| v.as_u64());
            resume(&cfg, cli_maxiter, &layout, ck)?
        }
        None => train::start(new_run(&cfg, &layout)?)?,
    };
    let popsize = ck.es.popsize();
    let dir: PathBuf = ck.run_dir.clone();
    let interrupt = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupt.clone();
        // first Ctrl-C/SIGTERM: finish the generation, checkpoint, write results; second: exit now
        let _ = ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                eprintln!("\nexiting now; the checkpoint of the last finished generation is kept");
                std::process::exit(130);
            }
            eprintln!("\ninterrupt: finishing this generation, then writing the checkpoint and results (again to exit now)");
        });
    }
    let settings = RunSettings {
        threads: threads(&cfg),
        progress: !args.quiet,
    };
    let s = train::run_with(ck, problem.as_ref(), settings, &interrupt, pop.as_mut())?;
    drop(pop); // stops the MPI workers before the summary
    print_summary(&s, popsize);
    if s.interrupted {
        bail!(
            "interrupted at generation {}; resume with --pickle_path {}",
            s.generations,
            dir.display()
        );
    }
    Ok(())
}
