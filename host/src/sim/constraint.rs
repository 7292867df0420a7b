//! MuJoCo's soft constraints for the planar model: the rows the solver ([`super::solver`])
//! works on.
//!
//! Every constraint row i has a Jacobian J_i, a position `pos` (violation), a margin, an
//! impedance d(pos) from `solimp`, a regulariser R_i = (1-d)/d · diagApprox_i (MuJoCo's
//! `mj_makeImpedance`, including the pyramidal-contact rule R = 2μ²R₀), D_i = 1/R_i, and a
//! reference acceleration aref_i = -B·(J_i v) - K·d·(pos - margin).

pub const MAX_ROWS: usize = 288;
/// Most nonzeros of one row (a contact on a body moved by at most this many DOFs).
pub const MAX_ROW_NNZ: usize = 16;
const MINVAL: f64 = 1e-15;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowKind {
    Equality,
    Limit,
    Contact,
}

/// One constraint row with its sparse Jacobian.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub kind: RowKind,
    /// DOF (limits), coupling index (equalities) or contact index.
    pub id: usize,
    /// Nonzero Jacobian entries: DOFs `idx[..nnz]` (on one path of the DOF tree) and values.
    pub idx: [u8; MAX_ROW_NNZ],
    pub val: [f64; MAX_ROW_NNZ],
    pub nnz: usize,
    pub d: f64,
    pub aref: f64,
    /// For a contact row on a body moved only in the plane: the body and the force vector of
    /// the row's unit force ([`super::planar`]), J = Φᵀ·w; else `body` is `usize::MAX`.
    pub body: usize,
    pub w: [f64; 3],
}

impl Default for Row {
    fn default() -> Self {
        Row {
            kind: RowKind::Equality,
            id: 0,
            idx: [0; MAX_ROW_NNZ],
            val: [0.0; MAX_ROW_NNZ],
            nnz: 0,
            d: 0.0,
            aref: 0.0,
            body: usize::MAX,
            w: [0.0; 3],
        }
    }
}

impl Row {
    /// J·x.
    #[inline]
    pub fn dot(&self, x: &[f64]) -> f64 {
        let mut s = 0.0;
        for k in 0..self.nnz {
            s += self.val[k] * x[self.idx[k] as usize];
        }
        s
    }

    /// y += Jᵀ·f.
    #[inline]
    pub fn add_to(&self, f: f64, y: &mut [f64]) {
        for k in 0..self.nnz {
            y[self.idx[k] as usize] += self.val[k] * f;
        }
    }
}

/// MuJoCo's impedance d(x) of one `solimp` (the clamps and the curve's constants worked out).
#[derive(Clone, Copy, Debug)]
pub struct Impedance {
    dmin: f64,
    dmax: f64,
    width: f64,
    mid: f64,
    power: f64,
    /// 1/mid^(power-1) and 1/(1-mid)^(power-1).
    lo: f64,
    hi: f64,
    /// The value when the curve is flat (dmin == dmax or no width).
    constant: Option<f64>,
}

fn pw(a: f64, b: f64) -> f64 {
    if b == 1.0 {
        a
    } else if b == 2.0 {
        a * a
    } else {
        a.powf(b)
    }
}

impl Impedance {
    pub fn new(solimp: &[f64; 5]) -> Impedance {
        let (dmin, dmax) = (solimp[0].clamp(1e-4, 0.9999), solimp[1].clamp(1e-4, 0.9999));
        let width = solimp[2].max(0.0);
        let mid = solimp[3].clamp(1e-4, 0.9999);
        let power = solimp[4].max(1.0);
        Impedance {
            dmin,
            dmax,
            width,
            mid,
            power,
            lo: 1.0 / pw(mid, power - 1.0),
            hi: 1.0 / pw(1.0 - mid, power - 1.0),
            constant: (dmin == dmax || width <= MINVAL).then_some(0.5 * (dmin + dmax)),
        }
    }

    /// d at violation `pos - margin`.
    #[inline]
    pub fn at(&self, pos: f64, margin: f64) -> f64 {
        if let Some(d) = self.constant {
            return d;
        }
        let mut x = (pos - margin) / self.width;
        if x < 0.0 {
            x = -x;
        }
        if x >= 1.0 || x <= 0.0 {
            return if x >= 1.0 { self.dmax } else { self.dmin };
        }
        let y = if self.power == 1.0 {
            x
        } else if x <= self.mid {
            self.lo * pw(x, self.power)
        } else {
            1.0 - self.hi * pw(1.0 - x, self.power)
        };
        self.dmin + y * (self.dmax - self.dmin)
    }
}

/// Per-model constants of the constraint rows at one time step: each coupling's, limited
/// DOF's and hull's impedance curve and reference stiffness and damping (K, B).
#[derive(Clone, Debug, Default)]
pub struct RowConstants {
    pub timestep: f64,
    pub coupling: Vec<(Impedance, f64, f64)>,
    pub limit: Vec<(Impedance, f64, f64)>,
    pub hull: Vec<(Impedance, f64, f64)>,
}

impl RowConstants {
    pub fn new(m: &super::model::SimModel) -> RowConstants {
        let h = m.timestep;
        let of = |solref: &[f64; 2], solimp: &[f64; 5]| {
            let (k, b) = ref_kb(solref, solimp, h);
            (Impedance::new(solimp), k, b)
        };
        RowConstants {
            timestep: h,
            coupling: m
                .couplings
                .iter()
                .map(|c| of(&c.solref, &c.solimp))
                .collect(),
            limit: m
                .dofs
                .iter()
                .map(|d| of(&d.solref_limit, &d.solimp_limit))
                .collect(),
            hull: m.hulls.iter().map(|c| of(&c.solref, &c.solimp)).collect(),
        }
    }
}

/// Stiffness K and damping B of `solref` (standard format) with MuJoCo's `refsafe` clamp.
pub fn ref_kb(solref: &[f64; 2], solimp: &[f64; 5], timestep: f64) -> (f64, f64) {
    let dmax = solimp[1].clamp(1e-4, 0.9999);
    if solref[0] > 0.0 {
        let tc = solref[0].max(2.0 * timestep);
        let dr = solref[1];
        (
            1.0 / (dmax * dmax * tc * tc * dr * dr).max(MINVAL),
            2.0 / (dmax * tc).max(MINVAL),
        )
    } else {
        (
            -solref[0] / (dmax * dmax).max(MINVAL),
            -solref[1] / dmax.max(MINVAL),
        )
    }
}
