//! MuJoCo's `mj_setConst` inverse weights computed on the full original (3-D, all joints,
//! arms free) model at qpos0: `dof_invweight0` = diag(M⁻¹) and `body_invweight0` = mean
//! translational / rotational diagonal of J M⁻¹ Jᵀ at the body's centre of mass. They set the
//! constraint regulariser R = (1-d)/d · diagApprox, to which the trajectories are sensitive
//! (10 % in the weights moves a 200-ms replay by 1e-2 rad), so they are computed exactly here
//! rather than on the reduced planar tree.

use super::linalg::{chol_solve, cholesky};
use super::mat3::{cross, mm, mv, quat_mat};
use crate::model::{JointType, Model};

type V3 = [f64; 3];

/// Inverse weights per joint (= DOF) and per body (translation, rotation).
pub struct InvWeights {
    pub dof: Vec<f64>,
    pub body: Vec<[f64; 2]>,
}

pub fn compute(model: &Model) -> Option<InvWeights> {
    let bodies = &model.bodies;
    let joints = &model.joints;
    let nv = joints.len();
    let nb = bodies.len();
    let mut xpos = vec![[0.0; 3]; nb];
    let mut xmat = vec![[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]; nb];
    let mut jaxis = vec![[0.0; 3]; nv];
    let mut janchor = vec![[0.0; 3]; nv];
    for (i, b) in bodies.iter().enumerate().skip(1) {
        let p = b.parent;
        let o = mv(&xmat[p], &b.pos);
        xpos[i] = [xpos[p][0] + o[0], xpos[p][1] + o[1], xpos[p][2] + o[2]];
        xmat[i] = mm(&xmat[p], &quat_mat(&b.quat));
        for &j in &b.joints {
            jaxis[j] = mv(&xmat[i], &joints[j].axis);
            let a = mv(&xmat[i], &joints[j].pos);
            janchor[j] = [xpos[i][0] + a[0], xpos[i][1] + a[1], xpos[i][2] + a[2]];
        }
    }
    // Jacobian (nv x 6) of a point on body b
    let jac = |b: usize, p: V3| -> Vec<[f64; 6]> {
        let mut out = vec![[0.0; 6]; nv];
        let mut bb = b;
        while bb != 0 {
            for &j in &bodies[bb].joints {
                if joints[j].jtype == JointType::Hinge {
                    let r = [
                        p[0] - janchor[j][0],
                        p[1] - janchor[j][1],
                        p[2] - janchor[j][2],
                    ];
                    let l = cross(jaxis[j], r);
                    out[j] = [l[0], l[1], l[2], jaxis[j][0], jaxis[j][1], jaxis[j][2]];
                } else {
                    out[j] = [jaxis[j][0], jaxis[j][1], jaxis[j][2], 0.0, 0.0, 0.0];
                }
            }
            bb = bodies[bb].parent;
        }
        out
    };
    let mut mass = vec![vec![0.0; nv]; nv];
    let mut com = vec![[0.0; 3]; nb];
    for (i, b) in bodies.iter().enumerate().skip(1) {
        let ip = mv(&xmat[i], &b.ipos);
        com[i] = [xpos[i][0] + ip[0], xpos[i][1] + ip[1], xpos[i][2] + ip[2]];
        let r = mm(&xmat[i], &quat_mat(&b.iquat));
        let d = b.inertia;
        let mut iw = [[0.0; 3]; 3];
        for a in 0..3 {
            for c in 0..3 {
                iw[a][c] = (0..3).map(|k| r[a][k] * d[k] * r[c][k]).sum();
            }
        }
        let jc = jac(i, com[i]);
        for x in 0..nv {
            if jc[x] == [0.0; 6] {
                continue;
            }
            for y in 0..nv {
                let (a, c) = (&jc[x], &jc[y]);
                let lin = b.mass * (a[0] * c[0] + a[1] * c[1] + a[2] * c[2]);
                let w = mv(&iw, &c[3..6]);
                mass[x][y] += lin + a[3] * w[0] + a[4] * w[1] + a[5] * w[2];
            }
        }
    }
    for (j, jt) in joints.iter().enumerate() {
        mass[j][j] += jt.armature;
    }
    let inv = invert(&mass)?;
    let dof = (0..nv).map(|j| inv[j][j]).collect();
    let mut body = vec![[0.0; 2]; nb];
    for (i, w) in body.iter_mut().enumerate().skip(1) {
        let jc = jac(i, com[i]);
        let mut a = [0.0; 6];
        for (r, ar) in a.iter_mut().enumerate() {
            let mut s = 0.0;
            for x in 0..nv {
                if jc[x][r] == 0.0 {
                    continue;
                }
                for y in 0..nv {
                    s += jc[x][r] * inv[x][y] * jc[y][r];
                }
            }
            *ar = s;
        }
        *w = [(a[0] + a[1] + a[2]) / 3.0, (a[3] + a[4] + a[5]) / 3.0];
    }
    Some(InvWeights { dof, body })
}

fn invert(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = m.to_vec();
    if !cholesky(&mut l, n) {
        return None;
    }
    let mut inv = vec![vec![0.0; n]; n];
    let mut b = vec![0.0; n];
    for c in 0..n {
        b.fill(0.0);
        b[c] = 1.0;
        chol_solve(&l, n, &mut b);
        for r in 0..n {
            inv[r][c] = b[r];
        }
    }
    Some(inv)
}
