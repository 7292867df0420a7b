//! MJCF orientation attributes (quat, euler, axisangle, xyaxes, zaxis) as unit quaternions.

use super::defaults::Attrs;
use crate::model::math::{self, Q, V3};
use crate::model::ModelError;

/// Compiler settings that affect how angles are read.
#[derive(Debug, Clone, Copy)]
pub struct AngleUnits {
    /// `<compiler angle="degree">` (MuJoCo's default) or radian.
    pub degree: bool,
    /// `<compiler eulerseq>`: lower case = rotating axes, upper case = fixed axes.
    pub eulerseq: [u8; 3],
}

impl AngleUnits {
    /// An angle as written in the file, in radians.
    pub fn angle(&self, x: f64) -> f64 {
        if self.degree {
            x * std::f64::consts::PI / 180.0
        } else {
            x
        }
    }
}

/// Quaternion that rotates +z onto `v` (MuJoCo `mjuu_z2quat`).
pub fn z2quat(v: &V3) -> Q {
    let mut axis = math::cross(&[0.0, 0.0, 1.0], v);
    let s = math::norm(&axis);
    if s < 1e-10 {
        axis = [1.0, 0.0, 0.0];
    } else {
        axis = math::scale(&axis, 1.0 / s);
    }
    let ang = s.atan2(v[2]);
    let (sn, c) = (ang / 2.0).sin_cos();
    [c, axis[0] * sn, axis[1] * sn, axis[2] * sn]
}

/// The element's orientation (identity if none is given). At most one form may be given.
pub fn orientation(a: &Attrs, units: &AngleUnits) -> Result<Q, ModelError> {
    let given: Vec<&str> = ["quat", "euler", "axisangle", "xyaxes", "zaxis"]
        .into_iter()
        .filter(|k| a.el.attr(k).is_some())
        .collect();
    if given.len() > 1 {
        return Err(a.el.err(format!(
            "orientation given more than once ({})",
            given.join(", ")
        )));
    }
    if let Some(q) = a.exact::<4>("quat")? {
        return Ok(math::qnormalize(&q));
    }
    if let Some(e) = a.exact::<3>("euler")? {
        let mut q = math::QID;
        for (k, &c) in units.eulerseq.iter().enumerate() {
            let axis = match c.to_ascii_lowercase() {
                b'x' => [1.0, 0.0, 0.0],
                b'y' => [0.0, 1.0, 0.0],
                b'z' => [0.0, 0.0, 1.0],
                _ => return Err(a.el.err("compiler eulerseq must use the letters x, y, z")),
            };
            let r = math::qaxis(&axis, units.angle(e[k]));
            q = if c.is_ascii_lowercase() {
                math::qmul(&q, &r)
            } else {
                math::qmul(&r, &q)
            };
        }
        return Ok(math::qnormalize(&q));
    }
    if let Some(aa) = a.exact::<4>("axisangle")? {
        let axis = math::normalize(&[aa[0], aa[1], aa[2]]);
        return Ok(math::qnormalize(&math::qaxis(&axis, units.angle(aa[3]))));
    }
    if let Some(xy) = a.exact::<6>("xyaxes")? {
        let x = math::normalize(&[xy[0], xy[1], xy[2]]);
        let y0 = [xy[3], xy[4], xy[5]];
        let y = math::normalize(&math::sub(&y0, &math::scale(&x, math::dot(&x, &y0))));
        let z = math::cross(&x, &y);
        let m = [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]];
        return Ok(math::mat2quat(&m));
    }
    if let Some(z) = a.exact::<3>("zaxis")? {
        return Ok(z2quat(&z));
    }
    Ok(math::QID)
}
