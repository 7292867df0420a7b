//! `myoreflex compare` (cargo feature `mujoco`): how far the native simulator is from MuJoCo on
//! the open-loop recordings (state distance over the first 200 ms).

use crate::mujoco::{compare, models};
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `dynamics_<tag>_meta.json` recordings to compare on (default: every one in the reference
    /// folder).
    #[arg(long = "recording")]
    pub recordings: Vec<PathBuf>,
    /// Folder laid out like MyoAssist's `models/` (MJCF files under `22muscle_2D/`).
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Print one JSON array of reports.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let recs = if a.recordings.is_empty() { compare::recordings(&crate::reference::dir())? } else { a.recordings };
    anyhow::ensure!(!recs.is_empty(), "no dynamics_*_meta.json recordings found (set MYOREFLEX_REFERENCE or pass --recording)");
    let models_dir = a.models.unwrap_or_else(models::reference_models_dir);
    let mut reports = Vec::new();
    for r in &recs {
        let text = std::fs::read_to_string(r).with_context(|| format!("reading {}", r.display()))?;
        let meta: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", r.display()))?;
        let name = meta["model"].as_str().with_context(|| format!("{}: no `model` field", r.display()))?;
        let mjcf = models::model_file(&models_dir, name).with_context(|| format!("{}: unknown model `{name}`", r.display()))?;
        let native = crate::sim::bench::reference_model(name).with_context(|| format!("native model `{name}`"))?;
        let mut native = crate::sim::engine::NativeEngine::new(native)?;
        let rep = compare::compare(r, &mjcf, &mut native)?;
        if !a.json {
            print!("{rep}");
        }
        reports.push(rep);
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    Ok(())
}
