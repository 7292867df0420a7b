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

use super::kinematics::Inertias;
use super::light::{self, LightPivots};
use super::model::{MAX_BODY, MAX_DOF};
use super::planar::{dot, sym_add, sym_add_outer, Sym3};
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
    /// The light DOFs' pivots and coupling entries of the Hessian: the mass matrix, the
    /// equality rows (always active) and the active light limit rows; `d_eq` without the latter.
    lp: LightPivots,
    d_eq: Vec<f64>,
    /// The heavy Schur complement of that part of the Hessian, shared by every active set of
    /// this step with the same activity of the light rows (`se_active`).
    se: TreeMat,
    se_valid: bool,
    se_active: Vec<bool>,
    /// Inequality rows on light DOFs (joint limits of via-point slides).
    light_row: Vec<bool>,
    /// The factorised heavy Hessian of the current active set.
    h: TreeMat,
    /// Per body: Σ D·w·wᵀ of its active contact rows, then summed over its subtree.
    wbody: Vec<Sym3>,
    wtouched: Vec<bool>,
    /// f + Σ_equality D·Jᵀ·aref (the right-hand side's part every active set shares).
    rhs_eq: Vec<f64>,
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

/// What the solver needs of the configuration: the DOF tree, the DOFs' motion vectors and the
/// bodies' inertias (the mass matrix in factored form, see [`super::light`]).
pub struct Mechanics<'a> {
    pub tree: &'a DofTree,
    pub phi: &'a [[f64; 3]],
    pub inertias: &'a Inertias,
}

impl Mechanics<'_> {
    /// y = M·x.
    pub fn mass_mul(&self, x: &[f64], y: &mut [f64]) {
        light::mass_mul(self.tree, self.phi, self.inertias, x, y);
    }

    /// The heavy Schur complement of M + diag(`extra`) given the light pivots and coupling
    /// entries `lp` of the matrix it is part of (the heavy DOFs' constraint rows come on top).
    pub fn schur(&self, lp: &LightPivots, extra: &[f64], s: &mut TreeMat) {
        let t = self.tree;
        light::schur(t, self.phi, self.inertias, lp, s);
        for &i in &t.heavy {
            s.rows[i][0] += self.inertias.arm[i] + extra[i];
        }
    }

    /// out[r] = J_r·x for every row (`equalities`) or every inequality row. Rows given by a
    /// body's force vector use that body's motion from the heavy DOFs.
    pub fn row_dots(&self, rows: &[Row], x: &[f64], out: &mut [f64], equalities: bool) {
        let alpha = light::heavy_motion(self.tree, self.phi, x);
        for (r, row) in rows.iter().enumerate() {
            if row.body != usize::MAX {
                out[r] = dot(&row.w, &alpha[row.body]);
            } else if equalities || row.kind != RowKind::Equality {
                out[r] = row.dot(x);
            }
        }
    }

    /// y += Σ_r s_r·J_rᵀ (rows with s_r = 0 are skipped).
    pub fn add_row_forces(&self, rows: &[Row], s: &[f64], y: &mut [f64]) {
        let t = self.tree;
        let nb = t.body_parent.len();
        let mut fb = [[0.0; 3]; MAX_BODY];
        let mut touched = [false; MAX_BODY];
        for (r, row) in rows.iter().enumerate() {
            if s[r] == 0.0 {
                continue;
            }
            if row.body != usize::MAX {
                for k in 0..3 {
                    fb[row.body][k] += s[r] * row.w[k];
                }
                touched[row.body] = true;
            } else {
                row.add_to(s[r], y);
            }
        }
        for b in (0..nb).rev() {
            let p = t.body_parent[b];
            if touched[b] && p != usize::MAX {
                let f = fb[b];
                for k in 0..3 {
                    fb[p][k] += f[k];
                }
                touched[p] = true;
            }
        }
        for &j in &t.heavy {
            let b = t.body[j];
            if touched[b] {
                y[j] += dot(&self.phi[j], &fb[b]);
            }
        }
    }

    /// Solves (with the heavy factor `h` of the Schur complement of a matrix with light part
    /// `lp`) in place.
    pub fn solve(&self, lp: &LightPivots, h: &TreeMat, x: &mut [f64]) {
        let (t, nv) = (self.tree, self.tree.nv());
        light::forward(t, self.phi, self.inertias, lp, x);
        t.solve_up(h, x, t.n_light, nv);
        t.solve_down(h, x, t.n_light, nv);
        light::back(t, self.phi, self.inertias, lp, x);
    }
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
        if self.h.rows.len() != tree.nv() {
            self.se = tree.zeros();
            self.h = tree.zeros();
            self.wbody = vec![[0.0; 6]; tree.body_parent.len()];
            self.wtouched = vec![false; tree.body_parent.len()];
        }
        if self.jar.is_empty() {
            for v in [
                &mut self.grad,
                &mut self.dir,
                &mut self.mdir,
                &mut self.ma,
                &mut self.rhs_eq,
                &mut self.d_eq,
            ] {
                *v = vec![0.0; MAX_DOF];
            }
            for v in [&mut self.jar, &mut self.jv, &mut self.bp] {
                *v = vec![0.0; MAX_ROWS];
            }
            for v in [&mut self.active, &mut self.se_active, &mut self.light_row] {
                *v = vec![false; MAX_ROWS];
            }
        }
    }

    /// Minimises ½aᵀMa - aᵀf + Σ_active ½D(Ja - aref)² (the primal problem, a0 = M⁻¹f).
    /// `a` holds the starting point (e.g. the previous step's solution) and receives the
    /// solution; `force` receives the row forces. `guess` is the first active set to try
    /// (per row 1 or 0; -1: active if the row is violated at `a`).
    #[allow(clippy::too_many_arguments)]
    pub fn solve(
        &mut self,
        mech: &Mechanics,
        f: &[f64],
        rows: &[Row],
        guess: &[i8],
        a: &mut [f64],
        force: &mut [f64],
    ) -> bool {
        let tree = mech.tree;
        self.reserve(tree);
        let nv = tree.nv();
        let nr = rows.len();
        self.iterations = 0;
        let mut scale = 1e-30f64;
        for i in 0..nv {
            scale = scale.max(f[i].abs());
        }
        // the equality rows are always active: their part of the Hessian (with the light
        // DOFs eliminated) serves every active set of this step that keeps the light rows'
        // activity
        self.rhs_eq[..nv].copy_from_slice(&f[..nv]);
        for &l in &tree.order[..tree.n_light] {
            self.d_eq[l] = mech.inertias.mll[l];
            self.lp.c[l] = 0.0;
        }
        for (r, row) in rows.iter().enumerate() {
            self.light_row[r] = false;
            if row.kind == RowKind::Equality {
                row.add_to(row.d * row.aref, &mut self.rhs_eq);
                add_light_part(tree, row, &mut self.d_eq, &mut self.lp.c);
            } else if row.idx[..row.nnz].iter().any(|&j| tree.light[j as usize]) {
                debug_assert!(row.nnz == 1, "an inequality row on a light DOF is a limit");
                self.light_row[r] = true;
            }
        }
        self.se_valid = false;
        // Active-set tries: take the active set of the current point (first the previous step's
        // solution), solve the stationarity equations of that piece,
        // (M + Σ DJᵀJ) a = f + Σ D Jᵀ aref, and accept the result if it reproduces its own
        // active set (it is then the minimum). A few tries, then Newton with line search.
        mech.row_dots(rows, a, &mut self.jar, false);
        for (r, row) in rows.iter().enumerate() {
            self.jar[r] -= row.aref;
        }
        for attempt in 0..3 {
            for (r, row) in rows.iter().enumerate() {
                let ineq = row.kind != RowKind::Equality;
                self.active[r] = !ineq || self.jar[r] < 0.0;
                if attempt == 0 && ineq && guess[r] >= 0 {
                    self.active[r] = guess[r] == 1;
                }
                self.jv[r] = if ineq && self.active[r] {
                    row.d * row.aref
                } else {
                    0.0
                };
            }
            self.dir[..nv].copy_from_slice(&self.rhs_eq[..nv]);
            mech.add_row_forces(rows, &self.jv, &mut self.dir);
            if !self.factor_solve(mech, rows) {
                break;
            }
            a[..nv].copy_from_slice(&self.dir[..nv]);
            mech.row_dots(rows, a, &mut self.jar, false);
            let mut consistent = true;
            for (r, row) in rows.iter().enumerate() {
                self.jar[r] -= row.aref;
                if row.kind != RowKind::Equality {
                    consistent &= (self.jar[r] < 0.0) == self.active[r];
                }
            }
            if consistent {
                self.iterations = attempt + 1;
                self.forces(mech, rows, a, force);
                return true;
            }
        }
        let mut ok = true;
        for it in 0..100 {
            self.iterations = it + 4;
            mech.row_dots(rows, a, &mut self.jar, true);
            for (r, row) in rows.iter().enumerate() {
                self.jar[r] -= row.aref;
                self.active[r] = row.kind == RowKind::Equality || self.jar[r] < 0.0;
                self.jv[r] = if self.active[r] {
                    row.d * self.jar[r]
                } else {
                    0.0
                };
            }
            mech.mass_mul(a, &mut self.ma);
            for i in 0..nv {
                self.grad[i] = self.ma[i] - f[i];
            }
            mech.add_row_forces(rows, &self.jv, &mut self.grad);
            let gnorm = self.grad[..nv].iter().fold(0.0f64, |m, g| m.max(g.abs()));
            if gnorm <= 1e-13 * scale {
                break;
            }
            for i in 0..nv {
                self.dir[i] = -self.grad[i];
            }
            if !self.factor_solve(mech, rows) {
                ok = false;
                break;
            }
            // exact line search on the piecewise-quadratic cost along dir
            mech.row_dots(rows, &self.dir, &mut self.jv, true);
            mech.mass_mul(&self.dir, &mut self.mdir);
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
        self.forces(mech, rows, a, force);
        ok
    }

    /// The active set of the last solve.
    pub fn active(&self) -> &[bool] {
        &self.active
    }

    fn forces(&self, mech: &Mechanics, rows: &[Row], a: &[f64], force: &mut [f64]) {
        mech.row_dots(rows, a, force, true);
        for (r, row) in rows.iter().enumerate() {
            let s = force[r] - row.aref;
            force[r] = if row.kind == RowKind::Equality || s < 0.0 {
                -row.d * s
            } else {
                0.0
            };
        }
    }

    /// Factorises the Hessian M + Σ_active D·JᵀJ of the current active set and solves
    /// dir = H⁻¹·dir. The light DOFs are eliminated once per activity of their rows; the
    /// active contact rows of a body enter as Φᵀ·(Σ D·w·wᵀ)·Φ, summed over subtrees like the
    /// composite inertias of the mass matrix.
    fn factor_solve(&mut self, mech: &Mechanics, rows: &[Row]) -> bool {
        let tree = mech.tree;
        let (nv, nl) = (tree.nv(), tree.n_light);
        let nr = rows.len();
        let same = self.se_valid
            && (0..nr).all(|r| !self.light_row[r] || self.active[r] == self.se_active[r]);
        if !same {
            for &l in &tree.order[..nl] {
                self.lp.d[l] = self.d_eq[l];
            }
            for (r, row) in rows.iter().enumerate() {
                self.se_active[r] = self.active[r];
                if self.light_row[r] && self.active[r] {
                    let l = row.idx[0] as usize;
                    self.lp.d[l] += row.d * row.val[0] * row.val[0];
                }
            }
            if tree.order[..nl].iter().any(|&l| !(self.lp.d[l] > 0.0)) {
                return false;
            }
            mech.schur(&self.lp, &[0.0; MAX_DOF], &mut self.se);
            for row in rows.iter().filter(|r| r.kind == RowKind::Equality) {
                add_heavy_part(tree, row, &mut self.se);
            }
            self.se_valid = true;
        }
        self.h.copy_from(&self.se);
        let nb = tree.body_parent.len();
        self.wbody[..nb].fill([0.0; 6]);
        self.wtouched[..nb].fill(false);
        for (r, row) in rows.iter().enumerate() {
            if self.active[r] && row.kind != RowKind::Equality && !self.light_row[r] {
                if row.body != usize::MAX {
                    sym_add_outer(&mut self.wbody[row.body], &row.w, row.d);
                    self.wtouched[row.body] = true;
                } else {
                    tree.add_outer(&mut self.h, &row.idx[..row.nnz], &row.val[..row.nnz], row.d);
                }
            }
        }
        for b in (0..nb).rev() {
            let p = tree.body_parent[b];
            if self.wtouched[b] && p != usize::MAX {
                let w = self.wbody[b];
                sym_add(&mut self.wbody[p], &w);
                self.wtouched[p] = true;
            }
        }
        for &i in &tree.heavy {
            let b = tree.body[i];
            if self.wtouched[b] {
                tree.add_projection(&mut self.h, mech.phi, &self.wbody[b], i);
            }
        }
        if !tree.factor(&mut self.h, nl, nv) {
            return false;
        }
        mech.solve(&self.lp, &self.h, &mut self.dir);
        true
    }
}

/// Adds an equality row's D·JᵀJ entries on light DOFs to their pivots and coupling entries.
fn add_light_part(t: &DofTree, row: &Row, d: &mut [f64], c: &mut [f64]) {
    for k in 0..row.nnz {
        let l = row.idx[k] as usize;
        if t.light[l] {
            let v = row.d * row.val[k];
            d[l] += v * row.val[k];
            for m in 0..row.nnz {
                if row.idx[m] as usize == t.partner[l] {
                    c[l] += v * row.val[m];
                }
            }
        }
    }
}

/// Adds an equality row's D·JᵀJ entries among heavy DOFs to `s`.
fn add_heavy_part(t: &DofTree, row: &Row, s: &mut TreeMat) {
    let mut idx = [0u8; MAX_ROW_NNZ];
    let mut val = [0.0; MAX_ROW_NNZ];
    let mut n = 0;
    for k in 0..row.nnz {
        if !t.light[row.idx[k] as usize] {
            idx[n] = row.idx[k];
            val[n] = row.val[k];
            n += 1;
        }
    }
    t.add_outer(s, &idx[..n], &val[..n], row.d);
}
