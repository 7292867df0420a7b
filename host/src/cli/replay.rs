//! `myoreflex replay`: run the reflex controller (and the exo controller when the run has one)
//! offline on a recorded sensor log and write every controller output per row.
//!
//! ```text
//! myoreflex replay --meta CASE_meta.json [--inputs CASE_part1.csv --inputs CASE_part2.csv] --out OUT.csv
//! myoreflex replay --params RUN_Best.txt [--delayed 0|1] [--pose_key walk_left]
//!     [--ExoOn 1 --use_4param_spline | --ExoOn 1 --n_points N] [--max_torque T] [--fixed_exo]
//!     --inputs LOG.csv --out OUT.csv
//! ```

use crate::io::{read_params, CsvTable};
use crate::replay::{self, meta::Meta, ExoFlags, ReplaySetup};
use anyhow::{bail, Context};
use controller::params::pose::PoseKey;
use controller::reflex::DelayMode;
use std::path::PathBuf;

/// Parses `0|1|true|false`.
fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "true" | "True" => Ok(true),
        "0" | "false" | "False" => Ok(false),
        _ => Err(format!("expected 0, 1, true or false, got `{s}`")),
    }
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["meta", "params"])))]
pub struct Args {
    /// Sensor log with the reference reflex cases' `in_*` columns; repeat for parts (read in
    /// order). Optional with --meta (then the meta's `files` are read).
    #[arg(long, value_name = "FILE.csv")]
    pub inputs: Vec<PathBuf>,
    /// A reference case's `_meta.json`: parameters, flags and recorded reset values.
    #[arg(long, value_name = "FILE_meta.json")]
    pub meta: Option<PathBuf>,
    /// Parameter file (MyoAssist `_Best.txt` or ours: one value per line).
    #[arg(long, value_name = "PARAMS.txt")]
    pub params: Option<PathBuf>,
    /// Neural delays at 1 kHz (1) or the non-delayed 100-Hz controller (0).
    #[arg(long, value_name = "0|1", value_parser = parse_bool, action = clap::ArgAction::Set, default_value = "0", conflicts_with = "meta")]
    pub delayed: bool,
    /// Keyframe the recording starts from (walk_left: right leg in swing).
    #[arg(
        long = "pose_key",
        value_name = "KEY",
        default_value = "walk_left",
        conflicts_with = "meta"
    )]
    pub pose_key: String,
    /// Exo on (the parameter file then carries the exo slice).
    #[arg(long = "ExoOn", visible_alias = "exo_bool", value_name = "0|1", value_parser = parse_bool, action = clap::ArgAction::Set, default_value = "0", conflicts_with = "meta")]
    pub exo_on: bool,
    /// Legacy 4-parameter exo profile instead of the n-point one.
    #[arg(long = "use_4param_spline", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, action = clap::ArgAction::Set, default_value = "false", conflicts_with = "meta")]
    pub use_4param_spline: bool,
    /// Number of points of the n-point exo profile.
    #[arg(
        long = "n_points",
        value_name = "N",
        default_value_t = 4,
        conflicts_with = "meta"
    )]
    pub n_points: usize,
    /// Exo torque limit, N m.
    #[arg(
        long = "max_torque",
        value_name = "T",
        default_value_t = 10.0,
        conflicts_with = "meta"
    )]
    pub max_torque: f64,
    /// 4-parameter exo: ignore the parameter slice and use the default profile.
    #[arg(long = "fixed_exo", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, action = clap::ArgAction::Set, default_value = "false", conflicts_with = "meta")]
    pub fixed_exo: bool,
    /// Run the controller in f32 (as the firmware does) instead of f64.
    #[arg(long)]
    pub f32: bool,
    /// Output CSV (written through a temporary file).
    #[arg(long, value_name = "OUT.csv")]
    pub out: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let (setup, default_inputs) = match (&a.meta, &a.params) {
        (Some(m), _) => {
            let meta = Meta::read(m)?;
            (meta.setup, meta.files)
        }
        (None, Some(p)) => {
            let pose = PoseKey::parse(&a.pose_key).with_context(|| {
                format!(
                    "--pose_key `{}`: expected walk_left or walk_right",
                    a.pose_key
                )
            })?;
            if !a.max_torque.is_finite() || a.max_torque < 0.0 {
                bail!(
                    "--max_torque {}: expected a finite value >= 0",
                    a.max_torque
                );
            }
            let exo = ExoFlags {
                exo_on: a.exo_on,
                use_4param_spline: a.use_4param_spline,
                n_points: a.n_points,
                max_torque: a.max_torque,
                fixed_exo: a.fixed_exo,
            };
            let x = read_params(p)?;
            (
                ReplaySetup::from_params(p, x, DelayMode::from_flag(a.delayed), pose, exo)?,
                Vec::new(),
            )
        }
        (None, None) => bail!("give --meta FILE_meta.json or --params PARAMS.txt"),
    };
    let inputs = if a.inputs.is_empty() {
        default_inputs
    } else {
        a.inputs.clone()
    };
    if inputs.is_empty() {
        bail!("no sensor log: give --inputs FILE.csv (repeat for parts)");
    }
    let table = CsvTable::read_parts(&inputs, true)?;
    let out = if a.f32 {
        replay::run::<f32>(&setup, &table)?
    } else {
        replay::run::<f64>(&setup, &table)?
    };
    out.to_csv().write(&a.out)?;
    eprintln!(
        "replay: {} rows from {} file(s) -> {}",
        out.rows.len(),
        inputs.len(),
        a.out.display()
    );
    Ok(())
}
