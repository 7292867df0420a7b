//! The staged total cost of one episode (`../shared/spec/original.md` 5.2 and 5.5).

use super::bands::{self, BandMetrics};
use super::components::{self, Velocity};
use super::events;
use super::record::StepRecord;
use super::weights::CostWeights;
use super::CostType;

/// The cost of an invalid start pose or a failed reset.
pub const INVALID_COST: f64 = 1.2e6;
/// The original's cost constant `C`.
pub const COST_CONST: f64 = 1000.0;

/// What the cost needs to know about the episode besides the records.
#[derive(Clone, Debug)]
pub struct EpisodeInfo<'a> {
    /// Control step, s (0.01 or 0.001).
    pub dt: f64,
    /// Control steps of a full episode (`int(sim_time / dt)`).
    pub timestep_limit: usize,
    /// Sum of body masses, kg.
    pub mass: f64,
    /// `--tgt_slope`, degrees (switches the distance formula).
    pub slope_deg: f64,
    /// The full parameter vector (for the parity term sum |p - 1|).
    pub params: &'a [f64],
}

/// The thresholds and the cost type.
#[derive(Clone, Debug)]
pub struct CostSettings {
    pub cost_type: CostType,
    pub tgt_vel: f64,
    pub num_strides: usize,
    pub tgt_sym_th: f64,
    pub tgt_grf_th: f64,
    /// Add sum |p - 1| over the whole vector to every non-early total, as the original does.
    pub myoassist_parity: bool,
    /// Multipliers of the walking-tier terms (all 1: the original).
    pub weights: CostWeights,
}

/// Which stage of the staged cost an episode reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Invalid start pose / reset failure: 1.2e6.
    Invalid,
    /// Fell before the end: 99 000 - x.
    Fell,
    /// Survived with fewer than N+1 stances on a side: 99 000 - x - 0.5 (nL + nR).
    TooFewSteps,
    /// Window or symmetry pairs not found: 98 000 - x - 0.5 (nL + nR).
    NoWindow,
    /// Walked, but the velocity/symmetry gate failed (about 1e4).
    GateFailed,
    /// Walked and passed the gate (the type's objective).
    Passed,
}

/// The components of a walking episode (the original's cost dictionary and a few more).
#[derive(Clone, Debug, PartialEq)]
pub struct Components {
    pub effort: f64,
    pub symmetry: f64,
    pub velocity: f64,
    pub grf: f64,
    pub kinematic: f64,
    pub trunk: f64,
    pub emg: f64,
    pub joint_pain: f64,
    pub hip_pain: f64,
    pub knee_pain: f64,
    pub ankle_pain: f64,
    pub actual_dist: [f64; 2],
    pub actual_time: f64,
    /// The evaluation window (event indices into the records).
    pub window: Vec<usize>,
    /// Human-likeness metrics of the window (stride, stance, trunk, vGRF profile).
    pub bands: BandMetrics,
}

impl Components {
    /// `steps_dist / steps_duration`.
    pub fn actual_velocity(&self) -> [f64; 2] {
        [
            self.actual_dist[0] / self.actual_time,
            self.actual_dist[1] / self.actual_time,
        ]
    }
}

/// The result of the cost of one episode.
#[derive(Clone, Debug, PartialEq)]
pub struct CostOutcome {
    pub total: f64,
    pub tier: Tier,
    /// Present when the episode reached the window (gate failed or passed).
    pub components: Option<Components>,
    /// Left and right stance events found.
    pub left_stances: Vec<usize>,
    pub right_stances: Vec<usize>,
}

impl CostOutcome {
    /// The outcome of an invalid start.
    pub fn invalid() -> Self {
        CostOutcome {
            total: INVALID_COST,
            tier: Tier::Invalid,
            components: None,
            left_stances: vec![],
            right_stances: vec![],
        }
    }
}

fn early(mode: f64, recs: &[StepRecord], l: Vec<usize>, r: Vec<usize>, tier: Tier) -> CostOutcome {
    let x = recs.last().map_or(0.0, |r| r.pelvis[0]);
    let total = mode * COST_CONST - x - 0.5 * (l.len() + r.len()) as f64;
    CostOutcome {
        total,
        tier,
        components: None,
        left_stances: l,
        right_stances: r,
    }
}

/// Evaluates the cost of an episode from its records, tier by tier as the original.
pub fn evaluate(recs: &[StepRecord], info: &EpisodeInfo, s: &CostSettings) -> CostOutcome {
    if recs.is_empty() {
        return CostOutcome::invalid();
    }
    if recs.len() + 1 < info.timestep_limit {
        return early(99.0, recs, vec![], vec![], Tier::Fell);
    }
    let ev = events::step_events(recs, info.dt);
    let (left, right) = events::stance_feet(&ev, recs);
    let n = s.num_strides;
    let Some(window) = events::window(&left, &right, n) else {
        let tier = Tier::TooFewSteps;
        return early(99.0, recs, left, right, tier);
    };
    let Some(symmetry) = components::symmetry(&left, &right, &window, n, recs) else {
        return early(98.0, recs, left, right, Tier::NoWindow);
    };
    let Velocity {
        cost: velocity,
        dist,
        duration,
    } = components::velocity(&window, recs, info.slope_deg, s.tgt_vel);
    let grf = components::grf(&window, recs, s.tgt_grf_th);
    let effort = components::effort(&window, recs, dist, info.mass);
    let emg = components::emg(&window, recs, n);
    let (kinematic, trunk) = components::kinematics(&window, recs);
    let band_metrics = bands::metrics(&window, recs);
    // Joint pain reads an all-zero torque array in the original: always 0.
    let (hip_pain, knee_pain, ankle_pain) = (0.0, 0.0, 0.0);
    let joint_pain = hip_pain + knee_pain + ankle_pain;
    let c = Components {
        effort,
        symmetry,
        velocity,
        grf,
        kinematic,
        trunk,
        emg,
        joint_pain,
        hip_pain,
        knee_pain,
        ankle_pain,
        actual_dist: dist,
        actual_time: duration,
        window,
        bands: band_metrics,
    };
    let (mut total, passed) = staged_total(&c, s);
    if s.myoassist_parity {
        total += info.params.iter().map(|p| (p - 1.0).abs()).sum::<f64>();
    }
    let tier = if passed {
        Tier::Passed
    } else {
        Tier::GateFailed
    };
    CostOutcome {
        total,
        tier,
        components: Some(c),
        left_stances: left,
        right_stances: right,
    }
}

/// The total of a walking episode by cost type (without the parity term) and whether the gate
/// passed. `pelvis_cost` is 0 in 2-D.
pub fn staged_total(c: &Components, s: &CostSettings) -> (f64, bool) {
    let (v, sym, th) = (c.velocity, c.symmetry, s.tgt_sym_th);
    let ind = |b: bool| if b { 1.0 } else { 0.0 };
    let gate = v < 0.01 && sym < th;
    let fail = |vel_gain: f64| {
        10.0 * COST_CONST + vel_gain * v * ind(v > 0.01) + 100.0 * sym * ind(sym > th)
    };
    let w = &s.weights;
    let (eff, kin, trunk, grf, emg) = (
        w.effort * c.effort,
        w.kinematic * c.kinematic,
        w.trunk * c.trunk,
        w.grf * c.grf,
        w.emg * c.emg,
    );
    // (walking-tier total, velocity gain of the failure tier)
    let band = if w.bands > 0.0 {
        w.bands * bands::penalty(&c.bands, c.kinematic + c.trunk, c.effort)
    } else {
        0.0
    };
    let (walking, vel_gain) = match s.cost_type {
        CostType::Effort => return (eff, true),
        CostType::EffKnee => return (eff + c.joint_pain, c.joint_pain < 0.01),
        CostType::Velocity => return (fail(100.0), gate),
        CostType::VelGrf => (eff + grf + trunk, 100.0),
        CostType::VelMusc => (eff + emg, 100.0),
        CostType::VelMuscGrf => (eff + trunk + grf + emg, 100.0),
        CostType::Classic => (
            eff + trunk + c.knee_pain + c.hip_pain + c.ankle_pain,
            1000.0,
        ),
        CostType::Kine => (eff + kin + trunk, 100.0),
        CostType::KineGrf => (eff + kin + trunk + grf, 100.0),
        CostType::KineGrfMusc => (eff + kin + trunk + grf + emg, 100.0),
        // Undefined in the original (it raises); here: every term of the gait, behind the gate.
        CostType::Combined => (eff + kin + trunk + grf + 1000.0 * v, 100.0),
    };
    (if gate { walking + band } else { fail(vel_gain) }, gate)
}
