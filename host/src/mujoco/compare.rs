//! How far the native simulator is from MuJoCo: both engines started from the same recorded
//! full states (`full_state_checkpoints` of the `dynamics_*` recordings, every 100 ms) and
//! driven open loop by the same recorded controls; the distance of the independent DOFs at
//! 10, 50 and 200 ms, median and max over the start points (the same statistic as the
//! "divergence" tables of the reference README section 13).

use super::MujocoEngine;
use crate::engine::{Engine, EngineError, DOF_NAMES, MUSCLE_NAMES};
use crate::io::csv_table::CsvTable;
use crate::sim::engine::NativeEngine;
use std::path::{Path, PathBuf};

/// Horizons the distances are reported at, ms.
pub const HORIZONS_MS: [usize; 3] = [10, 50, 200];
/// Start points are the checkpoints at multiples of this many steps.
pub const START_EVERY: usize = 100;

/// Errors of the comparison.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("{path}: {msg}")]
    File { path: String, msg: String },
    #[error("{0}")]
    Engine(#[from] EngineError),
    #[error("{0}")]
    Io(#[from] crate::io::IoError),
}

fn file_err(path: &Path, msg: impl ToString) -> CompareError {
    CompareError::File {
        path: path.display().to_string(),
        msg: msg.to_string(),
    }
}

/// Distances at one horizon: median and max over the start points.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Horizon {
    pub ms: usize,
    /// max |Δq| over the 9 angular DOFs, rad.
    pub q_ang_median: f64,
    pub q_ang_max: f64,
    /// max |Δq| over pelvis_tx/ty, m.
    pub q_lin_median: f64,
    pub q_lin_max: f64,
    /// max |Δq̇| over all 11 DOFs (rad/s or m/s).
    pub v_median: f64,
    pub v_max: f64,
}

/// The comparison on one recording.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report {
    pub tag: String,
    pub model: String,
    pub start_points: usize,
    pub horizons: Vec<Horizon>,
}

/// Value of column `col` in row `r` (None when the table has no such column or row).
fn cell(t: &CsvTable, r: usize, col: &str) -> Option<f64> {
    t.col(col).and_then(|c| t.rows.get(r).map(|row| row[c]))
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default()
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let m = if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        0.5 * (v[v.len() / 2 - 1] + v[v.len() / 2])
    };
    (m, v[v.len() - 1])
}

/// Every `dynamics_*_meta.json` in `dir`, sorted.
pub fn recordings(dir: &Path) -> Result<Vec<PathBuf>, CompareError> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| file_err(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("dynamics_") && n.ends_with("_meta.json"))
        })
        .collect();
    v.sort();
    Ok(v)
}

/// Runs the comparison on one recording. `mujoco_model` is the MJCF of the recording's model,
/// `native` the native engine of the same model.
pub fn compare(
    meta_path: &Path,
    mujoco_model: &Path,
    native: &mut NativeEngine,
) -> Result<Report, CompareError> {
    let text = std::fs::read_to_string(meta_path).map_err(|e| file_err(meta_path, e))?;
    let meta: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| file_err(meta_path, e))?;
    let dir = meta_path.parent().unwrap_or(Path::new("."));
    let mut parts = Vec::new();
    for f in meta["files"]
        .as_array()
        .ok_or_else(|| file_err(meta_path, "no `files` list"))?
    {
        let name = f["file"]
            .as_str()
            .ok_or_else(|| file_err(meta_path, "`files` entry without `file`"))?;
        parts.push(dir.join(name));
    }
    let rows = CsvTable::read_parts(&parts, false)?;
    let first = cell(&rows, 0, "step").unwrap_or(0.0) as usize;
    let mut mj = MujocoEngine::load(mujoco_model)?;
    let n_exo = mj.n_exo();
    let ctrl_at = |r: usize| -> ([f64; 22], Vec<f64>) {
        let mut m = [0.0; 22];
        for (i, name) in MUSCLE_NAMES.iter().enumerate() {
            m[i] = cell(&rows, r, &format!("ctrl_{name}")).unwrap_or(0.0);
        }
        let exo = ["Exo_R", "Exo_L"]
            .iter()
            .take(n_exo)
            .map(|n| cell(&rows, r, &format!("ctrl_{n}")).unwrap_or(0.0))
            .collect();
        (m, exo)
    };
    let horizon_max = HORIZONS_MS.iter().copied().max().unwrap_or(0);
    let mut per_h: Vec<[Vec<f64>; 3]> = HORIZONS_MS
        .iter()
        .map(|_| [Vec::new(), Vec::new(), Vec::new()])
        .collect();
    let mut starts = 0;
    for cp in meta["full_state_checkpoints"]["states"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let step = cp["step"].as_u64().unwrap_or(0) as usize;
        if !step.is_multiple_of(START_EVERY)
            || step < first
            || step - first + horizon_max > rows.rows.len()
        {
            continue;
        }
        let (qpos, qvel, act) = (floats(&cp["qpos"]), floats(&cp["qvel"]), floats(&cp["act"]));
        let time = cp["time"].as_f64().unwrap_or(0.0);
        {
            let d = mj.data_mut();
            d.reset();
            if qpos.len() != d.qpos().len()
                || qvel.len() != d.qvel().len()
                || act.len() != d.act().len()
            {
                return Err(file_err(
                    meta_path,
                    format!(
                        "checkpoint at step {step} does not fit the model {}",
                        mujoco_model.display()
                    ),
                ));
            }
            d.qpos_mut().copy_from_slice(&qpos);
            d.qvel_mut().copy_from_slice(&qvel);
            d.act_mut().copy_from_slice(&act);
            d.set_time(time);
            d.forward();
        }
        native.sim.set_mujoco_state(&qpos, &qvel, &act);
        native.sim.time = time;
        let r0 = step - first;
        let mut k = 0;
        for (h, &ms) in HORIZONS_MS.iter().enumerate() {
            while k < ms {
                let (m, e) = ctrl_at(r0 + k);
                mj.set_ctrl(&m, &e);
                native.set_ctrl(&m, &e);
                mj.step(1)?;
                native.step(1)?;
                k += 1;
            }
            let (a, b) = (mj.observe(), native.observe());
            let dq: Vec<f64> = (0..DOF_NAMES.len())
                .map(|i| (a.q[i] - b.q[i]).abs())
                .collect();
            let dv = (0..DOF_NAMES.len())
                .map(|i| (a.qd[i] - b.qd[i]).abs())
                .fold(0.0, f64::max);
            per_h[h][0].push(dq[2..].iter().copied().fold(0.0, f64::max));
            per_h[h][1].push(dq[0].max(dq[1]));
            per_h[h][2].push(dv);
        }
        starts += 1;
    }
    let horizons = HORIZONS_MS
        .iter()
        .zip(per_h)
        .map(|(&ms, [a, l, v])| {
            let ((am, ax), (lm, lx), (vm, vx)) = (stats(a), stats(l), stats(v));
            Horizon {
                ms,
                q_ang_median: am,
                q_ang_max: ax,
                q_lin_median: lm,
                q_lin_max: lx,
                v_median: vm,
                v_max: vx,
            }
        })
        .collect();
    Ok(Report {
        tag: meta["tag"].as_str().unwrap_or("").to_string(),
        model: meta["model"].as_str().unwrap_or("").to_string(),
        start_points: starts,
        horizons,
    })
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} (model {}, {} start points): native vs MuJoCo, open loop, median / max",
            self.tag, self.model, self.start_points
        )?;
        writeln!(
            f,
            "  horizon   |dq| angular (rad)      |dq| pelvis x/y (m)     |dv| (rad/s, m/s)"
        )?;
        for h in &self.horizons {
            writeln!(
                f,
                "  {:>4} ms   {:.1e} / {:.1e}       {:.1e} / {:.1e}       {:.1e} / {:.1e}",
                h.ms, h.q_ang_median, h.q_ang_max, h.q_lin_median, h.q_lin_max, h.v_median, h.v_max
            )?;
        }
        Ok(())
    }
}
