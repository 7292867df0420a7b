//! Exact elimination of the light DOFs (the via-point slides on 1-g bodies, see
//! [`DofTree::light`]) from the matrices the step factorises, by articulated-body formulas.
//!
//! A light DOF l sits on a childless body b. In M + Σ D·JᵀJ + diag its row is: the pivot d_l,
//! the entries φ_j·U_l for the DOFs j that move b (U_l = I_b·φ_l, I_b the body's spatial
//! inertia), and c_l at the one DOF p_l its coupling ties it to; light DOFs of one body do not
//! couple. The Schur complement onto the heavy DOFs, H_hh - Σ_l h_l·h_lᵀ/d_l, is therefore the
//! mass matrix of the heavy DOFs with body b's inertia replaced by I_b - Σ_l U_l·U_lᵀ/d_l
//! (projected like composite inertias), plus the terms c_l·φ_j·U_l/d_l and c_l²/d_l of the
//! coupling partner's row. Solves move force vectors up the tree and motion vectors down it:
//! O(DOFs) instead of a rank-1 update per light DOF.

use super::kinematics::Inertias;
use super::model::{MAX_BODY, MAX_DOF};
use super::planar::{axpy, dot, sym_add, sym_add_outer, sym_mul};
use super::tree::{DofTree, TreeMat, ROW};

/// The light DOFs' pivots and coupling entries of one matrix (indexed by DOF).
#[derive(Clone, Debug)]
pub struct LightPivots {
    pub d: [f64; MAX_DOF],
    pub c: [f64; MAX_DOF],
    /// 1/d (set by [`schur`]).
    pub dinv: [f64; MAX_DOF],
}

impl Default for LightPivots {
    fn default() -> Self {
        LightPivots {
            d: [0.0; MAX_DOF],
            c: [0.0; MAX_DOF],
            dinv: [0.0; MAX_DOF],
        }
    }
}

/// Writes the heavy rows of the Schur complement of the matrix whose light part is `lp` and
/// whose heavy part is the mass matrix (without armature): `s` must then receive the heavy
/// DOFs' own terms (armature, damping, constraint rows among heavy DOFs).
pub fn schur(t: &DofTree, phi: &[[f64; 3]], ine: &Inertias, lp: &mut LightPivots, s: &mut TreeMat) {
    // composite inertias with the light bodies' articulated ones: per slot first Σ U·Uᵀ/d of
    // its light bodies
    let mut a = [[0.0; 6]; MAX_BODY];
    for g in &t.light_groups {
        let ab = &mut a[t.body_slot[g.body]];
        for &l in &g.dofs {
            lp.dinv[l] = 1.0 / lp.d[l];
            sym_add_outer(ab, &ine.u[l], lp.dinv[l]);
        }
    }
    // then, in place (children before parents), the slot's composite inertia minus that of
    // its subtree
    for k in (0..t.slot_body.len()).rev() {
        let ak = a[k];
        let p = t.slot_parent[k];
        if p != usize::MAX {
            sym_add(&mut a[p], &ak);
        }
        a[k] = ine.comp[t.slot_body[k]];
        for (x, y) in a[k].iter_mut().zip(&ak) {
            *x -= y;
        }
    }
    for &i in &t.heavy {
        s.rows[i] = [0.0; ROW];
        t.add_projection(s, phi, &a[t.dof_slot[i]], i);
    }
    // the coupling partners' rows
    for g in t.light_groups.iter().filter(|g| g.partner != usize::MAX) {
        let mut f = [0.0; 3];
        let mut e = 0.0;
        for &l in &g.dofs {
            let c = lp.c[l] * lp.dinv[l];
            axpy(&mut f, c, &ine.u[l]);
            e += c * lp.c[l];
        }
        if e != 0.0 {
            for &(j, r, k, mult) in &g.cross {
                s.rows[r][k] -= mult * dot(&phi[j], &f);
            }
            s.rows[g.partner][0] -= e;
        }
    }
}

/// First half of a solve: removes the light entries of `b` from the heavy ones
/// (b_h ← b_h - Σ_l h_l·b_l/d_l).
pub fn forward(t: &DofTree, phi: &[[f64; 3]], ine: &Inertias, lp: &LightPivots, b: &mut [f64]) {
    let mut g = [[0.0; 3]; MAX_BODY];
    for grp in &t.light_groups {
        let gb = &mut g[t.body_slot[grp.body]];
        let mut bp = 0.0;
        for &l in &grp.dofs {
            let s = b[l] * lp.dinv[l];
            axpy(gb, s, &ine.u[l]);
            bp += lp.c[l] * s;
        }
        if grp.partner != usize::MAX {
            b[grp.partner] -= bp;
        }
    }
    apply_forces(t, phi, &mut g, -1.0, b);
}

/// Second half: the light entries of the solution from its heavy ones
/// (x_l = (b_l - h_lᵀ·x_h)/d_l; `x` holds b_l on entry).
pub fn back(t: &DofTree, phi: &[[f64; 3]], ine: &Inertias, lp: &LightPivots, x: &mut [f64]) {
    let alpha = heavy_motion(t, phi, x);
    for g in &t.light_groups {
        let xp = if g.partner != usize::MAX {
            x[g.partner]
        } else {
            0.0
        };
        let ab = &alpha[t.body_slot[g.body]];
        for &l in &g.dofs {
            x[l] = (x[l] - dot(&ine.u[l], ab) - lp.c[l] * xp) * lp.dinv[l];
        }
    }
}

/// Per slot ([`DofTree::slot_body`]): Σ φ_j·x_j over the heavy DOFs that move it (its
/// spatial motion from them; the bodies without slot of their own move with their slot).
pub fn heavy_motion(t: &DofTree, phi: &[[f64; 3]], x: &[f64]) -> [[f64; 3]; MAX_BODY] {
    let mut alpha = [[0.0; 3]; MAX_BODY];
    for (k, own) in t.slot_dofs.iter().enumerate() {
        let p = t.slot_parent[k];
        let mut a = if p != usize::MAX { alpha[p] } else { [0.0; 3] };
        for &j in own {
            let (f, xj) = (&phi[j], x[j]);
            a = [a[0] + f[0] * xj, a[1] + f[1] * xj, a[2] + f[2] * xj];
        }
        alpha[k] = a;
    }
    alpha
}

/// y_j += sign·φ_j·(Σ of the force vectors `f` of j's slot's subtree), for the heavy DOFs
/// (`f` holds per slot the force vectors of the bodies it carries; it is summed up in place).
pub fn apply_forces(
    t: &DofTree,
    phi: &[[f64; 3]],
    f: &mut [[f64; 3]; MAX_BODY],
    sign: f64,
    y: &mut [f64],
) {
    for k in (1..t.slot_body.len()).rev() {
        let p = t.slot_parent[k];
        if p != usize::MAX {
            let fk = f[k];
            axpy(&mut f[p], 1.0, &fk);
        }
    }
    for &j in &t.heavy {
        y[j] += sign * dot(&phi[j], &f[t.dof_slot[j]]);
    }
}

/// Solves (M + diag(`extra`))·x = b in place by the articulated-body algorithm (the
/// integrator's matrix, `extra` = h·damping): one pass from the leaves up that peels each DOF off
/// its body's articulated inertia and bias force, one pass down for the accelerations. Light
/// DOFs are peeled off their childless bodies first, as in [`schur`]. A DOF in `unit` gets pivot
/// 1 (a locked DOF, whose motion vector and force are zero). Returns false if a pivot is not
/// positive.
pub fn articulated_solve(
    t: &DofTree,
    phi: &[[f64; 3]],
    ine: &Inertias,
    extra: &[f64],
    unit: &[bool],
    b: &mut [f64],
) -> bool {
    let ns = t.slot_body.len();
    let mut ia = [[0.0; 6]; MAX_BODY];
    let mut p = [[0.0; 3]; MAX_BODY];
    for (own, &k) in ine.own.iter().zip(&t.body_slot) {
        if k != usize::MAX {
            sym_add(&mut ia[k], own);
        }
    }
    let mut dinv = [0.0; MAX_DOF];
    for g in &t.light_groups {
        let k = t.body_slot[g.body];
        for &l in &g.dofs {
            let d = if unit[l] { 1.0 } else { ine.mll[l] + extra[l] };
            if !(d > 0.0 && d.is_finite()) {
                return false;
            }
            dinv[l] = 1.0 / d;
            sym_add_outer(&mut ia[k], &ine.u[l], -dinv[l]);
            axpy(&mut p[k], b[l] * dinv[l], &ine.u[l]);
        }
    }
    // heavy DOFs, children before parents and each body's DOFs from the last one
    let mut uvec = [[0.0; 3]; MAX_DOF];
    for k in (0..ns).rev() {
        let (mut iak, mut pk) = (ia[k], p[k]);
        for &j in t.slot_dofs[k].iter().rev() {
            let u = sym_mul(&iak, &phi[j]);
            let d = if unit[j] {
                1.0
            } else {
                dot(&phi[j], &u) + ine.arm[j] + extra[j]
            };
            if !(d > 0.0 && d.is_finite()) {
                return false;
            }
            dinv[j] = 1.0 / d;
            b[j] -= dot(&phi[j], &pk);
            sym_add_outer(&mut iak, &u, -dinv[j]);
            axpy(&mut pk, b[j] * dinv[j], &u);
            uvec[j] = u;
        }
        let par = t.slot_parent[k];
        if par != usize::MAX {
            sym_add(&mut ia[par], &iak);
            axpy(&mut p[par], 1.0, &pk);
        }
    }
    // accelerations, parents before children
    let mut alpha = [[0.0; 3]; MAX_BODY];
    for k in 0..ns {
        let par = t.slot_parent[k];
        let mut a = if par != usize::MAX {
            alpha[par]
        } else {
            [0.0; 3]
        };
        for &j in &t.slot_dofs[k] {
            b[j] = (b[j] - dot(&uvec[j], &a)) * dinv[j];
            axpy(&mut a, b[j], &phi[j]);
        }
        alpha[k] = a;
    }
    for g in &t.light_groups {
        let a = &alpha[t.body_slot[g.body]];
        for &l in &g.dofs {
            b[l] = (b[l] - dot(&ine.u[l], a)) * dinv[l];
        }
    }
    true
}

/// y = M·x (M the mass matrix with armature, in the light-DOF structure above).
pub fn mass_mul(t: &DofTree, phi: &[[f64; 3]], ine: &Inertias, x: &[f64], y: &mut [f64]) {
    let alpha = heavy_motion(t, phi, x);
    let mut f = [[0.0; 3]; MAX_BODY];
    for (b, ib) in ine.own.iter().enumerate().take(t.body_slot.len()) {
        let k = t.body_slot[b];
        if k != usize::MAX {
            axpy(&mut f[k], 1.0, &sym_mul(ib, &alpha[k]));
        }
    }
    for g in &t.light_groups {
        let k = t.body_slot[g.body];
        for &l in &g.dofs {
            axpy(&mut f[k], x[l], &ine.u[l]);
            y[l] = ine.mll[l] * x[l] + dot(&ine.u[l], &alpha[k]);
        }
    }
    for &j in &t.heavy {
        y[j] = ine.arm[j] * x[j];
    }
    apply_forces(t, phi, &mut f, 1.0, y);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::fixtures::glob;
    use crate::sim::kinematics::mass_matrix;
    use crate::sim::replay::{load, sim_for};

    /// A deterministic test vector.
    fn vector(nv: usize, seed: f64) -> [f64; MAX_DOF] {
        let mut x = [0.0; MAX_DOF];
        for (i, v) in x.iter_mut().enumerate().take(nv) {
            *v = (seed + 1.7 * i as f64).sin();
        }
        x
    }

    /// Runs `check` on the simulator after a forward pass at the first recorded states of
    /// every walking recording.
    fn at_recorded_states(mut check: impl FnMut(&crate::sim::sim::Sim)) {
        for meta in glob("dynamics_walk", "_meta.json") {
            let rec = load(&meta);
            let mut sim = sim_for(&rec.model);
            for c in rec.checkpoints().iter().take(3) {
                rec.start(&mut sim, c);
                sim.forward().unwrap();
                check(&sim);
            }
        }
    }

    /// `a` equals `b` in its first `nv` entries to `tol` (relative above 1).
    fn assert_close(a: &[f64], b: &[f64], nv: usize, tol: f64) {
        for i in 0..nv {
            assert!(
                (a[i] - b[i]).abs() < tol * (1.0 + b[i].abs()),
                "x[{i}] {} {}",
                a[i],
                b[i]
            );
        }
    }

    /// At recorded states: M·x from the inertias equals the composite-rigid-body M times x,
    /// and solving with the light DOFs eliminated (pivots with a diagonal shift and a coupling
    /// entry per light DOF) equals the sparse LᵀDL solve of the whole matrix.
    #[test]
    fn light_elimination_matches_the_full_factorisation() {
        at_recorded_states(|sim| {
            let (m, t) = (&sim.model, &sim.model.tree);
            let nv = m.nv();
            let mut full = t.zeros();
            mass_matrix(m, &sim.kin, t, &mut full);
            let x = vector(nv, 0.3);
            let (mut y, mut z) = ([0.0; MAX_DOF], [0.0; MAX_DOF]);
            mass_mul(t, &sim.kin.phi, &sim.inertias, &x, &mut y);
            t.mat_vec(&full, &x, &mut z);
            assert_close(&y, &z, nv, 1e-12);
            // H = M + diag(e) + w·(e_l - 0.7·e_p)(e_l - 0.7·e_p)ᵀ for every light l
            let mut lp = LightPivots::default();
            let mut h = full.clone();
            for i in 0..nv {
                let e = 0.01 * (1.0 + i as f64);
                h.rows[i][0] += e;
                if t.light[i] {
                    lp.d[i] = sim.inertias.mll[i] + e;
                    let p = t.partner[i];
                    if p != usize::MAX {
                        let w = 0.05;
                        t.add_outer(&mut h, &[i as u8, p as u8], &[1.0, -0.7], w);
                        lp.d[i] += w;
                        lp.c[i] = -0.7 * w;
                    }
                }
            }
            let mut s = t.zeros();
            schur(t, &sim.kin.phi, &sim.inertias, &mut lp, &mut s);
            for &i in &t.heavy {
                let e = 0.01 * (1.0 + i as f64);
                s.rows[i][0] += sim.inertias.arm[i] + e;
            }
            for i in 0..nv {
                let p = t.partner[i];
                if t.light[i] && p != usize::MAX {
                    s.rows[p][0] += 0.05 * 0.49;
                }
            }
            assert!(t.factor(&mut s, t.n_light, nv));
            assert!(t.factor(&mut h, 0, nv));
            let mut a = vector(nv, 1.1);
            let mut b = a;
            forward(t, &sim.kin.phi, &sim.inertias, &lp, &mut a);
            t.solve_up(&s, &mut a, t.n_light, nv);
            t.solve_down(&s, &mut a, t.n_light, nv);
            back(t, &sim.kin.phi, &sim.inertias, &lp, &mut a);
            t.solve(&h, &mut b);
            assert_close(&a, &b, nv, 1e-9);
        });
    }

    /// At recorded states: the articulated-body solve of M + diag(e) (the integrator's matrix)
    /// equals the sparse LᵀDL solve of the assembled matrix, and a non-positive pivot is
    /// reported, not divided by.
    #[test]
    fn articulated_solve_matches_the_full_factorisation() {
        at_recorded_states(|sim| {
            let (m, t) = (&sim.model, &sim.model.tree);
            let nv = m.nv();
            let mut h = t.zeros();
            mass_matrix(m, &sim.kin, t, &mut h);
            let mut extra = [0.0; MAX_DOF];
            for (i, e) in extra.iter_mut().enumerate().take(nv) {
                *e = 1e-4 * (1.0 + i as f64);
                h.rows[i][0] += *e;
            }
            assert!(t.factor(&mut h, 0, nv));
            let solve = |extra: &[f64], x: &mut [f64]| {
                let unit = [false; MAX_DOF];
                articulated_solve(t, &sim.kin.phi, &sim.inertias, extra, &unit, x)
            };
            let mut a = vector(nv, 0.7);
            let mut b = a;
            assert!(solve(&extra, &mut a));
            t.solve(&h, &mut b);
            assert_close(&a, &b, nv, 1e-9);
            let mut bad = extra;
            bad[t.heavy[0]] = -1e9;
            assert!(!solve(&bad, &mut vector(nv, 0.1)));
        });
    }
}
