//! [`MujocoEngine`]: episodes on MuJoCo 3.3.3 itself, stepped exactly as MyoSuite does.
//!
//! * Load: the MJCF, plus the run-time change MyoSuite makes at env creation on flat ground
//!   (heightfield geom `terrain` moved to z = -10), or the original's ramp for
//!   `ResetSpec::slope_deg` != 0 (see [`super::terrain`]; `ResetSpec::height_offset` must then be
//!   [`super::terrain::height_offset`]).
//! * Reset (`myoLeg_reflex.reset`): `mj_resetData` (a fresh env), keyframe qpos/qvel,
//!   `mj_forward`, joint/velocity overrides, all activations 0.01 then the given ones,
//!   `mj_forward`, height rule (lowest of the heel/toe-bottom sites put at the height offset by
//!   shifting `pelvis_ty`), `mj_forward`. Coupled joints keep their keyframe values, as in the
//!   original.
//! * Control step (dm_control "legacy step"): `mj_step2`, `mj_step` x (n - 1), `mj_step1`.
//! * Observation: MyoSuite's `get_obs` runs `mj_forward` at the current state with the ctrl
//!   still in `data.ctrl`; sensors are read from that pass (reference README section 13).

use super::contact;
use super::ffi;
use super::sys::{MjData, MjError, MjModel, Obj};
use super::terrain::Terrain;
use crate::engine::{Engine, EngineError, Observation, ResetSpec, DOF_NAMES, MUSCLE_NAMES, SIDES};
use std::path::Path;
use std::sync::Arc;

/// Touch sensors in [`Observation::touch`] order.
const TOUCH: [&str; 4] = ["r_foot", "r_toes", "l_foot", "l_toes"];
/// Sites of the height rule.
const HEIGHT_SITES: [&str; 4] = ["r_heel_btm", "r_toe_btm", "l_heel_btm", "l_toe_btm"];
/// The limited leg DOFs of [`Observation::limit_torque`]: the leg DOFs (all but the pelvis).
const LIMITED: std::ops::Range<usize> = 3..11;

impl From<MjError> for EngineError {
    fn from(e: MjError) -> Self {
        EngineError::Other(e.to_string())
    }
}

/// Ids the engine reads every step, resolved once at load.
#[derive(Clone, Debug)]
struct Ids {
    dof_qpos: [usize; 11],
    dof_dof: [usize; 11],
    pelvis_ty_qpos: usize,
    muscle_act: [usize; 22],
    muscle_state: [usize; 22],
    exo: Vec<usize>,
    pelvis: usize,
    torso: usize,
    talus: [usize; 2],
    anchors: [[usize; 3]; 2],
    limited: [usize; 8],
    touch_adr: [usize; 4],
    height_sites: [usize; 4],
}

fn need(model: &MjModel, obj: Obj, name: &str) -> Result<usize, EngineError> {
    model.id(obj, name).ok_or_else(|| {
        EngineError::Other(format!(
            "the model has no {obj:?} named `{name}` (not a MyoAssist 22-muscle 2-D model?)"
        ))
    })
}

fn idx(v: i32) -> usize {
    usize::try_from(v).unwrap_or(0)
}

impl Ids {
    fn resolve(m: &MjModel) -> Result<Self, EngineError> {
        let mut ids = Ids {
            dof_qpos: [0; 11],
            dof_dof: [0; 11],
            pelvis_ty_qpos: 0,
            muscle_act: [0; 22],
            muscle_state: [0; 22],
            exo: Vec::new(),
            pelvis: need(m, Obj::Body, "pelvis")?,
            torso: need(m, Obj::Body, "torso")?,
            talus: [
                need(m, Obj::Body, "talus_r")?,
                need(m, Obj::Body, "talus_l")?,
            ],
            anchors: [[0; 3]; 2],
            limited: [0; 8],
            touch_adr: [0; 4],
            height_sites: [0; 4],
        };
        for (i, name) in DOF_NAMES.iter().enumerate() {
            let j = need(m, Obj::Joint, name)?;
            ids.dof_qpos[i] = idx(m.jnt_qposadr()[j]);
            ids.dof_dof[i] = idx(m.jnt_dofadr()[j]);
        }
        ids.pelvis_ty_qpos = ids.dof_qpos[1];
        for (i, name) in MUSCLE_NAMES.iter().enumerate() {
            let a = need(m, Obj::Actuator, name)?;
            ids.muscle_act[i] = a;
            let adr = m.actuator_actadr()[a];
            if adr < 0 {
                return Err(EngineError::Other(format!(
                    "actuator `{name}` has no activation state"
                )));
            }
            ids.muscle_state[i] = idx(adr);
        }
        ids.exo = (0..m.nu())
            .filter(|a| !ids.muscle_act.contains(a))
            .collect();
        for (s, side) in SIDES.iter().enumerate() {
            for (k, j) in ["hip_flexion", "knee_angle", "ankle_angle"]
                .iter()
                .enumerate()
            {
                ids.anchors[s][k] = need(m, Obj::Joint, &format!("{j}_{side}"))?;
            }
        }
        for (i, name) in DOF_NAMES[LIMITED].iter().enumerate() {
            ids.limited[i] = need(m, Obj::Joint, name)?;
        }
        for (i, name) in TOUCH.iter().enumerate() {
            ids.touch_adr[i] = idx(m.sensor_adr()[need(m, Obj::Sensor, name)?]);
        }
        for (i, name) in HEIGHT_SITES.iter().enumerate() {
            ids.height_sites[i] = need(m, Obj::Site, name)?;
        }
        Ok(ids)
    }
}

/// MuJoCo as an [`Engine`].
pub struct MujocoEngine {
    data: MjData,
    ids: Ids,
    total_mass: f64,
    terrain: Terrain,
}

impl MujocoEngine {
    /// Loads a MyoAssist 22-muscle 2-D MJCF and applies MyoSuite's run-time change for flat
    /// ground (heightfield geom `terrain`, if present, moved to z = -10).
    pub fn load(path: &Path) -> Result<Self, EngineError> {
        let mut model = MjModel::from_xml(path)?;
        let mut terrain = Terrain::new(&model);
        terrain.apply(&mut model, 0.0, true);
        let model = Arc::new(model);
        let ids = Ids::resolve(&model)?;
        let total_mass = model.total_mass();
        let data = MjData::new(model)?;
        Ok(Self {
            data,
            ids,
            total_mass,
            terrain,
        })
    }

    /// The simulation state (read-only), for comparisons and tests.
    pub fn data(&self) -> &MjData {
        &self.data
    }

    /// The simulation state, for tests that start from a recorded full state.
    pub fn data_mut(&mut self) -> &mut MjData {
        &mut self.data
    }

    /// The model.
    pub fn model(&self) -> &Arc<MjModel> {
        self.data.model()
    }

    /// Actuator ids of the 22 muscles in [`MUSCLE_NAMES`] order.
    pub fn muscle_actuators(&self) -> &[usize; 22] {
        &self.ids.muscle_act
    }

    /// Actuator ids of the exo (non-muscle) actuators, in actuator order.
    pub fn exo_actuators(&self) -> &[usize] {
        &self.ids.exo
    }

    fn check_state(&self) -> Result<(), EngineError> {
        for (w, what) in [
            (ffi::mjtWarning__mjWARN_BADQPOS, "bad qpos"),
            (ffi::mjtWarning__mjWARN_BADQVEL, "bad qvel"),
            (ffi::mjtWarning__mjWARN_BADQACC, "bad qacc"),
        ] {
            if self.data.warning_count(w) > 0 {
                return Err(EngineError::Unstable {
                    time: self.data.time(),
                    what: what.into(),
                });
            }
        }
        Ok(())
    }

    /// Signed joint-limit torques (Jᵀ·efc_force over the joint-limit rows) of the 8 limited
    /// leg DOFs: > 0 lower limit pushing, < 0 upper.
    fn limit_torques(&self) -> [f64; 8] {
        let m = self.data.model();
        let (types, ids, force) = (
            self.data.efc_type(),
            self.data.efc_id(),
            self.data.efc_force(),
        );
        let qpos = self.data.qpos();
        let mut out = [0.0; 8];
        for (k, &j) in self.ids.limited.iter().enumerate() {
            let q = qpos[idx(m.jnt_qposadr()[j])];
            let lower_active = q - m.jnt_range()[2 * j] < m.jnt_margin()[j];
            let mut nth = 0;
            for r in 0..types.len() {
                if types[r] as u32 == ffi::mjtConstraint__mjCNSTR_LIMIT_JOINT && idx(ids[r]) == j {
                    let sign = if nth == 0 && lower_active { 1.0 } else { -1.0 };
                    out[k] += sign * force[r];
                    nth += 1;
                }
            }
        }
        out
    }
}

impl Engine for MujocoEngine {
    fn name(&self) -> &'static str {
        "mujoco"
    }

    fn total_mass(&self) -> f64 {
        self.total_mass
    }

    fn n_exo(&self) -> usize {
        self.ids.exo.len()
    }

    fn dof_range(&self, dof: usize) -> Option<(f64, f64)> {
        let m = self.data.model();
        let j = m.id(Obj::Joint, DOF_NAMES.get(dof)?)?;
        if m.jnt_limited()[j] == 0 {
            return None;
        }
        Some((m.jnt_range()[2 * j], m.jnt_range()[2 * j + 1]))
    }

    fn muscle_peak_force(&self) -> Option<[f64; 22]> {
        let gain = self.data.model().actuator_gainprm();
        let mut f0 = [0.0; 22];
        for (f, &a) in f0.iter_mut().zip(&self.ids.muscle_act) {
            *f = *gain.get(10 * a + 2)?;
        }
        Some(f0)
    }

    fn reset(&mut self, spec: &ResetSpec) -> Result<(), EngineError> {
        let slope = spec.slope_deg;
        let model = self.data.model_mut().ok_or_else(|| {
            EngineError::Other("the MuJoCo model is shared; cannot set up the terrain".into())
        })?;
        self.terrain.apply(model, slope, spec.original_heightfield);
        let model = Arc::clone(self.data.model());
        let key = model
            .id(Obj::Key, &spec.keyframe)
            .ok_or_else(|| EngineError::UnknownKeyframe(spec.keyframe.clone()))?;
        let (nq, nv) = (model.nq(), model.nv());
        let mut qpos_over = Vec::with_capacity(spec.qpos.len());
        for (name, v) in &spec.qpos {
            let j = model
                .id(Obj::Joint, name)
                .ok_or_else(|| EngineError::UnknownName(name.clone()))?;
            qpos_over.push((idx(model.jnt_qposadr()[j]), *v));
        }
        let mut qvel_over = Vec::with_capacity(spec.qvel.len());
        for (name, v) in &spec.qvel {
            let j = model
                .id(Obj::Joint, name)
                .ok_or_else(|| EngineError::UnknownName(name.clone()))?;
            qvel_over.push((idx(model.jnt_dofadr()[j]), *v));
        }
        let mut act_over = Vec::with_capacity(spec.act.len());
        for (name, v) in &spec.act {
            let a = model
                .id(Obj::Actuator, name)
                .ok_or_else(|| EngineError::UnknownName(name.clone()))?;
            let adr = model.actuator_actadr()[a];
            if adr < 0 {
                return Err(EngineError::UnknownName(name.clone()));
            }
            act_over.push((idx(adr), *v));
        }

        let d = &mut self.data;
        d.reset();
        d.qpos_mut()
            .copy_from_slice(&model.key_qpos()[key * nq..(key + 1) * nq]);
        d.qvel_mut()
            .copy_from_slice(&model.key_qvel()[key * nv..(key + 1) * nv]);
        d.forward();
        for &(i, v) in &qpos_over {
            d.qpos_mut()[i] = v;
        }
        for &(i, v) in &qvel_over {
            d.qvel_mut()[i] = v;
        }
        d.act_mut().fill(0.01);
        for &(i, v) in &act_over {
            d.act_mut()[i] = v;
        }
        d.forward();
        let mut lowest = 100.0;
        for &s in &self.ids.height_sites {
            let z = d.site_xpos()[3 * s + 2];
            if lowest > z {
                lowest = z;
            }
        }
        let diff = spec.height_offset - lowest;
        let ty = self.ids.pelvis_ty_qpos;
        d.qpos_mut()[ty] += diff;
        d.forward();
        self.check_state()
    }

    fn set_ctrl(&mut self, muscles: &[f64; 22], exo: &[f64]) {
        let ctrl = self.data.ctrl_mut();
        for (&a, &u) in self.ids.muscle_act.iter().zip(muscles) {
            ctrl[a] = u;
        }
        for (&a, &u) in self.ids.exo.iter().zip(exo) {
            ctrl[a] = u;
        }
    }

    fn step(&mut self, n: usize) -> Result<(), EngineError> {
        if n == 0 {
            return Ok(());
        }
        let d = &mut self.data;
        d.step2();
        for _ in 1..n {
            d.step();
        }
        d.step1();
        self.check_state()
    }

    fn observe(&mut self) -> Observation {
        self.data.forward();
        let d = &self.data;
        let ids = &self.ids;
        let (qpos, qvel) = (d.qpos(), d.qvel());
        let (xpos, xquat) = (d.xpos(), d.xquat());
        let v3 = |s: &[f64], i: usize| [s[3 * i], s[3 * i + 1], s[3 * i + 2]];
        let q4 = |i: usize| {
            [
                xquat[4 * i],
                xquat[4 * i + 1],
                xquat[4 * i + 2],
                xquat[4 * i + 3],
            ]
        };
        let mut o = Observation {
            time: d.time(),
            ..Default::default()
        };
        for i in 0..11 {
            o.q[i] = qpos[ids.dof_qpos[i]];
            o.qd[i] = qvel[ids.dof_dof[i]];
        }
        o.pelvis_quat = q4(ids.pelvis);
        o.torso_quat = q4(ids.torso);
        o.torso_angvel_local = d.body_velocity(ids.torso, true).0;
        o.pelvis_pos = v3(xpos, ids.pelvis);
        o.pelvis_vel = d.body_velocity(ids.pelvis, false).1;
        for s in 0..2 {
            o.talus_pos[s] = v3(xpos, ids.talus[s]);
            o.talus_vel[s] = d.body_velocity(ids.talus[s], false).1;
            for k in 0..3 {
                o.joint_anchor[s][k] = v3(d.xanchor(), ids.anchors[s][k]);
            }
        }
        let sens = d.sensordata();
        for i in 0..4 {
            o.touch[i] = sens[ids.touch_adr[i]];
        }
        let (frc, len, vel, act) = (
            d.actuator_force(),
            d.actuator_length(),
            d.actuator_velocity(),
            d.act(),
        );
        for i in 0..22 {
            let a = ids.muscle_act[i];
            o.muscle_force[i] = frc[a];
            o.muscle_len[i] = len[a];
            o.muscle_vel[i] = vel[a];
            o.act[i] = act[ids.muscle_state[i]];
        }
        o.limit_torque = self.limit_torques();
        o.grf_z_total = contact::ground_force_z(d);
        o.min_body_z = (2..d.model().nbody())
            .map(|b| xpos[3 * b + 2])
            .fold(f64::INFINITY, f64::min);
        o
    }
}
