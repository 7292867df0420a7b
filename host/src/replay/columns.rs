//! Column names of recorded sensor logs and replay outputs (the reference reflex cases'
//! `in_*`, `out_*` and `exo_*` columns), and the mapping between rows and controller values.

use crate::io::csv_table::Cell;
use crate::io::{CsvTable, IoError};
use controller::float::Real;
use controller::muscles::{Side, MUSCLES};
use controller::reflex::{LegSensors, Output, Sensors, PHASE_NAMES};

/// Column indices of one leg's inputs.
#[derive(Clone, Copy, Debug)]
struct LegCols {
    load_ipsi: usize,
    /// `None` when the log has no contra/contact columns: derived from the loads.
    derived: Option<[usize; 3]>,
    talus_pos: usize,
    talus_vel: usize,
    phi: [usize; 6],
    f: [usize; 6],
}

/// Where the controller's inputs are in a table (`in_theta`, `in_<s>_phi_hip`, ...).
///
/// Required: `in_theta, in_dtheta, in_pelvis_pos_x, in_pelvis_vel_x` and per leg `s` ∈ {r, l}
/// `in_<s>_load_ipsi, in_<s>_talus_contra_pos_x, in_<s>_talus_contra_vel_x, in_<s>_phi_hip,
/// in_<s>_dphi_hip, in_<s>_phi_knee, in_<s>_dphi_knee, in_<s>_phi_ankle, in_<s>_phi_mtp,
/// in_<s>_F_GLU, _F_HAM, _F_VAS, _F_GAS, _F_SOL, _F_FDL`. `in_<s>_load_contra`,
/// `in_<s>_contact_ipsi` and `in_<s>_contact_contra` are used when all are present, else
/// derived from the loads (contact = load > 0.1). Other columns are ignored.
#[derive(Clone, Copy, Debug)]
pub struct InputColumns {
    theta: usize,
    dtheta: usize,
    pelvis_pos: usize,
    pelvis_vel: usize,
    legs: [LegCols; 2],
}

const PHI: [&str; 6] = [
    "phi_hip",
    "dphi_hip",
    "phi_knee",
    "dphi_knee",
    "phi_ankle",
    "phi_mtp",
];
const FORCES: [&str; 6] = ["F_GLU", "F_HAM", "F_VAS", "F_GAS", "F_SOL", "F_FDL"];

impl InputColumns {
    /// Finds the columns; a missing one is an error naming the file and the column.
    pub fn find(t: &CsvTable) -> Result<Self, IoError> {
        let leg = |s: Side| -> Result<LegCols, IoError> {
            let c = |n: &str| t.require(&format!("in_{}_{n}", s.letter()));
            let opt = |n: &str| t.col(&format!("in_{}_{n}", s.letter()));
            let derived = match (
                opt("load_contra"),
                opt("contact_ipsi"),
                opt("contact_contra"),
            ) {
                (Some(a), Some(b), Some(c)) => Some([a, b, c]),
                _ => None,
            };
            let mut phi = [0; 6];
            for (k, n) in PHI.iter().enumerate() {
                phi[k] = c(n)?;
            }
            let mut f = [0; 6];
            for (k, n) in FORCES.iter().enumerate() {
                f[k] = c(n)?;
            }
            Ok(LegCols {
                load_ipsi: c("load_ipsi")?,
                derived,
                talus_pos: c("talus_contra_pos_x")?,
                talus_vel: c("talus_contra_vel_x")?,
                phi,
                f,
            })
        };
        Ok(InputColumns {
            theta: t.require("in_theta")?,
            dtheta: t.require("in_dtheta")?,
            pelvis_pos: t.require("in_pelvis_pos_x")?,
            pelvis_vel: t.require("in_pelvis_vel_x")?,
            legs: [leg(Side::R)?, leg(Side::L)?],
        })
    }

    /// The sensor sample of one row.
    pub fn sensors<R: Real>(&self, row: &[f64]) -> Sensors<R> {
        let r = |i: usize| R::c(row[i]);
        let mut s = Sensors {
            theta: r(self.theta),
            dtheta: r(self.dtheta),
            pelvis_pos_x: r(self.pelvis_pos),
            pelvis_vel_x: r(self.pelvis_vel),
            leg: [LegSensors::default(); 2],
        };
        let mut derive = false;
        for (i, c) in self.legs.iter().enumerate() {
            let l = &mut s.leg[i];
            l.load_ipsi = r(c.load_ipsi);
            l.talus_contra_pos_x = r(c.talus_pos);
            l.talus_contra_vel_x = r(c.talus_vel);
            [
                l.phi_hip,
                l.dphi_hip,
                l.phi_knee,
                l.dphi_knee,
                l.phi_ankle,
                l.phi_mtp,
            ] = c.phi.map(r);
            [l.f_glu, l.f_ham, l.f_vas, l.f_gas, l.f_sol, l.f_fdl] = c.f.map(r);
            match c.derived {
                Some([lc, ci, cc]) => {
                    l.load_contra = r(lc);
                    l.contact_ipsi = row[ci] != 0.0;
                    l.contact_contra = row[cc] != 0.0;
                }
                None => derive = true,
            }
        }
        if derive {
            s.derive_contacts();
        }
        s
    }

    /// Column of this leg's own load (the exo's input).
    pub fn load_col(&self, side: Side) -> usize {
        self.legs[side.idx()].load_ipsi
    }
}

/// Names of the per-leg exo output columns (`exo_<s>_<name>`).
pub const EXO_FIELDS: [&str; 5] = ["stance_pct", "torque", "stance_time", "avg_stance", "ctrl"];

/// Output header: `out_<s>_stim_<MUS>` for both legs, then per leg the 11 phase flags,
/// `alpha_tgt`, `swing_init`, `in_contact`, then (with exo) `exo_<s>_<field>`.
pub fn output_headers(exo: bool) -> Vec<String> {
    let mut h = Vec::new();
    for s in Side::BOTH {
        for m in MUSCLES {
            h.push(format!("out_{}_stim_{}", s.letter(), m.name()));
        }
    }
    for s in Side::BOTH {
        for f in PHASE_NAMES {
            h.push(format!("out_{}_{f}", s.letter()));
        }
        for f in ["alpha_tgt", "swing_init", "in_contact"] {
            h.push(format!("out_{}_{f}", s.letter()));
        }
    }
    if exo {
        for s in Side::BOTH {
            for f in EXO_FIELDS {
                h.push(format!("exo_{}_{f}", s.letter()));
            }
        }
    }
    h
}

/// One exo leg's values for a row, in [`EXO_FIELDS`] order.
pub type ExoRow = [f64; 5];

/// The cells of one output row, in [`output_headers`] order.
pub fn output_cells<R: Real>(o: &Output<R>, exo: Option<&[ExoRow; 2]>) -> Vec<Cell> {
    let b = |x: bool| Cell::I(x as i64);
    let mut v = Vec::with_capacity(110);
    for s in 0..2 {
        v.extend(o.stim[s].iter().map(|x| Cell::F(x.f64())));
    }
    for s in 0..2 {
        v.extend(o.phases[s].as_array().map(b));
        v.push(Cell::F(o.supra[s].alpha_tgt.f64()));
        v.push(b(o.supra[s].swing_init));
        v.push(b(o.in_contact[s]));
    }
    if let Some(e) = exo {
        for leg in e {
            v.extend(leg.iter().map(|&x| Cell::F(x)));
        }
    }
    v
}
