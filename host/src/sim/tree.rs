//! Symmetric matrices with the sparsity of the DOF tree and their LᵀDL factorisation without
//! fill (MuJoCo's `mj_factorI`, generalised to the soft couplings).
//!
//! Every matrix the step factorises (M + h·D and the constraint Hessian M + Σ D·JᵀJ) is nonzero
//! only between a DOF and the DOFs that move the same body (its ancestors), plus the pairs a
//! coupling ties (a via-point slide and the joint that drives it). Eliminating the DOFs from
//! the highest index down, the entries of row i (and their fill) lie on one path of the
//! elimination tree, from i's parent to the root. [`DofTree`] holds that tree; a [`TreeMat`]
//! stores, per DOF, the diagonal followed by the entries towards the root, so a factorisation
//! of the 39-DOF model costs a few hundred multiply-adds.

use super::model::{DofKind, SimModel};

/// The elimination tree of the step's matrices and the storage layout of a [`TreeMat`].
#[derive(Clone, Debug)]
pub struct DofTree {
    /// Start of row i; the row holds the diagonal, then (i, parent), (i, grandparent), ...
    pub adr: Vec<usize>,
    /// Number of ancestors of each DOF (row length - 1).
    pub depth: Vec<usize>,
    /// Row entries' column DOFs (`col[adr[i]] = i`).
    pub col: Vec<usize>,
    /// Elimination order: first the `n_light` light DOFs (childless, on no contact body: the
    /// via-point slides), which only couplings and their own joint limits reach, then the
    /// others, descending.
    pub order: Vec<usize>,
    pub n_light: usize,
    /// Whether a DOF is among the first `n_light` of `order`.
    pub light: Vec<bool>,
}

/// A symmetric matrix in the layout of a [`DofTree`]; after [`DofTree::factor`] its rows hold
/// D (on the diagonal) and L (unit lower triangular) with M = LᵀDL.
#[derive(Clone, Debug, Default)]
pub struct TreeMat {
    pub val: Vec<f64>,
}

impl DofTree {
    /// The tree of model `m` (DOF order as in `m.dofs`).
    pub fn new(m: &SimModel) -> DofTree {
        let nv = m.nv();
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
        let mut adr = vec![0; nv];
        let mut depth = vec![0; nv];
        let mut col = Vec::new();
        for i in 0..nv {
            adr[i] = col.len();
            let mut j = i;
            loop {
                col.push(j);
                if parent[j] == usize::MAX {
                    break;
                }
                j = parent[j];
            }
            depth[i] = col.len() - adr[i] - 1;
        }
        // light DOFs: childless and on no contact body's chain
        let mut has_child = vec![false; nv];
        for &p in &parent {
            if p != usize::MAX {
                has_child[p] = true;
            }
        }
        let mut reachable = vec![false; nv];
        for h in &m.hulls {
            for &j in &m.chains[h.body] {
                reachable[j] = true;
            }
        }
        let light: Vec<bool> = (0..nv).map(|i| !has_child[i] && !reachable[i]).collect();
        let mut order: Vec<usize> = (0..nv).rev().filter(|&i| light[i]).collect();
        let n_light = order.len();
        order.extend((0..nv).rev().filter(|&i| !light[i]));
        DofTree {
            adr,
            depth,
            col,
            order,
            n_light,
            light,
        }
    }

    pub fn nv(&self) -> usize {
        self.adr.len()
    }

    /// A zero matrix of this layout.
    pub fn zeros(&self) -> TreeMat {
        TreeMat {
            val: vec![0.0; self.col.len()],
        }
    }

    /// Index in `TreeMat::val` of entry (i, j), j == i or an ancestor of i.
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> usize {
        self.adr[i] + self.depth[i] - self.depth[j]
    }

    /// Index of entry (a, b) of two DOFs on one path (either order).
    #[inline]
    pub fn at_sym(&self, a: usize, b: usize) -> usize {
        if self.depth[a] >= self.depth[b] {
            self.at(a, b)
        } else {
            self.at(b, a)
        }
    }

    /// Index of entry (i, j) if j is i or an ancestor of i.
    #[inline]
    pub fn find(&self, i: usize, j: usize) -> Option<usize> {
        if self.depth[j] > self.depth[i] {
            return None;
        }
        let k = self.at(i, j);
        (self.col[k] == j).then_some(k)
    }

    /// Entry (i, j) of a symmetric matrix (zero off the pattern); for tests and reports.
    pub fn get(&self, h: &TreeMat, i: usize, j: usize) -> f64 {
        self.find(i, j)
            .or_else(|| self.find(j, i))
            .map_or(0.0, |k| h.val[k])
    }

    /// Adds `w·jᵀj` for a sparse row `j` (`idx` on one path of the tree).
    #[inline]
    pub fn add_outer(&self, h: &mut TreeMat, idx: &[u8], val: &[f64], w: f64) {
        for (b, &ib) in idx.iter().enumerate() {
            let ib = ib as usize;
            let wb = w * val[b];
            for (a, &ia) in idx[..=b].iter().enumerate() {
                h.val[self.at_sym(ib, ia as usize)] += wb * val[a];
            }
        }
    }

    /// y = h·x for a symmetric `h`.
    pub fn mat_vec(&self, h: &TreeMat, x: &[f64], y: &mut [f64]) {
        let nv = self.nv();
        y[..nv].fill(0.0);
        for i in 0..nv {
            let a = self.adr[i];
            let row = &h.val[a..a + self.depth[i] + 1];
            let cols = &self.col[a..a + self.depth[i] + 1];
            let xi = x[i];
            let mut s = row[0] * xi;
            for p in 1..row.len() {
                let j = cols[p];
                s += row[p] * x[j];
                y[j] += row[p] * xi;
            }
            y[i] += s;
        }
    }

    /// Eliminates the DOFs `order[from..to]` of `h` (in place). Factorising is
    /// `factor(h, 0, nv)`; `factor(h, 0, n_light)` then `factor(h, n_light, nv)` gives the same
    /// factor. Returns false if a pivot is not positive.
    pub fn factor(&self, h: &mut TreeMat, from: usize, to: usize) -> bool {
        let v = &mut h.val;
        for &i in &self.order[from..to] {
            let a = self.adr[i];
            let len = self.depth[i] + 1;
            let d = v[a];
            if d <= 0.0 || !d.is_finite() {
                return false;
            }
            let inv = 1.0 / d;
            for p in 1..len {
                let j = self.col[a + p];
                let aj = self.adr[j];
                let l = v[a + p] * inv;
                // rows are stored root first, so row j (the tail of row i) lies before row i
                let (head, tail) = v.split_at_mut(a);
                let n = len - p;
                let rj = &mut head[aj..aj + n];
                let ri = &tail[p..p + n];
                for q in 0..n {
                    rj[q] -= l * ri[q];
                }
                v[a + p] = l;
            }
        }
        true
    }

    /// Solves (LᵀDL) x = b in place after `factor`.
    pub fn solve(&self, f: &TreeMat, x: &mut [f64]) {
        for &i in &self.order {
            let (a, n) = (self.adr[i] + 1, self.depth[i]);
            let (l, c) = (&f.val[a..a + n], &self.col[a..a + n]);
            let xi = x[i];
            if xi != 0.0 {
                for k in 0..n {
                    x[c[k]] -= l[k] * xi;
                }
            }
        }
        for &i in self.order.iter().rev() {
            let (a, n) = (self.adr[i] + 1, self.depth[i]);
            let (l, c) = (&f.val[a..a + n], &self.col[a..a + n]);
            let mut s = x[i] / f.val[a - 1];
            for k in 0..n {
                s -= l[k] * x[c[k]];
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
    let dot = a.axis[0] * b.axis[0] + a.axis[1] * b.axis[1] + a.axis[2] * b.axis[2];
    childless && no_hull && dot.abs() < 1e-12
}
