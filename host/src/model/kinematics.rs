//! Forward kinematics of the full model (MuJoCo's `mj_kinematics`, 3-D, any coordinate
//! vector including the coupled coordinates) and spatial tendon (muscle path) lengths with
//! their moment arms `d length / d q` for every coordinate, plus the total derivative along
//! the polynomial couplings.
//!
//! [`Kinematics`] precomputes the joint chain of every site once; [`Kinematics::forward`] and
//! [`Kinematics::tendon`] then work in preallocated buffers (no allocation per call).

use super::math::{self, Q, V3};
use super::{JointType, Model, Role};

/// Poses of every body and the world axes/anchors of every joint for one coordinate vector.
#[derive(Debug, Clone)]
pub struct Kinematics {
    /// World position and orientation of every body frame.
    pub xpos: Vec<V3>,
    pub xquat: Vec<Q>,
    xmat: Vec<[f64; 9]>,
    /// World anchor and axis of every joint.
    pub xanchor: Vec<V3>,
    pub xaxis: Vec<V3>,
    /// Joints that move each body (its own and its ancestors'), innermost last.
    chain: Vec<Vec<usize>>,
}

impl Kinematics {
    /// Buffers and joint chains for `m`.
    pub fn new(m: &Model) -> Kinematics {
        let nb = m.bodies.len();
        let mut chain: Vec<Vec<usize>> = vec![Vec::new(); nb];
        for b in 1..nb {
            let mut c = chain[m.bodies[b].parent].clone();
            c.extend(&m.bodies[b].joints);
            chain[b] = c;
        }
        Kinematics {
            xpos: vec![[0.0; 3]; nb],
            xquat: vec![math::QID; nb],
            xmat: vec![[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]; nb],
            xanchor: vec![[0.0; 3]; m.joints.len()],
            xaxis: vec![[0.0; 3]; m.joints.len()],
            chain,
        }
    }

    /// Body poses for coordinates `q` (one value per joint, MuJoCo qpos order).
    pub fn forward(&mut self, m: &Model, q: &[f64]) {
        for (i, b) in m.bodies.iter().enumerate().skip(1) {
            let pid = b.parent;
            let (mut xpos, mut xquat) = if pid != 0 {
                (
                    math::add(&math::mv(&self.xmat[pid], &b.pos), &self.xpos[pid]),
                    math::qmul(&self.xquat[pid], &b.quat),
                )
            } else {
                (b.pos, b.quat)
            };
            for &j in &b.joints {
                let jt = &m.joints[j];
                let xaxis = math::qrot(&xquat, &jt.axis);
                let xanchor = math::add(&math::qrot(&xquat, &jt.pos), &xpos);
                let d = q[j] - jt.qpos0;
                match jt.jtype {
                    JointType::Slide => xpos = math::add(&xpos, &math::scale(&xaxis, d)),
                    JointType::Hinge => {
                        xquat = math::qmul(&xquat, &math::qaxis(&jt.axis, d));
                        xpos = math::sub(&xanchor, &math::qrot(&xquat, &jt.pos));
                    }
                }
                self.xanchor[j] = xanchor;
                self.xaxis[j] = xaxis;
            }
            xquat = math::qnormalize(&xquat);
            self.xpos[i] = xpos;
            self.xquat[i] = xquat;
            self.xmat[i] = math::qmat(&xquat);
        }
    }

    /// World position of site `s` (after [`Kinematics::forward`]).
    #[inline]
    pub fn site(&self, m: &Model, s: usize) -> V3 {
        let st = &m.sites[s];
        math::add(&math::mv(&self.xmat[st.body], &st.pos), &self.xpos[st.body])
    }

    /// Length of tendon `t` and its moment arms `d length / d q[j]` for every joint, written
    /// into `moment` (length `m.nq()`; zero for joints the path does not depend on).
    pub fn tendon(&self, m: &Model, t: usize, moment: &mut [f64]) -> f64 {
        moment.iter_mut().for_each(|x| *x = 0.0);
        let sites = &m.tendons[t].sites;
        let mut len = 0.0;
        let mut a = self.site(m, sites[0]);
        for w in sites.windows(2) {
            let b = self.site(m, w[1]);
            let d = math::sub(&b, &a);
            let l = math::norm(&d);
            len += l;
            if l > 1e-15 {
                let u = math::scale(&d, 1.0 / l);
                // + u·J(b) - u·J(a), over the joints moving each end (shared ones cancel)
                for (p, site, sign) in [(&b, w[1], 1.0), (&a, w[0], -1.0)] {
                    for &j in &self.chain[m.sites[site].body] {
                        let dp = match m.joints[j].jtype {
                            JointType::Slide => self.xaxis[j],
                            JointType::Hinge => {
                                math::cross(&self.xaxis[j], &math::sub(p, &self.xanchor[j]))
                            }
                        };
                        moment[j] += sign * math::dot(&u, &dp);
                    }
                }
            }
            a = b;
        }
        len
    }
}

/// Sets every coupled coordinate of `q` to its polynomial of its driver (exact couplings).
pub fn apply_couplings(m: &Model, q: &mut [f64]) {
    for c in &m.couplings {
        let x = q[c.driver] - m.joints[c.driver].qpos0;
        q[c.dependent] = m.joints[c.dependent].qpos0 + c.eval(x).0;
    }
}

/// Total derivative along exact couplings: for every independent joint `x`,
/// `total[x] = moment[x] + Σ moment[y] · d poly_y / d x` over the coordinates `y` it drives.
/// `total` has one entry per joint (coupled and welded joints get 0).
pub fn total_moments(m: &Model, q: &[f64], moment: &[f64], total: &mut [f64]) {
    for (j, t) in total.iter_mut().enumerate() {
        *t = if m.joints[j].role == Role::Independent {
            moment[j]
        } else {
            0.0
        };
    }
    for c in &m.couplings {
        let x = q[c.driver] - m.joints[c.driver].qpos0;
        total[c.driver] += moment[c.dependent] * c.eval(x).1;
    }
}
