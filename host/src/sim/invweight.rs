//! MuJoCo's `dof_invweight0` and `body_invweight0` (`mj_setConst`): diagonal of M⁻¹ and the
//! mean of the body-Jacobian-projected inverse inertia at qpos0. They scale the constraint
//! regulariser R = (1-d)/d · diagApprox.

use super::kinematics::{chain, column, forward, mass_matrix, Kin};
use super::linalg::{chol_solve, cholesky, Mat};
use super::model::{SimModel, MAX_DOF};

pub fn compute(m: &mut SimModel) {
    let nv = m.nv();
    let q = [0.0; MAX_DOF];
    let mut k = Kin::default();
    forward(m, &q, &q, &mut k);
    let mut mass: Mat = [[0.0; MAX_DOF]; MAX_DOF];
    mass_matrix(m, &k, &mut mass);
    let mut l = mass;
    if !cholesky(&mut l, nv) {
        return;
    }
    // full inverse
    let mut inv: Mat = [[0.0; MAX_DOF]; MAX_DOF];
    for c in 0..nv {
        let mut e = [0.0; MAX_DOF];
        e[c] = 1.0;
        chol_solve(&l, nv, &mut e);
        for r in 0..nv {
            inv[r][c] = e[r];
        }
    }
    for i in 0..nv {
        m.dofs[i].invweight0 = inv[i][i];
    }
    let mut ch = [0usize; MAX_DOF];
    for b in 0..m.bodies.len() {
        let n = chain(m, b, &mut ch);
        if n == 0 {
            continue;
        }
        let p = k.com[b];
        let mut jt = [[0.0; MAX_DOF]; 3];
        let mut jr = [0.0; MAX_DOF];
        for &j in &ch[..n] {
            let (c, r) = column(m, &k, j, &p);
            jt[0][j] = c[0];
            jt[1][j] = c[1];
            jt[2][j] = c[2];
            jr[j] = r;
        }
        let quad = |a: &[f64; MAX_DOF]| {
            let mut s = 0.0;
            for i in 0..nv {
                for j in 0..nv {
                    s += a[i] * inv[i][j] * a[j];
                }
            }
            s
        };
        let tran = (quad(&jt[0]) + quad(&jt[1]) + quad(&jt[2])) / 3.0;
        let rot = quad(&jr) / 3.0;
        m.bodies[b].invweight0 = [tran, rot];
    }
}
