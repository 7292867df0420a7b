//! Reads a reference case's `_meta.json` (`../shared/reference/README.md` section 9): run
//! flags, the parameter vector and the recorded reset values.

use super::{ExoFlags, ReplayError, ReplaySetup, ResetValues};
use crate::io::CsvTable;
use controller::muscles::{Muscle, MUSCLES, N_MUSCLES};
use controller::params::pose::PoseKey;
use controller::params::reflex_table::{ReflexParams, REFLEX_TABLE};
use controller::reflex::DelayMode;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A parsed meta file.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    pub setup: ReplaySetup,
    /// Data files of the case (`files`), resolved next to the meta file, in order.
    pub files: Vec<PathBuf>,
}

fn err(path: &Path, msg: impl Into<String>) -> ReplayError {
    ReplayError::Meta {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

fn num(path: &Path, v: Option<&Value>, what: &str) -> Result<f64, ReplayError> {
    match v {
        Some(Value::Number(n)) => n
            .as_f64()
            .ok_or_else(|| err(path, format!("`{what}` is not a number"))),
        Some(Value::Bool(b)) => Ok(*b as u8 as f64),
        Some(Value::String(s)) => match s.as_str() {
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            "nan" => Ok(f64::NAN),
            _ => Err(err(path, format!("`{what}` is not a number: {s:?}"))),
        },
        _ => Err(err(path, format!("missing or non-numeric `{what}`"))),
    }
}

fn flag(path: &Path, v: Option<&Value>, what: &str) -> Result<bool, ReplayError> {
    Ok(num(path, v, what)? != 0.0)
}

impl Meta {
    /// Reads and checks a meta file.
    pub fn read(path: &Path) -> Result<Meta, ReplayError> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::io::IoError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let j: Value =
            serde_json::from_str(&text).map_err(|e| err(path, format!("not valid JSON: {e}")))?;
        let f = j
            .get("config_flags")
            .ok_or_else(|| err(path, "missing `config_flags`"))?;
        let mode = DelayMode::from_flag(flag(path, f.get("delayed"), "config_flags.delayed")?);
        let pose_name = f
            .get("pose_key")
            .and_then(Value::as_str)
            .unwrap_or("walk_left");
        let pose = PoseKey::parse(pose_name).ok_or_else(|| {
            err(
                path,
                format!("unknown pose_key `{pose_name}` (walk_left or walk_right)"),
            )
        })?;
        let exo = ExoFlags {
            exo_on: flag(path, f.get("ExoOn"), "config_flags.ExoOn")?,
            use_4param_spline: flag(
                path,
                f.get("use_4param_spline"),
                "config_flags.use_4param_spline",
            )?,
            n_points: num(path, f.get("n_points"), "config_flags.n_points")? as usize,
            max_torque: num(path, f.get("max_torque"), "config_flags.max_torque")?,
            fixed_exo: flag(path, f.get("fixed_exo"), "config_flags.fixed_exo")?,
        };
        let params: Vec<f64> = j
            .get("params")
            .and_then(Value::as_array)
            .ok_or_else(|| err(path, "missing `params`"))?
            .iter()
            .enumerate()
            .map(|(i, v)| num(path, Some(v), &format!("params[{i}]")))
            .collect::<Result<_, _>>()?;
        if let Some(k) = params.iter().position(|v| !v.is_finite()) {
            return Err(err(path, format!("params[{k}] is not finite")));
        }
        let mut setup = ReplaySetup::from_params(path, params, mode, pose, exo)?;
        if let Some(dt) = j.get("ctrl_dt") {
            setup.dt = num(path, Some(dt), "ctrl_dt")?;
        }
        setup.reset = Some(reset_values(
            path,
            j.get("reset").ok_or_else(|| err(path, "missing `reset`"))?,
        )?);
        let dir = path.parent().unwrap_or(Path::new("."));
        let files = match j.get("files").and_then(Value::as_array) {
            Some(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(|f| dir.join(f))
                .collect(),
            None => Vec::new(),
        };
        Ok(Meta { setup, files })
    }
}

fn reset_values(path: &Path, r: &Value) -> Result<ResetValues, ReplayError> {
    // the sample has the in_* columns' names without the prefix: reuse the column mapping
    let sample = r
        .get("sample")
        .and_then(Value::as_object)
        .ok_or_else(|| err(path, "missing `reset.sample`"))?;
    let mut headers = Vec::new();
    let mut row = Vec::new();
    for (k, v) in sample {
        if let Ok(x) = num(path, Some(v), &format!("reset.sample.{k}")) {
            headers.push(format!("in_{k}"));
            row.push(x);
        }
    }
    let table = CsvTable {
        headers,
        rows: vec![row],
        origin: vec![(0, 1)],
        files: vec![path.to_path_buf()],
    };
    let cols =
        super::InputColumns::find(&table).map_err(|e| err(path, format!("reset.sample: {e}")))?;
    let sample = cols.sensors::<f64>(&table.rows[0]);

    let mut act = [[controller::params::pose::DEFAULT_ACT; N_MUSCLES]; 2];
    let musc = r
        .get("init_musc")
        .ok_or_else(|| err(path, "missing `reset.init_musc`"))?;
    for (i, leg) in ["r_leg", "l_leg"].iter().enumerate() {
        let Some(m) = musc.get(leg).and_then(Value::as_object) else {
            continue;
        };
        for (name, v) in m {
            let mu: Muscle = *MUSCLES.iter().find(|x| x.name() == name).ok_or_else(|| {
                err(
                    path,
                    format!("reset.init_musc.{leg}: unknown muscle `{name}`"),
                )
            })?;
            act[i][mu.idx()] = num(path, Some(v), &format!("reset.init_musc.{leg}.{name}"))?;
        }
    }

    let buffer_params = match r.get("cp_at_buffer_reset") {
        Some(cp) => {
            let mut v = [0.0; 51];
            for (i, spec) in REFLEX_TABLE.iter().enumerate() {
                v[i] = num(
                    path,
                    cp.get(spec.name),
                    &format!("reset.cp_at_buffer_reset.{}", spec.name),
                )?;
            }
            ReflexParams::from_physical(&v)
        }
        None => ReflexParams::default(),
    };
    Ok(ResetValues {
        sample,
        act,
        buffer_params,
    })
}
