//! MuJoCo's soft constraints and its primal solver, for the planar model.
//!
//! Every constraint row i has a Jacobian J_i, a position `pos` (violation), a margin, an
//! impedance d(pos) from `solimp`, a regulariser R_i = (1-d)/d · diagApprox_i (MuJoCo's
//! `mj_makeImpedance`, including the pyramidal-contact rule R = 2μ²R₀) and a reference
//! acceleration aref_i = -B·(J_i v) - K·d·(pos - margin). The accelerations minimise
//! ½(a-a0)ᵀM(a-a0) + Σ ½ D_i (J_i a - aref_i)² over the active rows (equalities always;
//! limits and pyramid edges while J_i a < aref_i), which is what MuJoCo's Newton solver
//! converges to. We solve it with Newton steps and an exact line search on the piecewise
//! quadratic.

use super::model::MAX_DOF;
use super::tree::{DofTree, TreeMat};

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

/// MuJoCo's impedance d(x) for `solimp` at violation `pos - margin`.
pub fn impedance(solimp: &[f64; 5], pos: f64, margin: f64) -> f64 {
    let (dmin, dmax) = (solimp[0].clamp(1e-4, 0.9999), solimp[1].clamp(1e-4, 0.9999));
    let width = solimp[2].max(0.0);
    let mid = solimp[3].clamp(1e-4, 0.9999);
    let power = solimp[4].max(1.0);
    if dmin == dmax || width <= MINVAL {
        return 0.5 * (dmin + dmax);
    }
    let mut x = (pos - margin) / width;
    if x < 0.0 {
        x = -x;
    }
    if x >= 1.0 || x <= 0.0 {
        return if x >= 1.0 { dmax } else { dmin };
    }
    let pw = |a: f64, b: f64| {
        if b == 1.0 {
            a
        } else if b == 2.0 {
            a * a
        } else {
            a.powf(b)
        }
    };
    let y = if power == 1.0 {
        x
    } else if x <= mid {
        let a = 1.0 / pw(mid, power - 1.0);
        a * pw(x, power)
    } else {
        let b = 1.0 / pw(1.0 - mid, power - 1.0);
        1.0 - b * pw(1.0 - x, power)
    };
    dmin + y * (dmax - dmin)
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

/// Workspace of the solver (no allocation per step).
#[derive(Default)]
pub struct Solver {
    /// M + Σ_equality D·JᵀJ, the part of the Hessian every active set shares.
    he: TreeMat,
    /// `he` plus the active inequality rows on light DOFs, with the light DOFs eliminated.
    fe: TreeMat,
    /// Whether `fe` is valid, and the activity of the light rows it was made with.
    fe_valid: bool,
    fe_active: Vec<bool>,
    /// Inequality rows that touch a light DOF (joint limits of via-point slides).
    light_row: Vec<bool>,
    /// The factorised Hessian of the current active set.
    h: TreeMat,
    grad: Vec<f64>,
    dir: Vec<f64>,
    mdir: Vec<f64>,
    ma: Vec<f64>,
    jar: Vec<f64>,
    jv: Vec<f64>,
    bp: Vec<f64>,
    active: Vec<bool>,
    pub iterations: usize,
}

impl Solver {
    /// Exact minimiser along the direction of the piecewise-quadratic cost
    /// q2/2·α² + q1·α + Σ_active D/2 (jar + α·jv)².
    fn line_search(&mut self, rows: &[Row], q1: f64, q2: f64) -> f64 {
        let nr = rows.len();
        let mut nb = 0;
        for r in 0..nr {
            if rows[r].kind != RowKind::Equality && self.jv[r] != 0.0 {
                let t = -self.jar[r] / self.jv[r];
                if t > 0.0 {
                    self.bp[nb] = t;
                    nb += 1;
                }
            }
        }
        self.bp[..nb]
            .sort_unstable_by(|x, y| x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal));
        let mut lo = 0.0;
        for k in 0..=nb {
            let hi = if k < nb { self.bp[k] } else { f64::INFINITY };
            let mid = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                lo + 1.0
            };
            let (mut aa, mut bb) = (q2, q1);
            for r in 0..nr {
                if rows[r].kind == RowKind::Equality || self.jar[r] + mid * self.jv[r] < 0.0 {
                    aa += rows[r].d * self.jv[r] * self.jv[r];
                    bb += rows[r].d * self.jar[r] * self.jv[r];
                }
            }
            if aa > 0.0 {
                let t = -bb / aa;
                if t <= hi {
                    return t.max(lo);
                }
            }
            lo = hi;
        }
        f64::NAN
    }

    /// Sizes the workspace for `tree`.
    fn reserve(&mut self, tree: &DofTree) {
        if self.he.val.len() != tree.col.len() {
            self.he = tree.zeros();
            self.fe = tree.zeros();
            self.h = tree.zeros();
        }
        if self.jar.is_empty() {
            for v in [&mut self.grad, &mut self.dir, &mut self.mdir, &mut self.ma] {
                *v = vec![0.0; MAX_DOF];
            }
            for v in [&mut self.jar, &mut self.jv, &mut self.bp] {
                *v = vec![0.0; MAX_ROWS];
            }
            self.active = vec![false; MAX_ROWS];
            self.fe_active = vec![false; MAX_ROWS];
            self.light_row = vec![false; MAX_ROWS];
        }
    }

    /// Minimises ½aᵀMa - aᵀf + Σ_active ½D(Ja - aref)² (the primal problem, a0 = M⁻¹f).
    /// `a` holds the starting point (e.g. the previous step's solution) and receives the
    /// solution; `force` receives the row forces.
    pub fn solve(
        &mut self,
        tree: &DofTree,
        mass: &TreeMat,
        f: &[f64],
        rows: &[Row],
        a: &mut [f64],
        force: &mut [f64],
    ) -> bool {
        self.reserve(tree);
        let nv = tree.nv();
        let nr = rows.len();
        self.iterations = 0;
        let mut scale = 1e-30f64;
        for i in 0..nv {
            scale = scale.max(f[i].abs());
        }
        // the equality rows are always active: their part of the Hessian, with the light DOFs
        // eliminated, serves every active set of this step that keeps the light rows' activity
        self.he.val.copy_from_slice(&mass.val);
        for (r, row) in rows.iter().enumerate() {
            if row.kind == RowKind::Equality {
                tree.add_outer(
                    &mut self.he,
                    &row.idx[..row.nnz],
                    &row.val[..row.nnz],
                    row.d,
                );
                self.light_row[r] = false;
            } else {
                self.light_row[r] = row.idx[..row.nnz].iter().any(|&j| tree.light[j as usize]);
            }
        }
        self.fe_valid = false;
        // Active-set tries: take the active set of the current point (first the previous step's
        // solution), solve the stationarity equations of that piece,
        // (M + Σ DJᵀJ) a = f + Σ D Jᵀ aref, and accept the result if it reproduces its own
        // active set (it is then the minimum). A few tries, then Newton with line search.
        for r in 0..nr {
            self.jar[r] = rows[r].dot(a) - rows[r].aref;
        }
        for attempt in 0..3 {
            for (r, row) in rows.iter().enumerate() {
                self.active[r] = row.kind == RowKind::Equality || self.jar[r] < 0.0;
            }
            self.dir[..nv].copy_from_slice(&f[..nv]);
            for (r, row) in rows.iter().enumerate() {
                if self.active[r] {
                    row.add_to(row.d * row.aref, &mut self.dir);
                }
            }
            if !self.factor_solve(tree, rows) {
                break;
            }
            a[..nv].copy_from_slice(&self.dir[..nv]);
            let mut consistent = true;
            for (r, row) in rows.iter().enumerate() {
                self.jar[r] = row.dot(a) - row.aref;
                if row.kind != RowKind::Equality && (self.jar[r] < 0.0) != self.active[r] {
                    consistent = false;
                }
            }
            if consistent {
                self.iterations = attempt + 1;
                self.forces(rows, a, force);
                return true;
            }
        }
        let mut ok = true;
        for it in 0..100 {
            self.iterations = it + 4;
            for (r, row) in rows.iter().enumerate() {
                self.jar[r] = row.dot(a) - row.aref;
                self.active[r] = row.kind == RowKind::Equality || self.jar[r] < 0.0;
            }
            tree.mat_vec(mass, a, &mut self.ma);
            for i in 0..nv {
                self.grad[i] = self.ma[i] - f[i];
            }
            for (r, row) in rows.iter().enumerate() {
                if self.active[r] {
                    row.add_to(row.d * self.jar[r], &mut self.grad);
                }
            }
            let gnorm = self.grad[..nv].iter().fold(0.0f64, |m, g| m.max(g.abs()));
            if gnorm <= 1e-13 * scale {
                break;
            }
            for i in 0..nv {
                self.dir[i] = -self.grad[i];
            }
            if !self.factor_solve(tree, rows) {
                ok = false;
                break;
            }
            // exact line search on the piecewise-quadratic cost along dir
            for (r, row) in rows.iter().enumerate() {
                self.jv[r] = row.dot(&self.dir);
            }
            tree.mat_vec(mass, &self.dir, &mut self.mdir);
            let mut q2 = 0.0;
            let mut q1 = 0.0;
            for i in 0..nv {
                q2 += self.dir[i] * self.mdir[i];
                q1 += self.dir[i] * (self.ma[i] - f[i]);
            }
            // fast path: the full Newton step keeps the active set, so it is the line minimum
            let keeps = (0..nr).all(|r| {
                rows[r].kind == RowKind::Equality
                    || (self.jar[r] + self.jv[r] < 0.0) == self.active[r]
            });
            let alpha = if keeps {
                1.0
            } else {
                self.line_search(rows, q1, q2)
            };
            if !alpha.is_finite() {
                ok = false;
                break;
            }
            for i in 0..nv {
                a[i] += alpha * self.dir[i];
            }
            // a full Newton step that keeps the active set lands on the exact minimum
            if (alpha - 1.0).abs() <= 1e-12 {
                let same = (0..nr).all(|r| {
                    let now = rows[r].kind == RowKind::Equality || self.jar[r] + self.jv[r] < 0.0;
                    now == self.active[r]
                });
                if same {
                    break;
                }
            }
        }
        self.forces(rows, a, force);
        ok
    }

    fn forces(&self, rows: &[Row], a: &[f64], force: &mut [f64]) {
        for (r, row) in rows.iter().enumerate() {
            let s = row.dot(a) - row.aref;
            force[r] = if row.kind == RowKind::Equality || s < 0.0 {
                -row.d * s
            } else {
                0.0
            };
        }
    }

    /// Factorises the Hessian M + Σ_active D·JᵀJ of the current active set and solves
    /// dir = H⁻¹·dir. The light DOFs are eliminated once per activity of their rows.
    fn factor_solve(&mut self, tree: &DofTree, rows: &[Row]) -> bool {
        let nr = rows.len();
        let same = self.fe_valid
            && (0..nr).all(|r| !self.light_row[r] || self.active[r] == self.fe_active[r]);
        if !same {
            self.fe.val.copy_from_slice(&self.he.val);
            for (r, row) in rows.iter().enumerate() {
                self.fe_active[r] = self.active[r];
                if self.light_row[r] && self.active[r] {
                    tree.add_outer(
                        &mut self.fe,
                        &row.idx[..row.nnz],
                        &row.val[..row.nnz],
                        row.d,
                    );
                }
            }
            self.fe_valid = tree.factor(&mut self.fe, 0, tree.n_light);
            if !self.fe_valid {
                return false;
            }
        }
        self.h.val.copy_from_slice(&self.fe.val);
        for (r, row) in rows.iter().enumerate() {
            if self.active[r] && row.kind != RowKind::Equality && !self.light_row[r] {
                tree.add_outer(&mut self.h, &row.idx[..row.nnz], &row.val[..row.nnz], row.d);
            }
        }
        if !tree.factor(&mut self.h, tree.n_light, tree.nv()) {
            return false;
        }
        tree.solve(&self.h, &mut self.dir);
        true
    }
}
