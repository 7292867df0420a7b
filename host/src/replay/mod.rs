//! Offline replay: the reflex controller (and the exo controller when the run has one) on a
//! recorded sensor log, one output row per input row (`myoreflex replay`).
//!
//! This is how users try a tuned controller on lab recordings and how parity with MyoAssist is
//! proven: the reference folder's `reflex_*` cases are reproduced exactly.

pub mod columns;
pub mod meta;

use crate::io::csv_table::Cell;
use crate::io::{CsvTable, CsvWriter, IoError};
use columns::ExoRow;
pub use columns::InputColumns;
use controller::exo::{mujoco_control, ExoController, ExoKind};
use controller::float::Real;
use controller::muscles::{Side, N_MUSCLES};
use controller::params::pose::{Pose, PoseKey};
use controller::params::reflex_table::ReflexParams;
use controller::params::{Layout, N_REFLEX};
use controller::reflex::{DelayMode, Reflex, ResetState, Sensors};
use std::path::PathBuf;

/// Errors of a replay.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("{}: {found} parameters, but {what} needs {expected}; {hint}", path.display())]
    ParamCount {
        path: PathBuf,
        found: usize,
        expected: usize,
        what: String,
        hint: String,
    },
    #[error("{}: {msg}", path.display())]
    Meta { path: PathBuf, msg: String },
    #[error("exo parameters {params:?} are not a valid {kind:?} profile: {msg}")]
    Exo {
        kind: ExoKind,
        params: Vec<f64>,
        msg: String,
    },
    #[error("{0}")]
    Flags(String),
}

/// The exo flags of a run (`--ExoOn`, `--use_4param_spline`, `--n_points`, `--max_torque`,
/// `--fixed_exo`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExoFlags {
    pub exo_on: bool,
    pub use_4param_spline: bool,
    pub n_points: usize,
    pub max_torque: f64,
    pub fixed_exo: bool,
}

impl Default for ExoFlags {
    /// The original's defaults: exo off, n-point with 4 points, 10 N m.
    fn default() -> Self {
        ExoFlags {
            exo_on: false,
            use_4param_spline: false,
            n_points: 4,
            max_torque: 10.0,
            fixed_exo: false,
        }
    }
}

impl ExoFlags {
    /// The parameter layout these flags give.
    pub fn layout(&self) -> Result<Layout, ReplayError> {
        Layout::from_flags(self.exo_on, self.use_4param_spline, self.n_points)
            .map_err(|e| ReplayError::Flags(e.to_string()))
    }
}

/// Explicit reset values (from a `_meta.json`): the sample the buffers are filled with, the
/// initial activations and the parameters the initial α_tgt lines were computed with.
#[derive(Clone, Debug, PartialEq)]
pub struct ResetValues {
    pub sample: Sensors<f64>,
    pub act: [[f64; N_MUSCLES]; 2],
    pub buffer_params: ReflexParams<f64>,
}

/// Everything a replay needs besides the sensor log.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplaySetup {
    pub mode: DelayMode,
    pub pose: PoseKey,
    /// Full parameter vector (77 human values + exo slice).
    pub params: Vec<f64>,
    pub exo: ExoFlags,
    /// Control step, s (the exo's stance timer; 0.01 non-delayed, 0.001 delayed).
    pub dt: f64,
    /// `None`: reset from the first row, the pose parameters and default α_tgt parameters.
    pub reset: Option<ResetValues>,
}

impl ReplaySetup {
    /// A setup from a parameter vector and flags, checking the vector length against them.
    pub fn from_params(
        path: &std::path::Path,
        params: Vec<f64>,
        mode: DelayMode,
        pose: PoseKey,
        exo: ExoFlags,
    ) -> Result<Self, ReplayError> {
        let layout = exo.layout()?;
        if params.len() != layout.len() {
            let what = match layout.exo {
                None => "a run without exo (77 human values)".to_string(),
                Some(ExoKind::FourParam) => "the 4-parameter exo (77 human + 4)".to_string(),
                Some(ExoKind::NPoint(n)) => format!("the {n}-point exo (77 human + {})", 2 * n),
            };
            let hint = if params.len() < controller::params::N_HUMAN {
                "a parameter file holds one value per line: 77 human values, then the exo slice"
                    .to_string()
            } else {
                "give the run's exo flags (--ExoOn 1 --use_4param_spline, or --ExoOn 1 --n_points N) or --meta FILE_meta.json".to_string()
            };
            return Err(ReplayError::ParamCount {
                path: path.to_path_buf(),
                found: params.len(),
                expected: layout.len(),
                what,
                hint,
            });
        }
        Ok(ReplaySetup {
            mode,
            pose,
            params,
            exo,
            dt: mode.dt(),
            reset: None,
        })
    }

    fn layout(&self) -> Result<Layout, ReplayError> {
        self.exo.layout()
    }
}

/// The result: header and one row of cells per input row.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayOutput {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl ReplayOutput {
    /// Values of column `name` as f64.
    pub fn column(&self, name: &str) -> Option<Vec<f64>> {
        let c = self.headers.iter().position(|h| h == name)?;
        Some(
            self.rows
                .iter()
                .map(|r| match r[c] {
                    Cell::F(x) => x,
                    Cell::I(k) => k as f64,
                })
                .collect(),
        )
    }

    /// The CSV text.
    pub fn to_csv(&self) -> CsvWriter {
        let mut w = CsvWriter::new(&self.headers);
        for r in &self.rows {
            w.row(r);
        }
        w
    }
}

/// Runs the controller over every row of `table` in float type `R`.
///
/// Columns `step` and `time`, when present, are copied to the output first.
pub fn run<R: Real>(setup: &ReplaySetup, table: &CsvTable) -> Result<ReplayOutput, ReplayError> {
    let cols = InputColumns::find(table)?;
    let layout = setup.layout()?;
    layout
        .check_len(setup.params.len())
        .map_err(|e| ReplayError::Flags(e.to_string()))?;
    let first = table.rows.first().ok_or_else(|| {
        IoError::file(
            table.files.first().cloned().unwrap_or_default(),
            "no data rows",
        )
    })?;

    let p: Vec<R> = setup.params.iter().map(|&v| R::c(v)).collect();
    let reflex51: [R; N_REFLEX] = core::array::from_fn(|i| p[i]);
    let params = ReflexParams::from_normalized(&reflex51);
    let pose = Pose::from_vector(&p, setup.pose)
        .ok_or_else(|| ReplayError::Flags("parameter vector shorter than 77".into()))?;

    let mut reflex = Reflex::<R>::new(setup.mode);
    match &setup.reset {
        Some(rv) => {
            let init = ResetState {
                pose: setup.pose,
                sample: rv.sample.cast(),
                act: rv.act.map(|a| a.map(R::c)),
            };
            let bp = ReflexParams::from_physical(&rv.buffer_params.to_physical().map(R::c));
            reflex.reset_with_buffer_params(&init, &params, &bp);
        }
        None => {
            let init = ResetState {
                pose: setup.pose,
                sample: cols.sensors(first),
                act: pose.act,
            };
            reflex.reset(&init, &params);
        }
    }

    let mut exo = match layout.exo {
        Some(kind) => {
            let slice = &p[layout.exo_range()];
            let mk = || {
                ExoController::new(kind, slice, R::c(setup.exo.max_torque), setup.exo.fixed_exo)
                    .map_err(|e| ReplayError::Exo {
                        kind,
                        params: setup.params[layout.exo_range()].to_vec(),
                        msg: e.message().to_string(),
                    })
            };
            Some([mk()?, mk()?])
        }
        None => None,
    };

    let pass: Vec<(String, usize)> = ["step", "time"]
        .iter()
        .filter_map(|n| table.col(n).map(|c| (n.to_string(), c)))
        .collect();
    let mut headers: Vec<String> = pass.iter().map(|(n, _)| n.clone()).collect();
    headers.extend(columns::output_headers(exo.is_some()));

    let dt = R::c(setup.dt);
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let s = cols.sensors::<R>(row);
        let out = reflex.step(&s);
        let exo_row = exo.as_mut().map(|legs| {
            Side::BOTH.map(|side| {
                let e = &mut legs[side.idx()];
                let tau = e.step(R::c(row[cols.load_col(side)]), dt);
                let st = e.stance();
                let r: ExoRow = [
                    e.stance_pct().f64(),
                    tau.f64(),
                    st.stance_time().f64(),
                    st.avg_stance().f64(),
                    mujoco_control(tau).f64(),
                ];
                r
            })
        });
        let mut cells: Vec<Cell> = pass
            .iter()
            .map(|(n, c)| {
                if n == "step" && row[*c].fract() == 0.0 {
                    Cell::I(row[*c] as i64)
                } else {
                    Cell::F(row[*c])
                }
            })
            .collect();
        cells.extend(columns::output_cells(&out, exo_row.as_ref()));
        rows.push(cells);
    }
    Ok(ReplayOutput { headers, rows })
}
