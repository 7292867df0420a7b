//! Exact block elimination of the light leaf coordinates (the moving via points: slides on
//! 1-g bodies, each tied by one soft equality to a core joint). In every matrix the step
//! factorises (M, M + h·D and the constraint Hessian M + JᵀDJ), the leaf–leaf block is
//! diagonal: leaf DOFs sit on childless bodies with mutually orthogonal slide axes, and each
//! constraint row touches at most one leaf. Eliminating them (Schur complement onto the 15
//! core DOFs) turns a 39 x 39 factorisation into a 15 x 15 one plus a few rank-1 updates,
//! without approximation.

use super::kinematics::chain;
use super::linalg::{chol_solve, cholesky, Mat};
use super::model::{SimModel, MAX_DOF};

#[derive(Clone, Debug)]
pub struct Arrow {
    pub core: Vec<usize>,
    pub leaf: Vec<usize>,
    /// Per leaf: positions (in `core`) of the core DOFs it couples to.
    pub nbr: Vec<Vec<usize>>,
    /// Per leaf: the same core DOFs as DOF indices.
    pub nbr_dof: Vec<Vec<usize>>,
    pub is_leaf: [bool; MAX_DOF],
}

pub struct ArrowWork {
    s: Mat,
    dinv: [f64; MAX_DOF],
    y: [f64; MAX_DOF],
}

impl Default for ArrowWork {
    fn default() -> Self {
        ArrowWork {
            s: [[0.0; MAX_DOF]; MAX_DOF],
            dinv: [0.0; MAX_DOF],
            y: [0.0; MAX_DOF],
        }
    }
}

impl Arrow {
    /// The partition of `m`, or `None` if its structure does not allow it.
    pub fn new(m: &SimModel) -> Option<Arrow> {
        let nv = m.nv();
        let mut has_child_dofs = vec![false; m.bodies.len()];
        for b in &m.bodies {
            let mut p = b.parent;
            if b.dof_end > b.dof_start {
                while p != usize::MAX {
                    has_child_dofs[p] = true;
                    p = m.bodies[p].parent;
                }
            }
        }
        let mut is_leaf = [false; MAX_DOF];
        for (j, d) in m.dofs.iter().enumerate() {
            let b = &m.bodies[d.body];
            let slides_only =
                (b.dof_start..b.dof_end).all(|k| m.dofs[k].kind == super::model::DofKind::Slide);
            let orthogonal = (b.dof_start..b.dof_end).all(|k| {
                k == j || {
                    let (a, c) = (m.dofs[k].axis, d.axis);
                    (a[0] * c[0] + a[1] * c[1] + a[2] * c[2]).abs() < 1e-12
                }
            });
            // only light bodies: the leaf must not carry contact hulls
            let no_hull = !m.hulls.iter().any(|h| h.body == d.body);
            is_leaf[j] =
                !has_child_dofs[d.body] && slides_only && orthogonal && no_hull && d.body != 0;
        }
        // each coupling touches at most one leaf, and drivers are core
        for c in &m.couplings {
            if is_leaf[c.dof2] {
                return None;
            }
        }
        let core: Vec<usize> = (0..nv).filter(|&j| !is_leaf[j]).collect();
        let leaf: Vec<usize> = (0..nv).filter(|&j| is_leaf[j]).collect();
        let mut pos = [usize::MAX; MAX_DOF];
        for (i, &c) in core.iter().enumerate() {
            pos[c] = i;
        }
        let mut ch = [0usize; MAX_DOF];
        let mut nbr = Vec::new();
        for &l in &leaf {
            let n = chain(m, m.dofs[l].body, &mut ch);
            let mut v: Vec<usize> = ch[..n]
                .iter()
                .filter(|&&j| !is_leaf[j])
                .map(|&j| pos[j])
                .collect();
            for c in &m.couplings {
                if c.dof1 == l && !v.contains(&pos[c.dof2]) {
                    v.push(pos[c.dof2]);
                }
            }
            v.sort_unstable();
            nbr.push(v);
        }
        let nbr_dof = nbr
            .iter()
            .map(|v: &Vec<usize>| v.iter().map(|&a| core[a]).collect())
            .collect();
        Some(Arrow {
            core,
            leaf,
            nbr,
            nbr_dof,
            is_leaf,
        })
    }

    /// Copies the structurally nonzero entries of `src` into `dst` (both symmetric).
    pub fn copy(&self, src: &Mat, dst: &mut Mat) {
        for &a in &self.core {
            for &b in &self.core {
                dst[a][b] = src[a][b];
            }
        }
        for (li, &l) in self.leaf.iter().enumerate() {
            dst[l][l] = src[l][l];
            for &a in &self.nbr[li] {
                let c = self.core[a];
                dst[c][l] = src[c][l];
                dst[l][c] = src[l][c];
            }
        }
    }

    /// y = h x using the structure.
    pub fn mat_vec(&self, h: &Mat, x: &[f64], y: &mut [f64]) {
        for &a in &self.core {
            let r = &h[a];
            let mut s = 0.0;
            for &b in &self.core {
                s += r[b] * x[b];
            }
            y[a] = s;
        }
        for (li, &l) in self.leaf.iter().enumerate() {
            let xl = x[l];
            let mut s = h[l][l] * xl;
            for &a in &self.nbr[li] {
                let c = self.core[a];
                y[c] += h[c][l] * xl;
                s += h[l][c] * x[c];
            }
            y[l] = s;
        }
    }

    /// Factorises `h` (symmetric; upper or lower entries both read as h[i][j] = h[j][i]).
    pub fn factor(&self, h: &Mat, w: &mut ArrowWork) -> bool {
        let nc = self.core.len();
        for a in 0..nc {
            let ca = self.core[a];
            for b in 0..=a {
                w.s[a][b] = h[ca][self.core[b]];
            }
        }
        for (li, &l) in self.leaf.iter().enumerate() {
            let dl = h[l][l];
            if dl <= 0.0 {
                return false;
            }
            let inv = 1.0 / dl;
            w.dinv[li] = inv;
            let nb = &self.nbr[li];
            let nd = &self.nbr_dof[li];
            let hl = &h[l];
            for ia in 0..nb.len() {
                let ha = hl[nd[ia]] * inv;
                if ha == 0.0 {
                    continue;
                }
                let sa = &mut w.s[nb[ia]];
                for ib in 0..=ia {
                    sa[nb[ib]] -= ha * hl[nd[ib]];
                }
            }
        }
        cholesky(&mut w.s, nc)
    }

    /// Solves h x = b in place (after `factor`).
    pub fn solve(&self, h: &Mat, w: &mut ArrowWork, x: &mut [f64]) {
        let nc = self.core.len();
        for a in 0..nc {
            w.y[a] = x[self.core[a]];
        }
        for (li, &l) in self.leaf.iter().enumerate() {
            let xl = x[l] * w.dinv[li];
            if xl == 0.0 {
                continue;
            }
            let hl = &h[l];
            for (k, &a) in self.nbr[li].iter().enumerate() {
                w.y[a] -= hl[self.nbr_dof[li][k]] * xl;
            }
        }
        chol_solve(&w.s, nc, &mut w.y);
        for a in 0..nc {
            x[self.core[a]] = w.y[a];
        }
        for (li, &l) in self.leaf.iter().enumerate() {
            let mut s = x[l];
            let hl = &h[l];
            for (k, &a) in self.nbr[li].iter().enumerate() {
                s -= hl[self.nbr_dof[li][k]] * w.y[a];
            }
            x[l] = s * w.dinv[li];
        }
    }
}
