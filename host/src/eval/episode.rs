//! One episode exactly as the original's `func_Walk_FitCost` runs it over any [`Engine`]
//! (`../shared/spec/original.md` 4.3-4.4): reset from the pose parameters over the keyframe,
//! height rule, the delayed mode's zero step, validity checks, then per control step: sensors,
//! reflex update, exo torques per leg, physics steps, step detection, the cost record, and
//! termination when the pelvis drops below 0.65 m or pitches beyond 60 degrees.

use super::sensors::{self, G};
use super::EvalError;
use crate::config::RunConfig;
use crate::cost::StepRecord;
use crate::engine::{Engine, Observation, ResetSpec};
use crate::hil::device_loop::DeviceLoop;
use controller::exo::{mujoco_control, ExoController};
use controller::params::pose::{Pose, PoseKey};
use controller::params::reflex_table::ReflexParams;
use controller::params::{Layout, N_REFLEX};
use controller::reflex::{DelayMode, Reflex, ResetState, Sensors};

/// Physics step of every model, s.
pub const PHYSICS_DT: f64 = 0.001;

/// The episode-relevant settings of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeSettings {
    pub pose: PoseKey,
    pub delayed: bool,
    pub sim_time: f64,
    pub slope_deg: f64,
    pub layout: Layout,
    pub max_torque: f64,
    pub fixed_exo: bool,
    /// The original's heightfield ramp and start height on slopes (`--myoassist_parity`).
    pub original_heightfield: bool,
    /// `--exo_device`: exo torques through the firmware's device layer of this board.
    pub exo_device: Option<(controller::blob::DeviceClass, f64)>,
}

impl EpisodeSettings {
    /// The settings of a run configuration.
    pub fn from_config(c: &RunConfig) -> Result<Self, EvalError> {
        let pose = PoseKey::parse(&c.pose_key)
            .ok_or_else(|| EvalError::Config(format!("unknown pose_key `{}`", c.pose_key)))?;
        let layout = Layout::from_flags(c.exo_on, c.use_4param_spline, c.n_points)
            .map_err(|e| EvalError::Config(e.to_string()))?;
        Ok(EpisodeSettings {
            pose,
            delayed: c.delayed,
            sim_time: c.sim_time,
            slope_deg: c.tgt_slope,
            layout,
            max_torque: c.max_torque,
            fixed_exo: c.fixed_exo,
            original_heightfield: c.myoassist_parity,
            exo_device: c.exo_device,
        })
    }

    /// Physics steps per control step (10, or 1 with delays).
    pub fn frame_skip(&self) -> usize {
        if self.delayed {
            1
        } else {
            10
        }
    }

    /// Control step, s: timestep x frame_skip as the environment computes it.
    pub fn dt(&self) -> f64 {
        PHYSICS_DT * self.frame_skip() as f64
    }

    /// Control steps of a full episode: `int(sim_time / dt)`.
    pub fn timestep_limit(&self) -> usize {
        (self.sim_time / self.dt()) as usize
    }

    /// Height the lowest heel/toe site is put at: 0 on a plane through the origin; with the
    /// original's heightfield 0 uphill and the ramp top minus 5 mm downhill (`setupTerrain`).
    pub fn height_offset(&self) -> f64 {
        if self.original_heightfield && self.slope_deg < 0.0 {
            20.0 * self.slope_deg.abs().to_radians().tan() - 0.005
        } else {
            0.0
        }
    }
}

/// One control step of the trajectory (for the CSV and the plots).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceRow {
    /// Time after the step, s.
    pub time: f64,
    /// Independent DOF positions after the step.
    pub q: [f64; 11],
    /// Exo torque commanded this step per leg (r, l), N m.
    pub exo_torque: [f64; 2],
    /// Exo stance percentage per leg (r, l).
    pub stance_pct: [f64; 2],
    /// Muscle controls sent this step (actuator order).
    pub ctrl: [f64; 22],
}

/// What happened in one episode.
#[derive(Clone, Debug, Default)]
pub struct Episode {
    /// `Some(reason)` when the start was invalid (cost 1.2e6) and nothing ran.
    pub invalid: Option<String>,
    /// The per-step cost records.
    pub records: Vec<StepRecord>,
    /// The per-step trajectory (only when asked for).
    pub trace: Vec<TraceRow>,
    /// Body mass, kg.
    pub mass: f64,
    /// Why the episode ended early, if it did (fell, pitched, engine instability).
    pub ended: Option<String>,
}

fn invalid(mass: f64, why: String) -> Episode {
    Episode {
        invalid: Some(why),
        mass,
        ..Default::default()
    }
}

/// Where the exo torques come from instead of the in-process controllers (hardware in the
/// loop: `crate::hil`). Called once per control step, before the physics step.
pub trait ExoSource {
    /// Torque (N m) and stance percentage per leg (r, l) for this step, or why the episode
    /// must stop (recorded in [`Episode::ended`]).
    fn step(
        &mut self,
        obs: &Observation,
        sample: &Sensors<f64>,
        dt: f64,
    ) -> Result<([f64; 2], [f64; 2]), String>;
}

/// Runs one episode of `params` on `engine`. Errors are for inputs that cannot describe an
/// episode at all (wrong vector length, engine without force information); everything the
/// original scores 1.2e6 comes back as [`Episode::invalid`].
pub fn run(
    engine: &mut dyn Engine,
    s: &EpisodeSettings,
    params: &[f64],
    want_trace: bool,
) -> Result<Episode, EvalError> {
    run_with(engine, s, params, want_trace, None)
}

/// [`run`] with the exo torques from `source` when given (the in-process exo controllers are
/// still built, so an invalid exo slice is refused the same way).
pub fn run_with(
    engine: &mut dyn Engine,
    s: &EpisodeSettings,
    params: &[f64],
    want_trace: bool,
    source: Option<&mut dyn ExoSource>,
) -> Result<Episode, EvalError> {
    s.layout
        .check_len(params.len())
        .map_err(|e| EvalError::Params(e.to_string()))?;
    let mass = engine.total_mass();
    let bw = mass * G;
    let f0 = engine.muscle_peak_force().ok_or_else(|| {
        EvalError::Engine(format!(
            "engine `{}` does not report muscle peak forces",
            engine.name()
        ))
    })?;
    if let Some(i) = params.iter().position(|p| !p.is_finite()) {
        return Ok(invalid(mass, format!("parameter {i} is not finite")));
    }
    // Exo controllers (one per leg, same slice), built before the reset as the original.
    let exo_slice = &params[s.layout.exo_range()];
    let mut exo = match s.layout.exo {
        None => None,
        Some(k) => match ExoController::new(k, exo_slice, s.max_torque, s.fixed_exo) {
            Ok(c) => Some([c, c]),
            Err(e) => {
                return Ok(invalid(
                    mass,
                    format!("exo profile invalid: {}", e.message()),
                ))
            }
        },
    };
    // --exo_device: the firmware's device in process stands in for the exo controllers
    let mut device_loop = None;
    if let (None, Some((kind, board))) = (&source, s.layout.exo.zip(s.exo_device)) {
        match DeviceLoop::new(params, kind, s.max_torque, s.fixed_exo, board, s.dt()) {
            Ok(d) => device_loop = Some(d),
            // (the message names exo_device)
            Err(e) => return Ok(invalid(mass, e)),
        }
    }
    let mut source = source.or_else(|| device_loop.as_mut().map(|d| d as &mut dyn ExoSource));
    let Some(pose) = Pose::from_vector(params, s.pose) else {
        return Err(EvalError::Params(
            "vector shorter than the 77 human parameters".into(),
        ));
    };
    let spec = ResetSpec {
        height_offset: s.height_offset(),
        slope_deg: s.slope_deg,
        original_heightfield: s.original_heightfield,
        ..ResetSpec::from_pose(&pose, s.pose)
    };
    if let Err(e) = engine.reset(&spec) {
        return Ok(invalid(mass, format!("reset failed: {e}")));
    }
    let n_exo = engine.n_exo();
    let zeros = [0.0; 22];
    let exo_zero = vec![0.0; n_exo];
    if s.delayed {
        engine.set_ctrl(&zeros, &exo_zero);
        if let Err(e) = engine.step(1) {
            return Ok(invalid(mass, format!("reset step failed: {e}")));
        }
    }
    let mut obs = engine.observe();
    let mode = DelayMode::from_flag(s.delayed);
    let mut reflex = Reflex::<f64>::new(mode);
    let reflex_p: [f64; N_REFLEX] = params[..N_REFLEX]
        .try_into()
        .map_err(|_| EvalError::Params("short vector".into()))?;
    reflex.reset(
        &ResetState {
            pose: s.pose,
            sample: sensors::sensors(&obs, bw, &f0),
            act: pose.act,
        },
        &ReflexParams::from_normalized(&reflex_p),
    );
    if let Some(why) = check_validity(engine, &obs, bw, s.height_offset()) {
        return Ok(invalid(mass, why));
    }

    let dt = s.dt();
    let limit = s.timestep_limit();
    let mut ep = Episode {
        mass,
        ..Default::default()
    };
    ep.records.reserve(limit);
    let mut heel = [false; 2];
    let mut exo_ctrl = vec![0.0; n_exo];
    for _ in 0..limit {
        let sample = sensors::sensors(&obs, bw, &f0);
        let out = reflex.step(&sample);
        let ctrl = out.actuator_ctrl();
        let mut torque = [0.0; 2];
        let mut pct = [0.0; 2];
        if let Some(src) = source.as_deref_mut() {
            match src.step(&obs, &sample, dt) {
                Ok((t, p)) => (torque, pct) = (t, p),
                Err(e) => {
                    ep.ended = Some(e);
                    break;
                }
            }
            for (k, u) in exo_ctrl.iter_mut().enumerate() {
                *u = mujoco_control(torque[k.min(1)]);
            }
        } else if let Some(ex) = exo.as_mut() {
            for side in 0..2 {
                torque[side] = ex[side].step(sample.leg[side].load_ipsi, dt);
                pct[side] = ex[side].stance_pct();
            }
            for (k, u) in exo_ctrl.iter_mut().enumerate() {
                *u = mujoco_control(torque[k.min(1)]);
            }
        }
        engine.set_ctrl(&ctrl, &exo_ctrl);
        if let Err(e) = engine.step(s.frame_skip()) {
            ep.ended = Some(format!("engine stopped: {e}"));
            break;
        }
        obs = engine.observe();
        // New step: a heel touch sensor rises above 0.1 BW.
        let now = [obs.touch[0] > 0.1 * bw, obs.touch[2] > 0.1 * bw];
        let new_step = (!heel[0] && now[0]) || (!heel[1] && now[1]);
        heel = now;
        ep.records.push(sensors::record(&obs, bw, new_step));
        if want_trace {
            ep.trace.push(TraceRow {
                time: obs.time,
                q: obs.q,
                exo_torque: torque,
                stance_pct: pct,
                ctrl,
            });
        }
        let pitch = sensors::euler_xyz(obs.pelvis_quat)[1];
        if obs.pelvis_pos[2] < 0.65 {
            ep.ended = Some(format!("pelvis below 0.65 m at t = {:.2} s", obs.time));
            break;
        }
        if !(-60f64.to_radians()..=60f64.to_radians()).contains(&pitch) {
            ep.ended = Some(format!(
                "pelvis pitch beyond 60 degrees at t = {:.2} s",
                obs.time
            ));
            break;
        }
    }
    Ok(ep)
}

/// The original's `check_pose_validity` on the state after the reset: hip, knee and ankle
/// inside their joint ranges, pelvis pitch within 45 degrees, every body (index >= 2) at least
/// 5 mm above the height offset, at least one touch sensor above 0.1 BW. Returns the reason.
pub fn check_validity(
    engine: &dyn Engine,
    o: &Observation,
    bw: f64,
    height_offset: f64,
) -> Option<String> {
    for side in 0..2 {
        for k in 0..3 {
            let d = 3 + 4 * side + k;
            if let Some((lo, hi)) = engine.dof_range(d) {
                let q = o.q[d];
                if !(q >= lo && q <= hi) {
                    return Some(format!(
                        "{} = {q:.4} rad outside its range [{lo:.4}, {hi:.4}]",
                        crate::engine::DOF_NAMES[d]
                    ));
                }
            }
        }
    }
    let pitch = sensors::euler_xyz(o.pelvis_quat)[1];
    if !(-45f64.to_radians()..=45f64.to_radians()).contains(&pitch) {
        return Some(format!(
            "pelvis pitch {:.1} degrees beyond 45",
            pitch.to_degrees()
        ));
    }
    if o.min_body_z - height_offset < 0.005 {
        return Some("a body is less than 5 mm above the ground".into());
    }
    if !o.touch.iter().any(|t| t / bw > 0.1) {
        return Some("no foot touches the ground with more than 0.1 BW".into());
    }
    None
}
