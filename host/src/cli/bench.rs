//! `myoreflex bench`: physics steps per second of the native simulator, single-threaded, on a
//! walking-like workload, and CPU milliseconds per 20 simulated seconds.

use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Model variant (one of the model files shipped in host/models).
    #[arg(long, default_value = "baseline")]
    pub model: String,
    /// A model file in the project's format (`myoreflex model import`); overrides --model.
    #[arg(long = "model_path")]
    pub model_path: Option<std::path::PathBuf>,
    /// Physics steps to time (at least 1000: shorter runs time mostly noise).
    #[arg(long, default_value_t = 20_000, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1000..))]
    pub steps: usize,
    /// Print one JSON object `{"physics_steps_per_s": .., "cpu_ms_per_20s": ..}`.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let name = match &a.model_path {
        Some(p) => p.display().to_string(),
        None => a.model.clone(),
    };
    let model = match &a.model_path {
        Some(p) => {
            let m = crate::model::Model::load_json(p)?;
            crate::sim::build::build(&m)
                .with_context(|| format!("compiling {} for the native simulator", p.display()))?
        }
        None => crate::sim::bench::shipped_model(&a.model).context("loading the model")?,
    };
    let (sps, ms) = crate::sim::bench::measure(model, a.steps).context("running the workload")?;
    if a.json {
        println!(
            "{}",
            serde_json::json!({ "physics_steps_per_s": sps, "cpu_ms_per_20s": ms })
        );
    } else {
        println!("native simulator, model {}: {:.0} physics steps/s (single thread), {:.1} ms CPU per 20 simulated s", name, sps, ms);
    }
    Ok(())
}
