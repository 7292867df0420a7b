//! Symmetric matrices with the sparsity of the DOF tree and their LᵀDL factorisation without
//! fill (MuJoCo's `mj_factorI`, generalised to the soft couplings).
//!
//! Every matrix the step factorises (M + h·D and the constraint Hessian M + Σ D·JᵀJ) is nonzero
//! only between a DOF and the DOFs that move the same body (its ancestors), plus the pairs a
//! coupling ties (a via-point slide and the joint that drives it). Eliminating the DOFs from
//! the highest index down, the entries of row i (and their fill) lie on one path of the
//! elimination tree, from i's parent to the root. [`DofTree`] holds that tree; a [`TreeMat`]
//! stores, per DOF, the diagonal followed by the entries towards the root (a fixed-width row,
//! so the kernels index without indirection), and a factorisation of the 39-DOF model costs a
//! few hundred multiply-adds.

use super::model::{DofKind, SimModel, MAX_DOF};
use super::planar::{dot, sym_mul, Sym3};

/// Width of a row: the deepest DOF has at most `ROW - 1` ancestors.
pub const ROW: usize = 16;

/// The elimination tree of the step's matrices and the storage layout of a [`TreeMat`].
#[derive(Clone, Debug, Default)]
pub struct DofTree {
    /// Number of ancestors of each DOF (row length - 1).
    pub depth: Vec<usize>,
    /// Row entries' column DOFs: i, its parent, grandparent, ... (padded with `nv`).
    pub col: Vec<[u8; ROW]>,
    /// The same where the column DOF moves the row DOF's body (so that a body's inertia
    /// couples them), else `nv` (fill from the couplings).
    pub pcol: Vec<[u8; ROW]>,
    /// Per body: whether every DOF that moves it is in the plane (so that its points'
    /// Jacobians are Φᵀ·w).
    pub planar_body: Vec<bool>,
    /// The DOFs that are not light, ascending.
    pub heavy: Vec<usize>,
    /// Elimination order: first the `n_light` light DOFs (childless, on no contact body: the
    /// via-point slides), which only couplings and their own joint limits reach, then the
    /// others, descending.
    pub order: Vec<usize>,
    pub n_light: usize,
    /// Whether a DOF is among the first `n_light` of `order`.
    pub light: Vec<bool>,
    /// Per light DOF: the DOF its coupling ties it to (heavy), or `usize::MAX`.
    pub partner: Vec<usize>,
    /// The light DOFs grouped by body and coupling partner, bodies ascending.
    pub light_groups: Vec<LightGroup>,
    /// The bodies with heavy DOFs of their own ("slots"), ascending: the only bodies whose
    /// motion from the heavy DOFs differs from their parent's. Per slot: its body, its
    /// parent slot (`usize::MAX` at the root) and its heavy DOFs; per body: its slot (its own
    /// or its nearest ancestor's, `usize::MAX` if none); per heavy DOF: its body's slot.
    pub slot_body: Vec<usize>,
    pub slot_parent: Vec<usize>,
    pub slot_dofs: Vec<Vec<usize>>,
    pub body_slot: Vec<usize>,
    pub dof_slot: Vec<usize>,
}

/// Light DOFs of one body tied to one partner DOF (or to none).
#[derive(Clone, Debug, Default)]
pub struct LightGroup {
    pub body: usize,
    pub partner: usize,
    pub dofs: Vec<usize>,
    /// The partner's row entries (p, j), j a heavy DOF moving the body: (j, row, position,
    /// 2 if j is the partner else 1).
    pub cross: Vec<(usize, usize, usize, f64)>,
}

/// A symmetric matrix in the layout of a [`DofTree`]: row i holds entries (i, i), (i, parent),
/// (i, grandparent), ... After [`DofTree::factor`] the rows hold 1/D (first) and L (unit lower
/// triangular) with M = LᵀDL.
#[derive(Clone, Debug, Default)]
pub struct TreeMat {
    pub rows: Vec<[f64; ROW]>,
}

impl TreeMat {
    /// Copies the rows `which` of `other`.
    pub fn copy_rows(&mut self, other: &TreeMat, which: &[usize]) {
        for &i in which {
            self.rows[i] = other.rows[i];
        }
    }
}

impl DofTree {
    /// The tree of model `m` (DOF order as in `m.dofs`), or why the model does not fit.
    pub fn new(m: &SimModel) -> Result<DofTree, String> {
        let nv = m.nv();
        if nv > MAX_DOF {
            return Err(format!("{nv} DOFs (at most {MAX_DOF})"));
        }
        // structural lower-triangle pattern: the mass matrix and the couplings
        let mut pat = vec![vec![false; nv]; nv];
        for (i, d) in m.dofs.iter().enumerate() {
            for &j in &m.chains[d.body] {
                if j < i && !orthogonal_slides(m, i, j) {
                    pat[i][j] = true;
                }
            }
        }
        for c in &m.couplings {
            let (a, b) = (c.dof1.max(c.dof2), c.dof1.min(c.dof2));
            if a != b {
                pat[a][b] = true;
            }
        }
        // symbolic elimination from the highest index down
        let mut parent = vec![usize::MAX; nv];
        for i in (0..nv).rev() {
            if let Some(p) = (0..i).rev().find(|&j| pat[i][j]) {
                parent[i] = p;
                let (lo, hi) = pat.split_at_mut(i);
                for (fill, &nz) in lo[p][..p].iter_mut().zip(&hi[0][..p]) {
                    *fill |= nz;
                }
            }
        }
        let body: Vec<usize> = m.dofs.iter().map(|d| d.body).collect();
        let mut depth = vec![0; nv];
        let mut col = vec![[nv as u8; ROW]; nv];
        let mut pcol = col.clone();
        for i in 0..nv {
            let mut j = i;
            let mut k = 0;
            loop {
                if k == ROW {
                    return Err(format!(
                        "DOF `{}` has more than {} ancestors",
                        m.dofs[i].name,
                        ROW - 1
                    ));
                }
                col[i][k] = j as u8;
                if m.chains[body[i]].contains(&j) {
                    pcol[i][k] = j as u8;
                }
                k += 1;
                if parent[j] == usize::MAX {
                    break;
                }
                j = parent[j];
            }
            depth[i] = k - 1;
        }
        // light DOFs: childless, on no contact body's chain, in at most one coupling whose
        // other DOF is not light (see `light.rs`)
        let mut has_child = vec![false; nv];
        for &p in &parent {
            if p != usize::MAX {
                has_child[p] = true;
            }
        }
        let mut light: Vec<bool> = (0..nv).map(|i| !has_child[i]).collect();
        for h in &m.hulls {
            for &j in &m.chains[h.body] {
                light[j] = false;
            }
        }
        let mut partner = vec![usize::MAX; nv];
        for c in &m.couplings {
            for (a, b) in [(c.dof1, c.dof2), (c.dof2, c.dof1)] {
                if partner[a] != usize::MAX {
                    light[a] = false;
                }
                partner[a] = b;
            }
        }
        for c in &m.couplings {
            if light[c.dof1] && light[c.dof2] {
                light[c.dof2] = false;
            }
        }
        for (j, d) in m.dofs.iter().enumerate() {
            let z = d.kind == DofKind::Slide && d.axis[0] == 0.0 && d.axis[1] == 0.0;
            if z && !light[j] {
                return Err(format!(
                    "out-of-plane slide `{}` moves other bodies, a contact hull or two couplings",
                    d.name
                ));
            }
            if !light[j] {
                partner[j] = usize::MAX;
            }
        }
        let mut light_groups: Vec<LightGroup> = Vec::new();
        for l in (0..nv).filter(|&j| light[j]) {
            let (b, p) = (body[l], partner[l]);
            match light_groups
                .iter_mut()
                .find(|g| g.body == b && g.partner == p)
            {
                Some(g) => g.dofs.push(l),
                None => light_groups.push(LightGroup {
                    body: b,
                    partner: p,
                    dofs: vec![l],
                    cross: Vec::new(),
                }),
            }
        }
        for g in light_groups.iter_mut().filter(|g| g.partner != usize::MAX) {
            for &j in m.chains[g.body].iter().filter(|&&j| !light[j]) {
                let p = g.partner;
                // (the entry's row and position, as `at_sym` finds them)
                let (r, c) = if depth[p] >= depth[j] { (p, j) } else { (j, p) };
                let k = depth[r] - depth[c];
                g.cross.push((j, r, k, if j == p { 2.0 } else { 1.0 }));
            }
        }
        light_groups.sort_by_key(|g| g.body);
        let mut slot_body = Vec::new();
        let mut slot_parent = Vec::new();
        let mut slot_dofs: Vec<Vec<usize>> = Vec::new();
        let mut body_slot = vec![usize::MAX; m.bodies.len()];
        for (b, bd) in m.bodies.iter().enumerate() {
            let up = if bd.parent == usize::MAX {
                usize::MAX
            } else {
                body_slot[bd.parent]
            };
            let own: Vec<usize> = (bd.dof_start..bd.dof_end).filter(|&j| !light[j]).collect();
            if own.is_empty() {
                body_slot[b] = up;
            } else {
                body_slot[b] = slot_body.len();
                slot_body.push(b);
                slot_parent.push(up);
                slot_dofs.push(own);
            }
        }
        let dof_slot = (0..nv).map(|j| body_slot[body[j]]).collect();
        let planar_body = m
            .chains
            .iter()
            .map(|ch| {
                ch.iter()
                    .all(|&j| m.dofs[j].kind == DofKind::Hinge || m.dofs[j].axis[2] == 0.0)
            })
            .collect();
        let heavy = (0..nv).filter(|&i| !light[i]).collect();
        let mut order: Vec<usize> = (0..nv).rev().filter(|&i| light[i]).collect();
        let n_light = order.len();
        order.extend((0..nv).rev().filter(|&i| !light[i]));
        Ok(DofTree {
            depth,
            col,
            pcol,
            planar_body,
            heavy,
            order,
            n_light,
            light,
            partner,
            light_groups,
            slot_body,
            slot_parent,
            slot_dofs,
            body_slot,
            dof_slot,
        })
    }

    pub fn nv(&self) -> usize {
        self.depth.len()
    }

    /// A zero matrix of this layout.
    pub fn zeros(&self) -> TreeMat {
        TreeMat {
            rows: vec![[0.0; ROW]; self.nv()],
        }
    }

    /// Position in row i of entry (i, j), j == i or an ancestor of i.
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> usize {
        self.depth[i] - self.depth[j]
    }

    /// Row and position of entry (a, b) of two DOFs on one path (either order).
    #[inline]
    pub fn at_sym(&self, a: usize, b: usize) -> (usize, usize) {
        if self.depth[a] >= self.depth[b] {
            (a, self.at(a, b))
        } else {
            (b, self.at(b, a))
        }
    }

    /// Position in row i of entry (i, j) if j is i or an ancestor of i.
    #[cfg(test)]
    #[inline]
    pub fn find(&self, i: usize, j: usize) -> Option<usize> {
        if self.depth[j] > self.depth[i] {
            return None;
        }
        let k = self.at(i, j);
        (self.col[i][k] as usize == j).then_some(k)
    }

    /// Entry (i, j) of a symmetric matrix (zero off the pattern); for tests and reports.
    #[cfg(test)]
    pub fn get(&self, h: &TreeMat, i: usize, j: usize) -> f64 {
        match (self.find(i, j), self.find(j, i)) {
            (Some(k), _) => h.rows[i][k],
            (None, Some(k)) => h.rows[j][k],
            _ => 0.0,
        }
    }

    /// Adds row i of Φᵀ·c·Φ, Φ the motion vectors `phi` of the DOFs that move DOF i's body:
    /// h[i][j] += φ_jᵀ·c·φ_i (the composite-rigid-body projection of an inertia-like `c`).
    #[inline]
    pub fn add_projection(&self, h: &mut TreeMat, phi: &[[f64; 3]], c: &Sym3, i: usize) {
        let f = sym_mul(c, &phi[i]);
        let n = (self.depth[i] + 1).min(ROW);
        let (row, cols) = (&mut h.rows[i], &self.pcol[i]);
        for k in 0..n {
            row[k] += dot(&phi[cols[k] as usize], &f);
        }
    }

    /// Adds `w·jᵀj` for a sparse row `j` (`idx` on one path of the tree).
    #[inline]
    pub fn add_outer(&self, h: &mut TreeMat, idx: &[u8], val: &[f64], w: f64) {
        for (b, &ib) in idx.iter().enumerate() {
            let wb = w * val[b];
            for (a, &ia) in idx[..=b].iter().enumerate() {
                let (r, k) = self.at_sym(ib as usize, ia as usize);
                h.rows[r][k] += wb * val[a];
            }
        }
    }

    /// y = h·x for a symmetric `h`.
    #[cfg(test)]
    pub fn mat_vec(&self, h: &TreeMat, x: &[f64], y: &mut [f64]) {
        let nv = self.nv();
        y[..nv].fill(0.0);
        for i in 0..nv {
            let n = (self.depth[i] + 1).min(ROW);
            let (row, cols) = (&h.rows[i], &self.col[i]);
            let xi = x[i];
            let mut s = row[0] * xi;
            for k in 1..n {
                let j = cols[k] as usize;
                s += row[k] * x[j];
                y[j] += row[k] * xi;
            }
            y[i] += s;
        }
    }

    /// Eliminates the DOFs `order[from..to]` of `h` (in place). Factorising is
    /// `factor(h, 0, nv)`; `factor(h, 0, n_light)` then `factor(h, n_light, nv)` gives the same
    /// factor. Returns false if a pivot is not positive.
    pub fn factor(&self, h: &mut TreeMat, from: usize, to: usize) -> bool {
        for &i in &self.order[from..to] {
            let len = (self.depth[i] + 1).min(ROW);
            let cols = &self.col[i];
            // a DOF's ancestors have smaller indices
            let (lo, hi) = h.rows.split_at_mut(i);
            let ri = &mut hi[0];
            let d = ri[0];
            let inv = 1.0 / d;
            // not positive, or not finite (then inv is 0 or NaN)
            if !(d > 0.0 && inv > 0.0) {
                return false;
            }
            ri[0] = inv;
            for p in 1..len {
                let l = ri[p] * inv;
                // row cols[p] holds the columns of row i from position p on
                let rj = &mut lo[cols[p] as usize];
                for q in 0..len - p {
                    rj[q] -= l * ri[p + q];
                }
                ri[p] = l;
            }
        }
        true
    }

    /// Solves (LᵀDL) x = b in place after `factor`.
    #[cfg(test)]
    pub fn solve(&self, f: &TreeMat, x: &mut [f64]) {
        let nv = self.nv();
        self.solve_up(f, x, 0, nv);
        self.solve_down(f, x, 0, nv);
    }

    /// The first half of [`Self::solve`] for the DOFs `order[from..to]`: x ← L⁻ᵀx, which
    /// moves multiples of their entries to their ancestors'. Linear, and the entries of other
    /// DOFs pass through unchanged.
    pub fn solve_up(&self, f: &TreeMat, x: &mut [f64], from: usize, to: usize) {
        for &i in &self.order[from..to] {
            let n = (self.depth[i] + 1).min(ROW);
            let (row, cols) = (&f.rows[i], &self.col[i]);
            let xi = x[i];
            if xi != 0.0 {
                for k in 1..n {
                    x[cols[k] as usize] -= row[k] * xi;
                }
            }
        }
    }

    /// The second half for `order[from..to]` (in reverse): x ← L⁻¹D⁻¹x, given the final
    /// entries of their ancestors.
    pub fn solve_down(&self, f: &TreeMat, x: &mut [f64], from: usize, to: usize) {
        for &i in self.order[from..to].iter().rev() {
            let n = (self.depth[i] + 1).min(ROW);
            let (row, cols) = (&f.rows[i], &self.col[i]);
            let mut s = x[i] * row[0];
            for k in 1..n {
                s -= row[k] * x[cols[k] as usize];
            }
            x[i] = s;
        }
    }
}

/// True for two slides of one childless body without contact hulls whose axes are orthogonal:
/// their mass-matrix entry is m·(u_i·u_j) = 0 (the via points' x, y, z slides).
fn orthogonal_slides(m: &SimModel, i: usize, j: usize) -> bool {
    let (a, b) = (&m.dofs[i], &m.dofs[j]);
    if a.body != b.body || a.kind != DofKind::Slide || b.kind != DofKind::Slide {
        return false;
    }
    let body = a.body;
    let childless = !m.bodies.iter().any(|c| c.parent == body);
    let no_hull = !m.hulls.iter().any(|h| h.body == body);
    childless && no_hull && dot(&a.axis, &b.axis).abs() < 1e-12
}
