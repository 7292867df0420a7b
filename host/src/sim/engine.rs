//! The native simulator behind the [`Engine`] trait: reset from a keyframe with overrides and
//! the original's height rule, 1-ms Euler steps, and the sensors at the current state (the
//! forward pass MyoSuite runs after each environment step, with the current controls).

use super::model::SimModel;
use super::sim::Sim;
use crate::engine::{Engine, EngineError, Observation, ResetSpec, DOF_NAMES, MUSCLE_NAMES};

pub struct NativeEngine {
    pub sim: Sim,
    /// Simulator muscle index of every `MUSCLE_NAMES` entry.
    muscle: [usize; 22],
}

impl NativeEngine {
    pub fn new(model: SimModel) -> Result<NativeEngine, EngineError> {
        let mut muscle = [0usize; 22];
        for (i, n) in MUSCLE_NAMES.iter().enumerate() {
            muscle[i] = model
                .muscles
                .iter()
                .position(|m| m.name == *n)
                .ok_or_else(|| EngineError::UnknownName(n.to_string()))?;
        }
        Ok(NativeEngine {
            sim: Sim::new(model),
            muscle,
        })
    }

    /// The native engine for a model variant (see [`crate::model`]).
    pub fn from_model(model: &crate::model::Model) -> Result<NativeEngine, EngineError> {
        let sm = super::build::build(model).map_err(|e| EngineError::Other(e.to_string()))?;
        NativeEngine::new(sm)
    }

    /// World position of a point given in P.
    fn world(&self, p: [f64; 3]) -> [f64; 3] {
        let r = &self.sim.model.plane_rot;
        [
            r[0][0] * p[0] + r[0][1] * p[1] + r[0][2] * p[2],
            r[1][0] * p[0] + r[1][1] * p[1] + r[1][2] * p[2],
            r[2][0] * p[0] + r[2][1] * p[1] + r[2][2] * p[2],
        ]
    }

    /// World quaternion (w, x, y, z) of a body rotated by `angle` about z in P.
    fn quat(&self, angle: f64) -> [f64; 4] {
        let r = &self.sim.model.plane_rot;
        let (c, s) = (angle.cos(), angle.sin());
        let m = |i: usize| {
            [
                r[i][0] * c + r[i][1] * s,
                -r[i][0] * s + r[i][1] * c,
                r[i][2],
            ]
        };
        let (r0, r1, r2) = (m(0), m(1), m(2));
        mat_to_quat([r0, r1, r2])
    }

    /// Velocity (in P) of the centre of mass of original body `obs` ([`SimModel::obs_inertial`]
    /// index), rigidly attached to simulator body `b`.
    fn com_vel(&self, b: usize, obs: usize) -> [f64; 3] {
        let k = &self.sim.kin;
        let f = &k.frame[b];
        let c = f.point(&self.sim.model.obs_inertial[obs].com);
        let (w, v) = (k.omega[b], k.vel[b]);
        [v[0] - w * (c[1] - f.o[1]), v[1] + w * (c[0] - f.o[0]), v[2]]
    }

    fn lowest_height_site(&self) -> f64 {
        let k = &self.sim.kin;
        self.sim
            .model
            .height_sites
            .iter()
            .map(|s| self.world(k.frame[s.body].point(&s.pos))[2])
            .fold(100.0, f64::min)
    }
}

fn mat_to_quat(m: [[f64; 3]; 3]) -> [f64; 4] {
    let tr = m[0][0] + m[1][1] + m[2][2];
    let q = if tr > 0.0 {
        let s = (tr + 1.0).sqrt() * 2.0;
        [
            0.25 * s,
            (m[2][1] - m[1][2]) / s,
            (m[0][2] - m[2][0]) / s,
            (m[1][0] - m[0][1]) / s,
        ]
    } else if m[0][0] > m[1][1] && m[0][0] > m[2][2] {
        let s = (1.0 + m[0][0] - m[1][1] - m[2][2]).sqrt() * 2.0;
        [
            (m[2][1] - m[1][2]) / s,
            0.25 * s,
            (m[0][1] + m[1][0]) / s,
            (m[0][2] + m[2][0]) / s,
        ]
    } else if m[1][1] > m[2][2] {
        let s = (1.0 + m[1][1] - m[0][0] - m[2][2]).sqrt() * 2.0;
        [
            (m[0][2] - m[2][0]) / s,
            (m[0][1] + m[1][0]) / s,
            0.25 * s,
            (m[1][2] + m[2][1]) / s,
        ]
    } else {
        let s = (1.0 + m[2][2] - m[0][0] - m[1][1]).sqrt() * 2.0;
        [
            (m[1][0] - m[0][1]) / s,
            (m[0][2] + m[2][0]) / s,
            (m[1][2] + m[2][1]) / s,
            0.25 * s,
        ]
    };
    if q[0] < 0.0 {
        [-q[0], -q[1], -q[2], -q[3]]
    } else {
        q
    }
}

fn unstable(sim: &Sim, what: &str) -> EngineError {
    EngineError::Unstable {
        time: sim.time,
        what: what.to_string(),
    }
}

impl Engine for NativeEngine {
    fn name(&self) -> &'static str {
        "native"
    }
    fn total_mass(&self) -> f64 {
        self.sim.model.total_mass
    }
    fn n_exo(&self) -> usize {
        self.sim.model.exo.len()
    }
    fn muscle_peak_force(&self) -> Option<[f64; 22]> {
        let mut f = [0.0; 22];
        for (i, v) in f.iter_mut().enumerate() {
            *v = self.sim.model.muscles[self.muscle[i]].params.force;
        }
        Some(f)
    }

    fn dof_range(&self, dof: usize) -> Option<(f64, f64)> {
        let j = *self.sim.model.independent.get(dof)?;
        let d = &self.sim.model.dofs[j];
        d.limited.then_some((d.range[0], d.range[1]))
    }

    fn reset(&mut self, spec: &ResetSpec) -> Result<(), EngineError> {
        let key = self
            .sim
            .model
            .keyframes
            .iter()
            .find(|k| k.name == spec.keyframe)
            .cloned()
            .ok_or_else(|| EngineError::UnknownKeyframe(spec.keyframe.clone()))?;
        let sim = &mut self.sim;
        sim.set_mujoco_state(&key.qpos, &key.qvel, &[]);
        for (name, v) in &spec.qpos {
            let j = sim
                .model
                .dof_index(name)
                .ok_or_else(|| EngineError::UnknownName(name.clone()))?;
            sim.q[j] = *v;
        }
        for (name, v) in &spec.qvel {
            let j = sim
                .model
                .dof_index(name)
                .ok_or_else(|| EngineError::UnknownName(name.clone()))?;
            sim.v[j] = *v;
        }
        let nm = sim.model.muscles.len();
        sim.act[..nm].fill(0.01);
        for (name, v) in &spec.act {
            let i = sim
                .model
                .muscles
                .iter()
                .position(|m| m.name == *name)
                .ok_or_else(|| EngineError::UnknownName(name.clone()))?;
            sim.act[i] = *v;
        }
        sim.ctrl = [0.0; super::sim::MAX_MUSCLE];
        sim.exo_ctrl = [0.0; 2];
        sim.time = 0.0;
        sim.set_slope(spec.slope_deg);
        sim.forward()
            .map_err(|e| unstable(sim, &format!("{e:?}")))?;
        let diff = spec.height_offset - self.lowest_height_site();
        let ty = self.sim.model.independent[1];
        self.sim.q[ty] += diff;
        self.sim
            .forward()
            .map_err(|e| unstable(&self.sim, &format!("{e:?}")))
    }

    fn set_ctrl(&mut self, muscles: &[f64; 22], exo: &[f64]) {
        for (i, &u) in muscles.iter().enumerate() {
            self.sim.ctrl[self.muscle[i]] = u;
        }
        for (e, &u) in exo.iter().enumerate().take(2) {
            self.sim.exo_ctrl[e] = u;
        }
    }

    fn step(&mut self, n: usize) -> Result<(), EngineError> {
        for _ in 0..n {
            self.sim
                .step()
                .map_err(|e| unstable(&self.sim, &format!("{e:?}")))?;
        }
        Ok(())
    }

    fn observe(&mut self) -> Observation {
        let _ = self.sim.forward();
        let s = &self.sim;
        let m = &s.model;
        let k = &s.kin;
        let mut o = Observation {
            time: s.time,
            ..Default::default()
        };
        for i in 0..11 {
            o.q[i] = s.q[m.independent[i]];
            o.qd[i] = s.v[m.independent[i]];
        }
        let pf = k.frame[m.body_pelvis];
        o.pelvis_quat = self.quat(pf.angle);
        o.torso_quat = self.quat(k.frame[m.body_torso].angle);
        // mj_objectVelocity on a body: angular velocity in its inertial axes, linear velocity
        // of its own centre of mass.
        let w = k.omega[m.body_torso];
        let tr = &m.obs_inertial[1].rot;
        o.torso_angvel_local = [w * tr[2][0], w * tr[2][1], w * tr[2][2]];
        o.pelvis_pos = self.world(pf.o);
        o.pelvis_vel = self.world(self.com_vel(m.body_pelvis, 0));
        for side in 0..2 {
            let t = m.body_talus[side];
            o.talus_pos[side] = self.world(k.frame[t].o);
            o.talus_vel[side] = self.world(self.com_vel(t, 2 + side));
            for j in 0..3 {
                o.joint_anchor[side][j] = self.world(k.anchor[m.anchor_dofs[side][j]]);
            }
        }
        for (t, v) in o.touch.iter_mut().enumerate() {
            *v = s.touch.get(t).copied().unwrap_or(0.0);
        }
        for i in 0..22 {
            let mi = self.muscle[i];
            o.muscle_force[i] = s.muscle_force[mi];
            o.muscle_len[i] = s.ten_len[mi];
            o.muscle_vel[i] = s.ten_vel[mi];
            o.act[i] = s.act[mi];
        }
        for (i, v) in o.limit_torque.iter_mut().enumerate() {
            *v = s.limit_torque[m.independent[3 + i]];
        }
        o.grf_z_total = s.grf_z;
        o.min_body_z = (0..m.bodies.len())
            .filter(|&b| b != m.body_pelvis)
            .map(|b| self.world(k.frame[b].o)[2])
            .fold(f64::INFINITY, f64::min);
        let _ = DOF_NAMES;
        o
    }
}
