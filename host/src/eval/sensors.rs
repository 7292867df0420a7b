//! From an engine [`Observation`] to what the controller and the cost read, with the
//! original's conversions (`../shared/spec/original.md` 2.2 and 5.1; reference README 9, 10).

use crate::cost::StepRecord;
use crate::engine::Observation;
use controller::reflex::{LegSensors, Sensors};
use std::f64::consts::{FRAC_PI_2, PI};

/// Gravity the controller and the cost use for body weight (9.8, not 9.81).
pub const G: f64 = 9.8;

/// The original's intrinsic XYZ Euler angles of a quaternion (w, x, y, z): roll, pitch, yaw.
pub fn euler_xyz(q: [f64; 4]) -> [f64; 3] {
    let [w, x, y, z] = q;
    let roll = (2.0 * (w * x + y * z)).atan2(1.0 - 2.0 * (x * x + y * y));
    let sinp = 2.0 * (w * y - z * x);
    let pitch = if sinp.abs() >= 1.0 {
        FRAC_PI_2.copysign(sinp)
    } else {
        sinp.asin()
    };
    let yaw = (2.0 * (w * z + x * y)).atan2(1.0 - 2.0 * (y * y + z * z));
    [roll, pitch, yaw]
}

/// The original's `rotate_frame`: (x, y) rotated by `th`.
pub fn rotate(x: f64, y: f64, th: f64) -> (f64, f64) {
    (th.cos() * x - th.sin() * y, th.sin() * x + th.cos() * y)
}

/// Normalised vertical load per leg, (foot + toes touch) / BW: right, left.
pub fn loads(o: &Observation, bw: f64) -> [f64; 2] {
    [
        (o.touch[0] + o.touch[1]) / bw,
        (o.touch[2] + o.touch[3]) / bw,
    ]
}

/// Index in [`Observation::q`] of hip, knee, ankle, mtp of side `s` (0 = right).
fn dof(s: usize, k: usize) -> usize {
    3 + 4 * s + k
}

/// The controller's sensor sample (`get_sensor_data`). `f0` = muscle peak forces.
pub fn sensors(o: &Observation, bw: f64, f0: &[f64; 22]) -> Sensors<f64> {
    let pe = euler_xyz(o.pelvis_quat);
    let (px, _) = rotate(o.pelvis_pos[0], o.pelvis_pos[1], -pe[2]);
    let (vx, _) = rotate(o.pelvis_vel[0], o.pelvis_vel[1], -pe[2]);
    let load = loads(o, bw);
    let mut s = Sensors {
        theta: pe[1],
        dtheta: -o.torso_angvel_local[1],
        pelvis_pos_x: px,
        pelvis_vel_x: vx,
        ..Default::default()
    };
    for i in 0..2 {
        let c = 1 - i;
        let (tx, _) = rotate(o.talus_pos[c][0], o.talus_pos[c][1], -pe[2]);
        let (tvx, _) = rotate(o.talus_vel[c][0], o.talus_vel[c][1], -pe[2]);
        let f = |base: usize| -(o.muscle_force[base + 11 * i] / f0[base + 11 * i]);
        // actuator order per side: ham 0, bfsh 1, edl 2, fdl 3, glu 4, hfl 5, rf 6, vas 7, gas 8, sol 9, ta 10
        s.leg[i] = LegSensors {
            load_ipsi: load[i],
            talus_contra_pos_x: tx,
            talus_contra_vel_x: tvx,
            phi_hip: PI - o.q[dof(i, 0)],
            dphi_hip: -o.qd[dof(i, 0)],
            phi_knee: PI + o.q[dof(i, 1)],
            dphi_knee: o.qd[dof(i, 1)],
            phi_ankle: 0.5 * PI - o.q[dof(i, 2)],
            phi_mtp: 0.5 * PI - o.q[dof(i, 3)],
            f_glu: f(4),
            f_ham: f(0),
            f_vas: f(7),
            f_gas: f(8),
            f_sol: f(9),
            f_fdl: f(3),
            ..Default::default()
        };
    }
    s.derive_contacts();
    s
}

/// The cost's per-step record (`collectCost`).
pub fn record(o: &Observation, bw: f64, new_step: bool) -> StepRecord {
    let load = loads(o, bw);
    let mut r = StepRecord {
        sim_time: (o.time * 1e4).round_ties_even() / 1e4,
        new_step,
        pelvis: o.pelvis_pos,
        grf: [load[1], load[0]],
        anchors: o.joint_anchor,
        act: o.act,
        ..Default::default()
    };
    r.angles[0] = euler_xyz(o.torso_quat)[1];
    for (col, s) in [(1, 1), (4, 0)] {
        r.angles[col] = PI - o.q[dof(s, 0)];
        r.angles[col + 1] = PI + o.q[dof(s, 1)];
        r.angles[col + 2] = 0.5 * PI - o.q[dof(s, 2)];
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::muscle_index;

    #[test]
    fn force_columns_follow_the_actuator_names() {
        for (i, name) in [
            "hamstrings",
            "bifemsh",
            "edl",
            "fdl",
            "glutmax",
            "iliopsoas",
            "rectfem",
            "vasti",
            "gastroc",
            "soleus",
            "tibant",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(muscle_index(&format!("{name}_r")), Some(i));
            assert_eq!(muscle_index(&format!("{name}_l")), Some(11 + i));
        }
        let q = [0.9, 0.1, -0.2, 0.3];
        let n = q.iter().map(|v| v * v).sum::<f64>().sqrt();
        let e = euler_xyz(q.map(|v| v / n));
        assert!(e.iter().all(|v| v.is_finite()));
    }
}
