//! Mass properties of a closed triangle mesh (uniform density) and of primitive geoms, and
//! the symmetric 3x3 eigen-decomposition that gives principal axes.

use crate::model::math::{self, M3, Q, V3};

/// Volume, centre of mass and inertia tensor about the centre of mass (per unit density).
#[derive(Debug, Clone, Copy)]
pub struct MassProps {
    pub volume: f64,
    pub com: V3,
    /// Symmetric tensor, row-major.
    pub inertia: M3,
}

/// Mass properties of a triangle mesh from signed tetrahedra spanned by each face and the
/// area-weighted surface centre (MuJoCo's mesh volume rule for closed meshes).
pub fn mesh(vertices: &[[f64; 3]], faces: &[[usize; 3]]) -> MassProps {
    // area-weighted face centre as the common apex
    let mut area_sum = 0.0;
    let mut apex = [0.0; 3];
    for f in faces {
        let (a, b, c) = (vertices[f[0]], vertices[f[1]], vertices[f[2]]);
        let n = math::cross(&math::sub(&b, &a), &math::sub(&c, &a));
        let area = 0.5 * math::norm(&n);
        let cen = [(a[0] + b[0] + c[0]) / 3.0, (a[1] + b[1] + c[1]) / 3.0, (a[2] + b[2] + c[2]) / 3.0];
        apex = math::add(&apex, &math::scale(&cen, area));
        area_sum += area;
    }
    if area_sum > 0.0 {
        apex = math::scale(&apex, 1.0 / area_sum);
    }
    let mut vol = 0.0;
    let mut first = [0.0; 3];
    let mut second = [0.0; 9]; // ∫ x xᵀ dV relative to the apex
    for f in faces {
        let (a, b, c) = (
            math::sub(&vertices[f[0]], &apex),
            math::sub(&vertices[f[1]], &apex),
            math::sub(&vertices[f[2]], &apex),
        );
        let v = math::dot(&a, &math::cross(&b, &c)) / 6.0;
        vol += v;
        let s = math::add(&math::add(&a, &b), &c);
        first = math::add(&first, &math::scale(&s, v / 4.0));
        for i in 0..3 {
            for j in 0..3 {
                second[3 * i + j] += v / 20.0 * (a[i] * a[j] + b[i] * b[j] + c[i] * c[j] + s[i] * s[j]);
            }
        }
    }
    let com_rel = if vol.abs() > 0.0 { math::scale(&first, 1.0 / vol) } else { [0.0; 3] };
    // covariance about the CoM, then inertia = tr(C) I - C
    let mut cov = [0.0; 9];
    for i in 0..3 {
        for j in 0..3 {
            cov[3 * i + j] = second[3 * i + j] - vol * com_rel[i] * com_rel[j];
        }
    }
    let tr = cov[0] + cov[4] + cov[8];
    let mut inertia = [0.0; 9];
    for i in 0..3 {
        for j in 0..3 {
            inertia[3 * i + j] = if i == j { tr - cov[3 * i + j] } else { -cov[3 * i + j] };
        }
    }
    MassProps { volume: vol, com: math::add(&apex, &com_rel), inertia }
}

/// Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations: eigenvalues in
/// decreasing order and the rotation (as a unit quaternion) whose columns are the eigenvectors.
pub fn eig3(a: &M3) -> ([f64; 3], Q) {
    let mut m = *a;
    let mut v: M3 = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
    for _ in 0..64 {
        let off = m[1] * m[1] + m[2] * m[2] + m[5] * m[5];
        if off < 1e-40 {
            break;
        }
        for &(p, q) in &[(0usize, 1usize), (0, 2), (1, 2)] {
            let apq = m[3 * p + q];
            if apq.abs() < 1e-300 {
                continue;
            }
            let theta = (m[3 * q + q] - m[3 * p + p]) / (2.0 * apq);
            let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
            let t = if theta == 0.0 { 1.0 } else { t };
            let c = 1.0 / (t * t + 1.0).sqrt();
            let s = t * c;
            // m = Jᵀ m J with J the rotation in the (p, q) plane
            for k in 0..3 {
                let (mkp, mkq) = (m[3 * k + p], m[3 * k + q]);
                m[3 * k + p] = c * mkp - s * mkq;
                m[3 * k + q] = s * mkp + c * mkq;
            }
            for k in 0..3 {
                let (mpk, mqk) = (m[3 * p + k], m[3 * q + k]);
                m[3 * p + k] = c * mpk - s * mqk;
                m[3 * q + k] = s * mpk + c * mqk;
            }
            for k in 0..3 {
                let (vkp, vkq) = (v[3 * k + p], v[3 * k + q]);
                v[3 * k + p] = c * vkp - s * vkq;
                v[3 * k + q] = s * vkp + c * vkq;
            }
        }
    }
    let mut idx = [0usize, 1, 2];
    idx.sort_by(|&i, &j| m[3 * j + j].total_cmp(&m[3 * i + i]));
    let vals = [m[3 * idx[0] + idx[0]], m[3 * idx[1] + idx[1]], m[3 * idx[2] + idx[2]]];
    let mut r = [0.0; 9];
    for (col, &i) in idx.iter().enumerate() {
        for row in 0..3 {
            r[3 * row + col] = v[3 * row + i];
        }
    }
    // right-handed
    let c0 = [r[0], r[3], r[6]];
    let c1 = [r[1], r[4], r[7]];
    let c2 = [r[2], r[5], r[8]];
    if math::dot(&math::cross(&c0, &c1), &c2) < 0.0 {
        r[2] = -r[2];
        r[5] = -r[5];
        r[8] = -r[8];
    }
    (vals, math::mat2quat(&r))
}
