//! Small 3-D rotation helpers (quaternions w, x, y, z), written like MuJoCo's `mju_*` so that
//! results agree with it to the last bits where the operation order matters.

pub type V3 = [f64; 3];
pub type Q = [f64; 4];
/// Row-major 3x3 rotation matrix.
pub type M3 = [f64; 9];

pub const QID: Q = [1.0, 0.0, 0.0, 0.0];

/// MuJoCo `mju_mulQuat`.
#[inline]
pub fn qmul(a: &Q, b: &Q) -> Q {
    [
        a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
        a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
        a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
        a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
    ]
}

/// MuJoCo `mju_normalize4` (returns identity for a zero quaternion).
#[inline]
pub fn qnormalize(q: &Q) -> Q {
    let n = (q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]).sqrt();
    if n < 1e-15 {
        return QID;
    }
    [q[0] / n, q[1] / n, q[2] / n, q[3] / n]
}

/// MuJoCo `mju_axisAngle2Quat` (axis assumed unit).
#[inline]
pub fn qaxis(axis: &V3, angle: f64) -> Q {
    if angle == 0.0 {
        return QID;
    }
    let (s, c) = (angle * 0.5).sin_cos();
    [c, axis[0] * s, axis[1] * s, axis[2] * s]
}

/// MuJoCo `mju_quat2Mat`.
#[inline]
pub fn qmat(q: &Q) -> M3 {
    if q[0] == 1.0 && q[1] == 0.0 && q[2] == 0.0 && q[3] == 0.0 {
        return [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
    }
    let (q00, q01, q02, q03) = (q[0] * q[0], q[0] * q[1], q[0] * q[2], q[0] * q[3]);
    let (q11, q12, q13) = (q[1] * q[1], q[1] * q[2], q[1] * q[3]);
    let (q22, q23, q33) = (q[2] * q[2], q[2] * q[3], q[3] * q[3]);
    [
        q00 + q11 - q22 - q33,
        2.0 * (q12 - q03),
        2.0 * (q13 + q02),
        2.0 * (q12 + q03),
        q00 - q11 + q22 - q33,
        2.0 * (q23 - q01),
        2.0 * (q13 - q02),
        2.0 * (q23 + q01),
        q00 - q11 - q22 + q33,
    ]
}

/// `m * v` (MuJoCo `mju_mulMatVec3`).
#[inline]
pub fn mv(m: &M3, v: &V3) -> V3 {
    [
        m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
        m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
        m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
    ]
}

/// `mᵀ * v`.
#[inline]
pub fn mtv(m: &M3, v: &V3) -> V3 {
    [
        m[0] * v[0] + m[3] * v[1] + m[6] * v[2],
        m[1] * v[0] + m[4] * v[1] + m[7] * v[2],
        m[2] * v[0] + m[5] * v[1] + m[8] * v[2],
    ]
}

/// Rotates `v` by `q` (MuJoCo `mju_rotVecQuat`).
#[inline]
pub fn qrot(q: &Q, v: &V3) -> V3 {
    if q[0] == 1.0 && q[1] == 0.0 && q[2] == 0.0 && q[3] == 0.0 {
        return *v;
    }
    // mju_rotVecQuat: tmp = q_w v + q_v x v; res = v + 2 q_v x tmp
    let tmp = [
        q[0] * v[0] + q[2] * v[2] - q[3] * v[1],
        q[0] * v[1] + q[3] * v[0] - q[1] * v[2],
        q[0] * v[2] + q[1] * v[1] - q[2] * v[0],
    ];
    [
        v[0] + 2.0 * (q[2] * tmp[2] - q[3] * tmp[1]),
        v[1] + 2.0 * (q[3] * tmp[0] - q[1] * tmp[2]),
        v[2] + 2.0 * (q[1] * tmp[1] - q[2] * tmp[0]),
    ]
}

#[inline]
pub fn add(a: &V3, b: &V3) -> V3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

#[inline]
pub fn sub(a: &V3, b: &V3) -> V3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

#[inline]
pub fn scale(a: &V3, s: f64) -> V3 {
    [a[0] * s, a[1] * s, a[2] * s]
}

#[inline]
pub fn dot(a: &V3, b: &V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[inline]
pub fn cross(a: &V3, b: &V3) -> V3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

#[inline]
pub fn norm(a: &V3) -> f64 {
    dot(a, a).sqrt()
}

/// Unit vector (unchanged if zero).
#[inline]
pub fn normalize(a: &V3) -> V3 {
    let n = norm(a);
    if n < 1e-15 {
        *a
    } else {
        [a[0] / n, a[1] / n, a[2] / n]
    }
}

/// Quaternion of a rotation matrix (MuJoCo `mju_mat2Quat`).
pub fn mat2quat(m: &M3) -> Q {
    let tr = m[0] + m[4] + m[8];
    let q = if tr > 0.0 {
        let s = (tr + 1.0).sqrt() * 2.0;
        [
            0.25 * s,
            (m[7] - m[5]) / s,
            (m[2] - m[6]) / s,
            (m[3] - m[1]) / s,
        ]
    } else if m[0] > m[4] && m[0] > m[8] {
        let s = (1.0 + m[0] - m[4] - m[8]).sqrt() * 2.0;
        [
            (m[7] - m[5]) / s,
            0.25 * s,
            (m[1] + m[3]) / s,
            (m[2] + m[6]) / s,
        ]
    } else if m[4] > m[8] {
        let s = (1.0 + m[4] - m[0] - m[8]).sqrt() * 2.0;
        [
            (m[2] - m[6]) / s,
            (m[1] + m[3]) / s,
            0.25 * s,
            (m[5] + m[7]) / s,
        ]
    } else {
        let s = (1.0 + m[8] - m[0] - m[4]).sqrt() * 2.0;
        [
            (m[3] - m[1]) / s,
            (m[2] + m[6]) / s,
            (m[5] + m[7]) / s,
            0.25 * s,
        ]
    };
    qnormalize(&q)
}
