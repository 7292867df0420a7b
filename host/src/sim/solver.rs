//! MuJoCo's primal constraint problem and our solver for it.
//!
//! The accelerations minimise ½(a-a0)ᵀM(a-a0) + Σ ½ D_i (J_i a - aref_i)² over the active rows
//! ([`super::constraint`]: equalities always; limits and pyramid edges while J_i a < aref_i),
//! which is what MuJoCo's Newton solver converges to. The cost is a strictly convex piecewise
//! quadratic: we try active sets (solving the stationarity equations of each piece until one
//! reproduces itself, which is then the exact minimum), and fall back to Newton steps with an
//! exact line search.
//!
//! The Hessian M + Σ_active D·JᵀJ is factorised as the heavy Schur complement of the light
//! DOFs ([`super::light`]): the mass matrix and the equality rows give a part shared by every
//! active set of the step (rebuilt only when a light DOF's limit row changes activity), onto
//! which the active contact rows of each body come as Φᵀ·(Σ D·w·wᵀ)·Φ, summed over subtrees
//! like composite inertias.

use super::constraint::{Row, RowKind, MAX_ROWS, MAX_ROW_NNZ};
use super::light::LightPivots;
use super::mechanics::Mechanics;
use super::model::{MAX_BODY, MAX_DOF};
use super::planar::{sym_add, sym_add_outer, Sym3};
use super::tree::{DofTree, TreeMat};

/// Workspace of the solver (no allocation per step).
pub struct Solver {
    /// The light DOFs' pivots and coupling entries of the Hessian: the mass matrix, the
    /// equality rows and the active light limit rows; `d_eq` without the latter.
    lp: LightPivots,
    d_eq: [f64; MAX_DOF],
    /// The heavy Schur complement of that part of the Hessian, shared by every active set of
    /// this step with the same activity of the light rows (`se_active`).
    se: TreeMat,
    se_valid: bool,
    se_active: [bool; MAX_ROWS],
    /// Inequality rows on light DOFs (joint limits of via-point slides).
    light_row: [bool; MAX_ROWS],
    /// The factorised heavy Hessian of the current active set.
    h: TreeMat,
    /// Per slot ([`DofTree::slot_body`]): Σ D·w·wᵀ of the active contact rows of the bodies
    /// it carries, then summed over its subtree.
    wbody: [Sym3; MAX_BODY],
    wtouched: [bool; MAX_BODY],
    /// f + Σ_equality D·Jᵀ·aref (the right-hand side's part every active set shares).
    rhs_eq: [f64; MAX_DOF],
    grad: [f64; MAX_DOF],
    dir: [f64; MAX_DOF],
    mdir: [f64; MAX_DOF],
    ma: [f64; MAX_DOF],
    jar: [f64; MAX_ROWS],
    jv: [f64; MAX_ROWS],
    bp: [f64; MAX_ROWS],
    active: [bool; MAX_ROWS],
    pub iterations: usize,
}

impl Default for Solver {
    fn default() -> Self {
        Solver {
            lp: LightPivots::default(),
            d_eq: [0.0; MAX_DOF],
            se: TreeMat::default(),
            se_valid: false,
            se_active: [false; MAX_ROWS],
            light_row: [false; MAX_ROWS],
            h: TreeMat::default(),
            wbody: [[0.0; 6]; MAX_BODY],
            wtouched: [false; MAX_BODY],
            rhs_eq: [0.0; MAX_DOF],
            grad: [0.0; MAX_DOF],
            dir: [0.0; MAX_DOF],
            mdir: [0.0; MAX_DOF],
            ma: [0.0; MAX_DOF],
            jar: [0.0; MAX_ROWS],
            jv: [0.0; MAX_ROWS],
            bp: [0.0; MAX_ROWS],
            active: [false; MAX_ROWS],
            iterations: 0,
        }
    }
}

impl Solver {
    /// Minimises ½aᵀMa - aᵀf + Σ_active ½D(Ja - aref)² (the primal problem, a0 = M⁻¹f).
    /// The equality rows come first in `rows`. `a` holds the starting point (e.g. the previous
    /// step's solution) and receives the solution; `force` receives the row forces. `guess` is
    /// the first active set to try (per row 1 or 0; -1: active if violated at `a`).
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
        if self.h.rows.len() != tree.nv() {
            self.se = tree.zeros();
            self.h = tree.zeros();
        }
        let nv = tree.nv();
        let nr = rows.len();
        let neq = rows
            .iter()
            .position(|r| r.kind != RowKind::Equality)
            .unwrap_or(nr);
        debug_assert!(rows[neq..].iter().all(|r| r.kind != RowKind::Equality));
        self.iterations = 0;
        let scale = f[..nv].iter().fold(1e-30f64, |m, x| m.max(x.abs()));
        // the equality rows are always active: their part of the right-hand side and of the
        // light pivots
        self.rhs_eq[..nv].copy_from_slice(&f[..nv]);
        for &l in &tree.order[..tree.n_light] {
            self.d_eq[l] = mech.inertias.mll[l];
            self.lp.c[l] = 0.0;
        }
        for row in &rows[..neq] {
            row.add_to(row.d * row.aref, &mut self.rhs_eq);
            add_light_part(tree, row, &mut self.d_eq, &mut self.lp.c);
        }
        for (lr, row) in self.light_row[neq..nr].iter_mut().zip(&rows[neq..]) {
            *lr = row.idx[..row.nnz].iter().any(|&j| tree.light[j as usize]);
            debug_assert!(
                !*lr || row.nnz == 1,
                "an inequality row on a light DOF is a limit"
            );
        }
        self.active[..neq].fill(true);
        self.se_valid = false;
        // Active-set tries, first the guess, then the active set of the last try's solution;
        // a try that reproduces its own active set is the minimum.
        let ineq = &rows[neq..];
        // rows without a guess start active if violated at `a`
        if guess[neq..nr].iter().any(|&g| g < 0) {
            mech.row_dots(ineq, a, &mut self.jar[neq..nr]);
        }
        for attempt in 0..3 {
            for (r, row) in ineq.iter().enumerate() {
                let r = r + neq;
                let violated = self.jar[r] < row.aref;
                self.active[r] = if attempt == 0 && guess[r] >= 0 {
                    guess[r] == 1
                } else {
                    violated
                };
                self.jv[r] = if self.active[r] {
                    row.d * row.aref
                } else {
                    0.0
                };
            }
            self.dir[..nv].copy_from_slice(&self.rhs_eq[..nv]);
            mech.add_row_forces(ineq, &self.jv[neq..nr], &mut self.dir);
            if !self.factor_solve(mech, rows, neq) {
                break;
            }
            a[..nv].copy_from_slice(&self.dir[..nv]);
            mech.row_dots(ineq, a, &mut self.jar[neq..nr]);
            let consistent = (neq..nr).all(|r| (self.jar[r] < rows[r].aref) == self.active[r]);
            if consistent {
                self.iterations = attempt + 1;
                // the inequality rows' J·a are in jar already; the equalities carry their
                // Jacobian entries (row_dots would take row.dot too)
                for (j, row) in self.jar[..neq].iter_mut().zip(&rows[..neq]) {
                    debug_assert!(row.body == usize::MAX);
                    *j = row.dot(a);
                }
                self.forces(rows, force);
                return true;
            }
        }
        let ok = self.newton(mech, f, rows, neq, scale, a);
        mech.row_dots(rows, a, &mut self.jar[..nr]);
        self.forces(rows, force);
        ok
    }

    /// Newton steps with an exact line search from `a` (the fallback).
    fn newton(
        &mut self,
        mech: &Mechanics,
        f: &[f64],
        rows: &[Row],
        neq: usize,
        scale: f64,
        a: &mut [f64],
    ) -> bool {
        let nv = mech.tree.nv();
        let nr = rows.len();
        for it in 0..100 {
            self.iterations = it + 4;
            mech.row_dots(rows, a, &mut self.jar[..nr]);
            for (r, row) in rows.iter().enumerate() {
                self.jar[r] -= row.aref;
                self.active[r] = r < neq || self.jar[r] < 0.0;
                self.jv[r] = if self.active[r] {
                    row.d * self.jar[r]
                } else {
                    0.0
                };
            }
            mech.mass_mul(a, &mut self.ma);
            for ((g, ma), fi) in self.grad[..nv].iter_mut().zip(&self.ma).zip(f) {
                *g = ma - fi;
            }
            mech.add_row_forces(rows, &self.jv[..nr], &mut self.grad);
            let gnorm = self.grad[..nv].iter().fold(0.0f64, |m, g| m.max(g.abs()));
            if gnorm <= 1e-13 * scale {
                return true;
            }
            for (d, g) in self.dir[..nv].iter_mut().zip(&self.grad) {
                *d = -g;
            }
            if !self.factor_solve(mech, rows, neq) {
                return false;
            }
            // exact line search on the piecewise-quadratic cost along dir
            mech.row_dots(rows, &self.dir, &mut self.jv[..nr]);
            mech.mass_mul(&self.dir, &mut self.mdir);
            let mut q2 = 0.0;
            let mut q1 = 0.0;
            for (((d, md), ma), fi) in self.dir[..nv].iter().zip(&self.mdir).zip(&self.ma).zip(f) {
                q2 += d * md;
                q1 += d * (ma - fi);
            }
            // the full Newton step keeps the active set: it is the line minimum
            let keeps = (neq..nr).all(|r| (self.jar[r] + self.jv[r] < 0.0) == self.active[r]);
            let alpha = if keeps {
                1.0
            } else {
                self.line_search(rows, neq, q1, q2)
            };
            if !alpha.is_finite() {
                return false;
            }
            for (ai, d) in a[..nv].iter_mut().zip(&self.dir) {
                *ai += alpha * d;
            }
            // a full Newton step that keeps the active set lands on the exact minimum
            if keeps {
                return true;
            }
        }
        true
    }

    /// Exact minimiser along the direction of the piecewise-quadratic cost
    /// q2/2·α² + q1·α + Σ_active D/2 (jar + α·jv)².
    fn line_search(&mut self, rows: &[Row], neq: usize, q1: f64, q2: f64) -> f64 {
        let nr = rows.len();
        let mut nb = 0;
        for r in neq..nr {
            if self.jv[r] != 0.0 {
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
            for (r, row) in rows.iter().enumerate() {
                if r < neq || self.jar[r] + mid * self.jv[r] < 0.0 {
                    aa += row.d * self.jv[r] * self.jv[r];
                    bb += row.d * self.jar[r] * self.jv[r];
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

    /// The active set of the last solve.
    pub fn active(&self) -> &[bool] {
        &self.active
    }

    /// The row forces from the rows' J·a in `jar`.
    fn forces(&self, rows: &[Row], force: &mut [f64]) {
        for (r, row) in rows.iter().enumerate() {
            let s = self.jar[r] - row.aref;
            force[r] = if row.kind == RowKind::Equality || s < 0.0 {
                -row.d * s
            } else {
                0.0
            };
        }
    }

    /// Factorises the Hessian M + Σ_active D·JᵀJ of the current active set and solves
    /// dir = H⁻¹·dir.
    fn factor_solve(&mut self, mech: &Mechanics, rows: &[Row], neq: usize) -> bool {
        let tree = mech.tree;
        let (nv, nl) = (tree.nv(), tree.n_light);
        let nr = rows.len();
        let same = self.se_valid
            && (neq..nr).all(|r| !self.light_row[r] || self.active[r] == self.se_active[r]);
        if !same && !self.shared_part(mech, rows, neq) {
            return false;
        }
        self.h.copy_rows(&self.se, &tree.heavy);
        let ns = tree.slot_body.len();
        self.wbody[..ns].fill([0.0; 6]);
        self.wtouched[..ns].fill(false);
        for (r, row) in rows.iter().enumerate().skip(neq) {
            if self.active[r] && !self.light_row[r] {
                if row.body != usize::MAX {
                    let k = tree.body_slot[row.body];
                    sym_add_outer(&mut self.wbody[k], &row.w, row.d);
                    self.wtouched[k] = true;
                } else {
                    tree.add_outer(&mut self.h, &row.idx[..row.nnz], &row.val[..row.nnz], row.d);
                }
            }
        }
        for k in (1..ns).rev() {
            let p = tree.slot_parent[k];
            if self.wtouched[k] && p != usize::MAX {
                let w = self.wbody[k];
                sym_add(&mut self.wbody[p], &w);
                self.wtouched[p] = true;
            }
        }
        for &i in &tree.heavy {
            let k = tree.dof_slot[i];
            if self.wtouched[k] {
                tree.add_projection(&mut self.h, mech.phi, &self.wbody[k], i);
            }
        }
        if !tree.factor(&mut self.h, nl, nv) {
            return false;
        }
        mech.solve(&self.lp, &self.h, &mut self.dir);
        true
    }

    /// Builds `se` (and the light pivots) for the current activity of the light rows.
    fn shared_part(&mut self, mech: &Mechanics, rows: &[Row], neq: usize) -> bool {
        let tree = mech.tree;
        for &l in &tree.order[..tree.n_light] {
            self.lp.d[l] = self.d_eq[l];
        }
        for (r, row) in rows.iter().enumerate().skip(neq) {
            self.se_active[r] = self.active[r];
            if self.light_row[r] && self.active[r] {
                let l = row.idx[0] as usize;
                self.lp.d[l] += row.d * row.val[0] * row.val[0];
            }
        }
        if !tree.order[..tree.n_light]
            .iter()
            .all(|&l| self.lp.d[l] > 0.0)
        {
            return false;
        }
        mech.schur(&mut self.lp, &mut self.se);
        for row in &rows[..neq] {
            add_heavy_part(tree, row, &mut self.se);
        }
        self.se_valid = true;
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
    let (mut idx, mut val) = ([0u8; MAX_ROW_NNZ], [0.0; MAX_ROW_NNZ]);
    let mut n = 0;
    for k in 0..row.nnz {
        if !t.light[row.idx[k] as usize] {
            (idx[n], val[n]) = (row.idx[k], row.val[k]);
            n += 1;
        }
    }
    t.add_outer(s, &idx[..n], &val[..n], row.d);
}
