//! The mass matrix and the constraint rows in the forms the solver and the integrator use:
//! products with M (from the bodies' inertias), the heavy Schur complement with the light DOFs
//! eliminated ([`super::light`]), solves with it, and the rows' products with vectors and their
//! force sums, through body motion and force vectors for rows given by one ([`Row::body`]).

use super::constraint::Row;
use super::kinematics::Inertias;
use super::light::{self, LightPivots};
use super::model::MAX_BODY;
use super::planar::{axpy, dot};
use super::tree::{DofTree, TreeMat};

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

    /// The heavy Schur complement of M given the light pivots and coupling entries `lp` of the
    /// matrix it is part of (the heavy DOFs' constraint rows come on top).
    pub fn schur(&self, lp: &mut LightPivots, s: &mut TreeMat) {
        let t = self.tree;
        light::schur(t, self.phi, self.inertias, lp, s);
        for &i in &t.heavy {
            s.rows[i][0] += self.inertias.arm[i];
        }
    }

    /// out[r] = J_r·x. Rows given by a body's force vector use that body's motion from the
    /// heavy DOFs.
    pub fn row_dots(&self, rows: &[Row], x: &[f64], out: &mut [f64]) {
        let alpha = light::heavy_motion(self.tree, self.phi, x);
        for (row, o) in rows.iter().zip(out.iter_mut()) {
            *o = if row.body != usize::MAX {
                dot(&row.w, &alpha[self.tree.body_slot[row.body]])
            } else {
                row.dot(x)
            };
        }
    }

    /// y += Σ_r s_r·J_rᵀ (rows with s_r = 0 are skipped).
    pub fn add_row_forces(&self, rows: &[Row], s: &[f64], y: &mut [f64]) {
        let t = self.tree;
        let mut fb = [[0.0; 3]; MAX_BODY];
        for (row, &sr) in rows.iter().zip(s) {
            if sr == 0.0 {
                continue;
            }
            if row.body != usize::MAX {
                axpy(&mut fb[t.body_slot[row.body]], sr, &row.w);
            } else {
                row.add_to(sr, y);
            }
        }
        light::apply_forces(t, self.phi, &mut fb, 1.0, y);
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
