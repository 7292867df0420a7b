//! `myoreflex export`: writes the parameter blob for the exo firmware from a parameter file, or
//! (`--inspect`) prints what a blob holds / why it is rejected.

use crate::config::ConfigArgs;
use crate::export::{self, ExoSpec, DEFAULT_DEVICE_LIMIT};
use anyhow::{bail, Context};
use controller::blob::{DeviceClass, Limits};
use controller::exo::ExoKind;
use std::path::{Path, PathBuf};

/// Keys that say which exo profile a run used.
const EXO_KEYS: [&str; 4] = ["use_4param_spline", "n_points", "ExoOn", "exo_bool"];

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  myoreflex export --params run_Best.txt --config tutorial --device tutorial --out run.blob\n  \
myoreflex export --params run_Best.txt --use_4param_spline --max_torque 30 --device dephy --out run.blob\n  \
myoreflex export --inspect run.blob"
)]
pub struct Args {
    /// Parameter file (MyoAssist `_Best.txt`/`_BestLast.txt`: one value per line).
    #[arg(long, value_name = "FILE", required_unless_present = "inspect")]
    pub params: Option<PathBuf>,
    /// Device the blob is for (default: the config's `model`, if it is one of these).
    #[arg(long, value_parser = ["dephy", "hmedi", "humotech", "tutorial", "openexo"])]
    pub device: Option<String>,
    /// Where to write the blob.
    #[arg(long, value_name = "FILE.blob", required_unless_present = "inspect")]
    pub out: Option<PathBuf>,
    /// Print what a blob holds, or its reject reason (non-zero exit).
    #[arg(long, value_name = "FILE.blob", conflicts_with_all = ["params", "out"])]
    pub inspect: Option<PathBuf>,
    /// Device torque limit (N m) the profile's dry run must stay under.
    #[arg(long = "device_limit", value_name = "NM", default_value_t = DEFAULT_DEVICE_LIMIT)]
    pub device_limit: f64,
    #[command(flatten)]
    pub cfg: ConfigArgs,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    if let Some(path) = &a.inspect {
        return inspect(path, &a);
    }
    let (Some(params), Some(out)) = (&a.params, &a.out) else {
        bail!("export needs --params FILE and --out FILE.blob")
    };
    let cfg = a.cfg.load().context("loading the run configuration")?;
    let file = params.display().to_string();
    let bytes =
        std::fs::read(params).with_context(|| format!("cannot read parameter file {file}"))?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{file} is not a text parameter file"))?;
    let x = crate::io::param_file::parse_params(params, text)?;
    let said = cfg.source.is_some()
        || cfg
            .explicit
            .iter()
            .any(|(k, _)| EXO_KEYS.contains(&k.as_str()));
    let exo_said_off = cfg
        .explicit
        .iter()
        .any(|(k, _)| k == "ExoOn" || k == "exo_bool")
        && !cfg.exo_on;
    if exo_said_off || (cfg.source.is_some() && !cfg.exo_on) {
        return Err(export::ExportError::ExoOff { file }.into());
    }
    let kind = if said {
        if cfg.use_4param_spline {
            ExoKind::FourParam
        } else {
            ExoKind::NPoint(cfg.n_points)
        }
    } else {
        export::infer_kind(x.len()).ok_or_else(|| export::ExportError::NoExoSlice {
            file: file.clone(),
            got: x.len(),
        })?
    };
    let device = match a
        .device
        .as_deref()
        .or_else(|| DeviceClass::from_name(&cfg.model).map(|d| d.name()))
    {
        Some(name) => {
            crate::hil::device_class("--device", name).map_err(anyhow::Error::msg)?
        }
        None => bail!(
            "which device is the blob for? pass --device {} (config model `{}` is not an exo device)",
            crate::hil::device_names(),
            cfg.model
        ),
    };
    let spec = ExoSpec {
        kind,
        max_torque: cfg.max_torque,
        fixed_exo: cfg.fixed_exo,
    };
    let payload = export::payload(&file, &x, &spec, export::provenance(x.len(), &bytes))?;
    let blob = export::encode(&file, device, &payload, a.device_limit)?;
    crate::io::write_atomic(out, &blob)?;
    let how = if said {
        ""
    } else {
        " (inferred from the file length; pass --config or exo flags to choose)"
    };
    let what = match kind {
        ExoKind::FourParam => "4-parameter".to_string(),
        ExoKind::NPoint(n) => format!("{n}-point"),
    };
    println!(
        "wrote {} ({} bytes): {what} profile{how}, max_torque {} N m, device {}, checked against {} N m",
        out.display(),
        blob.len(),
        cfg.max_torque,
        device.name(),
        a.device_limit
    );
    Ok(())
}

fn inspect(path: &Path, a: &Args) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read blob {}", path.display()))?;
    let device = a.device.as_deref().and_then(DeviceClass::from_name);
    let limits = Limits {
        device,
        max_torque: a.device_limit as f32,
    };
    let (text, result) = export::describe(&bytes, &limits);
    print!("{text}");
    match result {
        Ok(_) => Ok(()),
        Err(r) => bail!("{}: blob rejected: {r}", path.display()),
    }
}
