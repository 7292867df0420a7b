//! Forward kinematics of the planar tree, point Jacobians, the bodies' inertias (the mass
//! matrix in factored form, see [`super::light`]) and the bias forces (Coriolis, centrifugal
//! and gravity) by a planar recursive pass; the assembled joint-space mass matrix is kept as
//! the tests' reference.

use super::model::{DofKind, SimModel, MAX_BODY, MAX_DOF};
use super::planar::{dot, inertia, sym_add, sym_mul, Sym3};
#[cfg(test)]
use super::tree::{DofTree, TreeMat, ROW};

/// Pose of a body frame in P: origin and rotation angle about z.
#[derive(Clone, Copy, Debug, Default)]
pub struct Frame {
    pub o: [f64; 3],
    pub c: f64,
    pub s: f64,
    pub angle: f64,
}

impl Frame {
    /// Maps a body-frame point to P.
    #[inline]
    pub fn point(&self, p: &[f64; 3]) -> [f64; 3] {
        [
            self.o[0] + self.c * p[0] - self.s * p[1],
            self.o[1] + self.s * p[0] + self.c * p[1],
            self.o[2] + p[2],
        ]
    }
    /// Maps a body-frame direction to P.
    #[inline]
    pub fn dir(&self, d: &[f64; 3]) -> [f64; 3] {
        [
            self.c * d[0] - self.s * d[1],
            self.s * d[0] + self.c * d[1],
            d[2],
        ]
    }
}

/// Per-step kinematic quantities.
#[derive(Clone, Debug)]
pub struct Kin {
    pub frame: [Frame; MAX_BODY],
    /// World (P) centre of mass of each body.
    pub com: [[f64; 3]; MAX_BODY],
    /// Per DOF: axis in P (slides) and anchor in P (hinges).
    pub axis: [[f64; 3]; MAX_DOF],
    pub anchor: [[f64; 3]; MAX_DOF],
    /// Per DOF: planar motion vector of a unit velocity ([`super::planar`]); zero for slides
    /// along z (out of the plane) and in the entry after the last DOF.
    pub phi: [[f64; 3]; MAX_DOF + 1],
    /// Per DOF: the out-of-plane (z) velocity of a unit velocity (slides with a z axis).
    pub vz: [f64; MAX_DOF],
    /// Per body: angular velocity, velocity of the body origin, and the velocity-product
    /// (bias) accelerations of the origin and the angle.
    pub omega: [f64; MAX_BODY],
    pub vel: [[f64; 3]; MAX_BODY],
    /// Per body: planar motion vector of its velocity ([`super::planar`]).
    pub vsp: [[f64; 3]; MAX_BODY],
    pub acc_bias: [[f64; 3]; MAX_BODY],
    pub alpha_bias: [f64; MAX_BODY],
}

impl Default for Kin {
    fn default() -> Self {
        Kin {
            frame: [Frame::default(); MAX_BODY],
            com: [[0.0; 3]; MAX_BODY],
            axis: [[0.0; 3]; MAX_DOF],
            anchor: [[0.0; 3]; MAX_DOF],
            phi: [[0.0; 3]; MAX_DOF + 1],
            vz: [0.0; MAX_DOF],
            omega: [0.0; MAX_BODY],
            vel: [[0.0; 3]; MAX_BODY],
            vsp: [[0.0; 3]; MAX_BODY],
            acc_bias: [[0.0; 3]; MAX_BODY],
            alpha_bias: [0.0; MAX_BODY],
        }
    }
}

#[inline]
fn cross_z(w: f64, r: [f64; 3]) -> [f64; 3] {
    [-w * r[1], w * r[0], 0.0]
}

/// Positions, velocities and bias accelerations of every body.
pub fn forward(m: &SimModel, q: &[f64], v: &[f64], k: &mut Kin) {
    for (b, body) in m.bodies.iter().enumerate() {
        let (mut f, mut w, mut vo, mut ao, alpha) = if body.parent == usize::MAX {
            (
                Frame {
                    o: [0.0; 3],
                    c: 1.0,
                    s: 0.0,
                    angle: 0.0,
                },
                0.0,
                [0.0; 3],
                [0.0; 3],
                0.0,
            )
        } else {
            let p = body.parent;
            (
                k.frame[p],
                k.omega[p],
                k.vel[p],
                k.acc_bias[p],
                k.alpha_bias[p],
            )
        };
        // fixed offset from the parent
        let o = f.point(&body.pos);
        let r = [o[0] - f.o[0], o[1] - f.o[1], 0.0];
        let wr = cross_z(w, r);
        vo = [vo[0] + wr[0], vo[1] + wr[1], vo[2]];
        ao = [
            ao[0] - alpha * r[1] - w * w * r[0],
            ao[1] + alpha * r[0] - w * w * r[1],
            ao[2],
        ];
        f.o = o;
        if body.angle != 0.0 {
            f.angle += body.angle;
            f.c = f.angle.cos();
            f.s = f.angle.sin();
        }
        for j in body.dof_start..body.dof_end {
            let d = &m.dofs[j];
            match d.kind {
                DofKind::Slide => {
                    let ax = f.dir(&d.axis);
                    k.axis[j] = ax;
                    k.anchor[j] = f.o;
                    k.phi[j] = if out_of_plane(&ax) {
                        [0.0; 3]
                    } else {
                        [0.0, ax[0], ax[1]]
                    };
                    k.vz[j] = ax[2];
                    f.o = [
                        f.o[0] + ax[0] * q[j],
                        f.o[1] + ax[1] * q[j],
                        f.o[2] + ax[2] * q[j],
                    ];
                    // moving along a rotating axis: Coriolis 2 w x u qd
                    let cu = cross_z(w, ax);
                    vo = [
                        vo[0] + ax[0] * v[j],
                        vo[1] + ax[1] * v[j],
                        vo[2] + ax[2] * v[j],
                    ];
                    // the origin moved by ax*q: its rigid-body velocity/acc already account via
                    // r-terms only for fixed offsets; add the transport terms of the shift
                    let r = [ax[0] * q[j], ax[1] * q[j], 0.0];
                    let wr = cross_z(w, r);
                    vo = [vo[0] + wr[0], vo[1] + wr[1], vo[2]];
                    ao = [
                        ao[0] - alpha * r[1] - w * w * r[0] + 2.0 * cu[0] * v[j],
                        ao[1] + alpha * r[0] - w * w * r[1] + 2.0 * cu[1] * v[j],
                        ao[2],
                    ];
                }
                DofKind::Hinge => {
                    let a = f.point(&d.anchor);
                    k.anchor[j] = a;
                    k.axis[j] = [0.0, 0.0, 1.0];
                    k.phi[j] = [1.0, a[1], -a[0]];
                    // velocity/acc of the anchor (rigid on the current frame)
                    let ra = [a[0] - f.o[0], a[1] - f.o[1], 0.0];
                    let va = {
                        let t = cross_z(w, ra);
                        [vo[0] + t[0], vo[1] + t[1], vo[2]]
                    };
                    let aa = [
                        ao[0] - alpha * ra[1] - w * w * ra[0],
                        ao[1] + alpha * ra[0] - w * w * ra[1],
                        ao[2],
                    ];
                    f.angle += q[j];
                    f.c = f.angle.cos();
                    f.s = f.angle.sin();
                    w += v[j];
                    // new origin keeps the anchor fixed: o = a - R·anchor
                    let ra2 = f.dir(&d.anchor);
                    f.o = [a[0] - ra2[0], a[1] - ra2[1], a[2] - d.anchor[2]];
                    let r = [f.o[0] - a[0], f.o[1] - a[1], 0.0];
                    let t = cross_z(w, r);
                    vo = [va[0] + t[0], va[1] + t[1], va[2]];
                    ao = [
                        aa[0] - alpha * r[1] - w * w * r[0],
                        aa[1] + alpha * r[0] - w * w * r[1],
                        aa[2],
                    ];
                }
            }
        }
        k.frame[b] = f;
        k.omega[b] = w;
        k.vel[b] = vo;
        k.vsp[b] = [w, vo[0] + w * f.o[1], vo[1] - w * f.o[0]];
        k.acc_bias[b] = ao;
        k.alpha_bias[b] = alpha;
        k.com[b] = f.point(&body.com);
    }
}

/// Jacobian column of DOF `j` for a point `p` (in P) rigidly attached downstream of `j`:
/// linear part (3) and angular part (z).
#[inline]
pub fn column(m: &SimModel, k: &Kin, j: usize, p: &[f64; 3]) -> ([f64; 3], f64) {
    match m.dofs[j].kind {
        DofKind::Hinge => {
            let a = k.anchor[j];
            ([-(p[1] - a[1]), p[0] - a[0], 0.0], 1.0)
        }
        DofKind::Slide => (k.axis[j], 0.0),
    }
}

/// The DOFs that move body `b` (its ancestors' and its own), ascending.
pub fn chain(m: &SimModel, b: usize, out: &mut [usize; MAX_DOF]) -> usize {
    let mut n = 0;
    let mut bb = b;
    while bb != usize::MAX {
        let body = &m.bodies[bb];
        for j in (body.dof_start..body.dof_end).rev() {
            out[n] = j;
            n += 1;
        }
        bb = body.parent;
    }
    out[..n].reverse();
    n
}

/// The spatial inertias of one configuration: per body its own and its subtree's (about the P
/// origin), and per light DOF (see [`super::light`]) U_l = I_b·φ_l and its diagonal mass entry.
#[derive(Clone, Debug)]
pub struct Inertias {
    pub own: [Sym3; MAX_BODY],
    pub comp: [Sym3; MAX_BODY],
    pub u: [[f64; 3]; MAX_DOF],
    pub mll: [f64; MAX_DOF],
    /// Armature of every DOF.
    pub arm: [f64; MAX_DOF],
}

impl Default for Inertias {
    fn default() -> Self {
        Inertias {
            own: [[0.0; 6]; MAX_BODY],
            comp: [[0.0; 6]; MAX_BODY],
            u: [[0.0; 3]; MAX_DOF],
            mll: [0.0; MAX_DOF],
            arm: [0.0; MAX_DOF],
        }
    }
}

/// The inertias of the configuration `k` (with its motion vectors `k.phi`).
pub fn inertias(m: &SimModel, k: &Kin, out: &mut Inertias) {
    let nb = m.bodies.len();
    for (b, body) in m.bodies.iter().enumerate() {
        out.own[b] = inertia(body.mass, body.izz, &k.com[b]);
    }
    out.comp[..nb].copy_from_slice(&out.own[..nb]);
    for b in (1..nb).rev() {
        let p = m.bodies[b].parent;
        if p != usize::MAX {
            let c = out.comp[b];
            sym_add(&mut out.comp[p], &c);
        }
    }
    let t = &m.tree;
    for (j, d) in m.dofs.iter().enumerate() {
        out.arm[j] = d.armature;
        if t.light[j] {
            let b = d.body;
            out.u[j] = sym_mul(&out.own[b], &k.phi[j]);
            out.mll[j] = d.armature
                + if d.kind == DofKind::Slide && out_of_plane(&k.axis[j]) {
                    m.bodies[b].mass
                } else {
                    dot(&k.phi[j], &out.u[j])
                };
        }
    }
}

/// A slide along z, out of the plane: it moves no in-plane point and sees the subtree mass.
#[inline]
fn out_of_plane(u: &[f64; 3]) -> bool {
    u[2] != 0.0 && u[0] == 0.0 && u[1] == 0.0
}

/// Joint-space mass matrix by the composite-rigid-body algorithm in P coordinates (planar
/// spatial inertias about the P origin; out-of-plane slides see the subtree mass), including
/// armature, in the layout of `tree` (entries outside it are zero).
#[cfg(test)]
pub fn mass_matrix(m: &SimModel, k: &Kin, tree: &DofTree, mm: &mut TreeMat) {
    let nv = m.nv();
    let nb = m.bodies.len();
    let mut ic = [[0.0f64; 6]; MAX_BODY];
    let mut msub = [0.0f64; MAX_BODY];
    for (b, body) in m.bodies.iter().enumerate() {
        ic[b] = inertia(body.mass, body.izz, &k.com[b]);
        msub[b] = body.mass;
    }
    for b in (1..nb).rev() {
        let p = m.bodies[b].parent;
        if p != usize::MAX {
            let c = ic[b];
            sym_add(&mut ic[p], &c);
            msub[p] += msub[b];
        }
    }
    mm.rows.fill([0.0; ROW]);
    for i in 0..nv {
        let b = m.dofs[i].body;
        if m.dofs[i].kind == DofKind::Slide && out_of_plane(&k.axis[i]) {
            for (v, &j) in mm.rows[i].iter_mut().zip(&tree.pcol[i]) {
                let j = j as usize;
                if j < nv && m.dofs[j].kind == DofKind::Slide && out_of_plane(&k.axis[j]) {
                    *v = msub[b];
                }
            }
        } else {
            tree.add_projection(mm, &k.phi, &ic[b], i);
        }
        mm.rows[i][0] += m.dofs[i].armature;
    }
}

/// Joint-space mass matrix as a sum over bodies of Jᵀ·m·J (reference for the CRBA above).
#[cfg(test)]
pub fn mass_matrix_by_jacobians(m: &SimModel, k: &Kin, mm: &mut [[f64; MAX_DOF]; MAX_DOF]) {
    let nv = m.nv();
    for r in mm.iter_mut().take(nv) {
        r[..nv].fill(0.0);
    }
    let mut cols = [([0.0; 3], 0.0); MAX_DOF];
    for (b, body) in m.bodies.iter().enumerate() {
        if body.mass == 0.0 && body.izz == 0.0 {
            continue;
        }
        let ch = &m.chains[b];
        let n = ch.len();
        let p = k.com[b];
        for i in 0..n {
            cols[i] = column(m, k, ch[i], &p);
        }
        for i in 0..n {
            let (li, ri) = cols[i];
            for jj in 0..=i {
                let (lj, rj) = cols[jj];
                let val = body.mass * (li[0] * lj[0] + li[1] * lj[1] + li[2] * lj[2])
                    + body.izz * ri * rj;
                mm[ch[i]][ch[jj]] += val;
            }
        }
    }
    for i in 0..nv {
        mm[i][i] += m.dofs[i].armature;
        for j in 0..i {
            mm[j][i] = mm[i][j];
        }
    }
}

/// Bias forces c(q, v) = Coriolis/centrifugal + gravity (MuJoCo `qfrc_bias`).
pub fn bias_forces(m: &SimModel, k: &Kin, g: [f64; 3], out: &mut [f64]) {
    let t = &m.tree;
    // per slot of the DOF tree: the force vectors (τ, f_x, f_y, f_z) of the bodies it carries
    let mut ws = [[0.0f64; 4]; MAX_BODY];
    for (b, body) in m.bodies.iter().enumerate() {
        if body.mass == 0.0 && body.izz == 0.0 {
            continue;
        }
        let f = &k.frame[b];
        // bias acceleration of the COM
        let c = k.com[b];
        let r = [c[0] - f.o[0], c[1] - f.o[1], 0.0];
        let w = k.omega[b];
        let al = k.alpha_bias[b];
        let a = k.acc_bias[b];
        let ac = [
            a[0] - al * r[1] - w * w * r[0],
            a[1] + al * r[0] - w * w * r[1],
            a[2],
        ];
        let force = [
            body.mass * (ac[0] - g[0]),
            body.mass * (ac[1] - g[1]),
            body.mass * (ac[2] - g[2]),
        ];
        let wb = [
            body.izz * al + c[0] * force[1] - c[1] * force[0],
            force[0],
            force[1],
            force[2],
        ];
        let own = body.dof_start..body.dof_end;
        for (o, j) in out[own.clone()].iter_mut().zip(own) {
            if t.light[j] {
                *o = bias_of(k, j, &wb);
            }
        }
        let s = t.body_slot[b];
        if s != usize::MAX {
            for (x, y) in ws[s].iter_mut().zip(&wb) {
                *x += y;
            }
        }
    }
    for s in (1..t.slot_body.len()).rev() {
        let p = t.slot_parent[s];
        if p != usize::MAX {
            let w = ws[s];
            for (x, y) in ws[p].iter_mut().zip(&w) {
                *x += y;
            }
        }
    }
    for &j in &t.heavy {
        out[j] = bias_of(k, j, &ws[t.dof_slot[j]]);
    }
}

/// A DOF's generalised force from a force vector (τ, f_x, f_y, f_z) on what it moves.
#[inline]
fn bias_of(k: &Kin, j: usize, w: &[f64; 4]) -> f64 {
    let p = &k.phi[j];
    p[0] * w[0] + p[1] * w[1] + p[2] * w[2] + k.vz[j] * w[3]
}
