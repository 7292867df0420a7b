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

/// Area, unit normal and centre of a triangle (MuJoCo's `triangle`; area 0 for degenerate ones).
fn triangle(a: &V3, b: &V3, c: &V3) -> (f64, V3, V3) {
    let center = [
        (a[0] + b[0] + c[0]) / 3.0,
        (a[1] + b[1] + c[1]) / 3.0,
        (a[2] + b[2] + c[2]) / 3.0,
    ];
    let n = math::cross(&math::sub(b, a), &math::sub(c, a));
    let len = math::norm(&n);
    if len < 1e-15 {
        return (0.0, n, center);
    }
    (len / 2.0, [n[0] / len, n[1] / len, n[2] / len], center)
}

/// Mass properties of a triangle mesh as MuJoCo's compiler computes them with its default
/// `inertia="legacy"` rule: pyramids from each face to the area-weighted face centre give the
/// centre of mass, pyramids from each face to the centre of mass give volume and inertia, and
/// every pyramid volume counts positive.
pub fn mesh(vertices: &[[f64; 3]], faces: &[[usize; 3]]) -> MassProps {
    let mut facecen = [0.0; 3];
    let mut total_area = 0.0;
    for f in faces {
        let (area, _, cen) = triangle(&vertices[f[0]], &vertices[f[1]], &vertices[f[2]]);
        for k in 0..3 {
            facecen[k] += area * cen[k];
        }
        total_area += area;
    }
    if total_area >= 1e-15 {
        facecen = math::scale(&facecen, 1.0 / total_area);
    }
    let mut com = [0.0; 3];
    let mut vol = 0.0;
    for f in faces {
        let (area, n, cen) = triangle(&vertices[f[0]], &vertices[f[1]], &vertices[f[2]]);
        let v = (math::dot(&math::sub(&cen, &facecen), &n) * area / 3.0).abs();
        vol += v;
        for k in 0..3 {
            com[k] += v * (cen[k] * 3.0 / 4.0 + facecen[k] / 4.0);
        }
    }
    if vol >= 1e-15 {
        com = math::scale(&com, 1.0 / vol);
    }
    let centered: Vec<V3> = vertices.iter().map(|v| math::sub(v, &com)).collect();
    const K: [[usize; 2]; 6] = [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]];
    let mut p = [0.0; 6];
    let mut total = 0.0;
    for f in faces {
        let (d, e, g) = (&centered[f[0]], &centered[f[1]], &centered[f[2]]);
        let (area, n, cen) = triangle(d, e, g);
        let v = (math::dot(&cen, &n) * area / 3.0).abs();
        total += v;
        for (j, &[a, b]) in K.iter().enumerate() {
            p[j] += v / 20.0
                * (2.0 * (d[a] * d[b] + e[a] * e[b] + g[a] * g[b])
                    + d[a] * e[b]
                    + d[b] * e[a]
                    + d[a] * g[b]
                    + d[b] * g[a]
                    + e[a] * g[b]
                    + e[b] * g[a]);
        }
    }
    let inertia = [
        p[1] + p[2],
        -p[3],
        -p[4],
        -p[3],
        p[0] + p[2],
        -p[5],
        -p[4],
        -p[5],
        p[0] + p[1],
    ];
    MassProps {
        volume: total,
        com,
        inertia,
    }
}

/// Eigen-decomposition of a symmetric 3x3 matrix as MuJoCo's compiler does it (`mjuu_eig3`:
/// Jacobi rotations accumulated in a quaternion, eigenvalues sorted in decreasing order by
/// quarter-turn rotations), so principal frames come out with MuJoCo's axis order and signs.
/// Returns the eigenvalues and the quaternion whose rotation matrix has the eigenvectors as
/// columns.
pub fn eig3(mat: &M3) -> ([f64; 3], Q) {
    const EPS: f64 = 1e-12;
    let mut quat: Q = math::QID;
    let mut eigval = [0.0; 3];
    let mulmat = |a: &M3, b: &M3| -> M3 {
        let mut r = [0.0; 9];
        for i in 0..3 {
            for j in 0..3 {
                r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        r
    };
    for _ in 0..500 {
        let ev = math::qmat(&quat);
        let evt = [
            ev[0], ev[3], ev[6], ev[1], ev[4], ev[7], ev[2], ev[5], ev[8],
        ];
        let d = mulmat(&mulmat(&evt, mat), &ev);
        eigval = [d[0], d[4], d[8]];
        let (rk, ck, rotk) = if d[1].abs() > d[2].abs() && d[1].abs() > d[5].abs() {
            (0, 1, 2)
        } else if d[2].abs() > d[5].abs() {
            (0, 2, 1)
        } else {
            (1, 2, 0)
        };
        if d[3 * rk + ck].abs() < EPS {
            break;
        }
        let tau = (d[4 * ck] - d[4 * rk]) / (2.0 * d[3 * rk + ck]);
        let t = if tau >= 0.0 {
            1.0 / (tau + (1.0 + tau * tau).sqrt())
        } else {
            -1.0 / (-tau + (1.0 + tau * tau).sqrt())
        };
        let c = 1.0 / (1.0 + t * t).sqrt();
        if c > 1.0 - EPS {
            break;
        }
        let mut r = [0.0; 4];
        r[rotk + 1] = if tau >= 0.0 {
            -(0.5 - 0.5 * c).sqrt()
        } else {
            (0.5 - 0.5 * c).sqrt()
        };
        if rotk == 1 {
            r[rotk + 1] = -r[rotk + 1];
        }
        r[0] = (1.0 - r[rotk + 1] * r[rotk + 1]).sqrt();
        quat = math::qnormalize(&math::qmul(&quat, &math::qnormalize(&r)));
    }
    for j in 0..3 {
        let j1 = j % 2;
        if eigval[j1] + EPS < eigval[j1 + 1] {
            eigval.swap(j1, j1 + 1);
            // MuJoCo's literal (one ulp from FRAC_1_SQRT_2): kept so the quaternions match
            #[allow(clippy::approx_constant)]
            let mut r = [0.707106781186548, 0.0, 0.0, 0.0];
            r[(j1 + 2) % 3 + 1] = r[0];
            quat = math::qnormalize(&math::qmul(&quat, &r));
        }
    }
    (eigval, quat)
}
