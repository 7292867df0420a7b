//! `myoreflex compare` (cargo feature `mujoco`): how far the native simulator is from MuJoCo.
//! Open loop on the `dynamics_*` recordings (state distance over the first 200 ms), and with
//! `--param_path` the closed-loop episode of that parameter file and config on both engines
//! (gait statistics over the whole episode, cost, CPU seconds per episode).

use crate::config::ConfigArgs;
use crate::mujoco::{compare, gait, models};
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub cfg: ConfigArgs,
    /// `dynamics_<tag>_meta.json` recordings for the open-loop part (default: every one in the
    /// reference folder).
    #[arg(long = "recording")]
    pub recordings: Vec<PathBuf>,
    /// Folder laid out like MyoAssist's `models/` (MJCF files under `22muscle_2D/`).
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Skip the open-loop part (only the closed-loop episode of `--param_path`).
    #[arg(long)]
    pub no_open_loop: bool,
    /// Engines of the closed-loop episode.
    #[arg(long, value_delimiter = ',', default_value = "native,mujoco")]
    pub engines: Vec<String>,
    /// Runs of the closed-loop episode per engine; the fastest CPU time is reported (a
    /// benchmark: `--no-open-loop --engines mujoco --repeat 3`).
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let cfg = a.cfg.load().context("loading the run configuration")?;
    let mut out = serde_json::Map::new();
    if !a.no_open_loop {
        let recs = if a.recordings.is_empty() {
            compare::recordings(&crate::reference::dir())?
        } else {
            a.recordings
        };
        anyhow::ensure!(!recs.is_empty(), "no dynamics_*_meta.json recordings found (set MYOREFLEX_REFERENCE or pass --recording)");
        let models_dir = a.models.unwrap_or_else(models::reference_models_dir);
        let mut reports = Vec::new();
        for r in &recs {
            let text =
                std::fs::read_to_string(r).with_context(|| format!("reading {}", r.display()))?;
            let meta: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("parsing {}", r.display()))?;
            let name = meta["model"]
                .as_str()
                .with_context(|| format!("{}: no `model` field", r.display()))?;
            let mjcf = models::model_file(&models_dir, name)
                .with_context(|| format!("{}: unknown model `{name}`", r.display()))?;
            let native = crate::sim::bench::shipped_model(name)
                .with_context(|| format!("native model `{name}`"))?;
            let mut native = crate::sim::engine::NativeEngine::new(native)?;
            let rep = compare::compare(r, &mjcf, &mut native)?;
            if !a.json {
                print!("{rep}");
            }
            reports.push(rep);
        }
        out.insert("open_loop".into(), serde_json::to_value(&reports)?);
    }
    if let Some(p) = &cfg.param_path {
        let params = crate::io::param_file::read_params(std::path::Path::new(p))
            .with_context(|| format!("reading --param_path {p}"))?;
        let g = gait::compare(&cfg, &params, &a.engines, a.repeat)?;
        if !a.json {
            print!("{g}");
        }
        out.insert("closed_loop".into(), serde_json::to_value(&g)?);
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(())
}
