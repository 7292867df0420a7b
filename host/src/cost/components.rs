//! The cost components over the evaluation window (`../shared/spec/original.md` 5.4).

use super::interp::resample100;
use super::record::StepRecord;
use super::reference;

/// Muscle groups of the effort and EMG terms (FDL/EDL are excluded, as in the original whose
/// filter names `TOFL`/`TOEX` match no muscle), with their actuator indices (left, right).
pub const EFFORT_GROUPS: [(&str, [usize; 2]); 9] = [
    ("HFL", [16, 5]),
    ("GLU", [15, 4]),
    ("HAM", [11, 0]),
    ("RF", [17, 6]),
    ("VAS", [18, 7]),
    ("BFSH", [12, 1]),
    ("GAS", [19, 8]),
    ("SOL", [20, 9]),
    ("TA", [21, 10]),
];

/// Symmetry: pairs the left and right stances inside the window (the longer list truncated),
/// and sums the mirrored knee and ankle position differences relative to the pelvis, divided
/// by N. `None` (failure tier 98) when fewer than N pairs exist.
pub fn symmetry(
    left: &[usize],
    right: &[usize],
    window: &[usize],
    n: usize,
    recs: &[StepRecord],
) -> Option<f64> {
    let (i0, i_n) = (window[0], window[window.len() - 1]);
    let l: Vec<usize> = left
        .iter()
        .copied()
        .filter(|&i| i0 <= i && i <= i_n)
        .collect();
    let r: Vec<usize> = right
        .iter()
        .copied()
        .filter(|&i| i0 <= i && i <= i_n)
        .collect();
    let m = l.len().min(r.len());
    if m < n {
        return None;
    }
    let mut sum = 0.0;
    for k in 0..m {
        let (rr, ll) = (&recs[r[k]], &recs[l[k]]);
        let mut d = 0.0;
        for joint in [1, 2] {
            let mut sq = 0.0;
            for c in 0..3 {
                let mirror = if c == 1 { -1.0 } else { 1.0 };
                let v = mirror * (rr.anchors[0][joint][c] - rr.pelvis[c])
                    - (ll.anchors[1][joint][c] - ll.pelvis[c]);
                sq += v * v;
            }
            d += sq.sqrt();
        }
        sum += d;
    }
    Some(sum / n as f64)
}

/// Velocity over the window: distance (x, y; on a slope the x-z length and y), duration from
/// the recorded times, and the cost `|v - (tgt_vel, 0)|`.
pub struct Velocity {
    pub cost: f64,
    pub dist: [f64; 2],
    pub duration: f64,
}

pub fn velocity(window: &[usize], recs: &[StepRecord], slope_deg: f64, tgt_vel: f64) -> Velocity {
    let (a, b) = (&recs[window[0]], &recs[window[window.len() - 1]]);
    let dist = if slope_deg != 0.0 {
        let dx = b.pelvis[0] - a.pelvis[0];
        let dz = b.pelvis[2] - a.pelvis[2];
        [(dx * dx + dz * dz).sqrt(), b.pelvis[1] - a.pelvis[1]]
    } else {
        [b.pelvis[0] - a.pelvis[0], b.pelvis[1] - a.pelvis[1]]
    };
    let duration = b.sim_time - a.sim_time;
    let v = [dist[0] / duration, dist[1] / duration];
    let cost = ((v[0] - tgt_vel).powi(2) + (v[1] - 0.0).powi(2)).sqrt();
    Velocity {
        cost,
        dist,
        duration,
    }
}

/// GRF: total vertical load (left + right, BW) above the threshold, summed over `[i0, iN)` and
/// divided by the window length in samples.
pub fn grf(window: &[usize], recs: &[StepRecord], tgt_grf: f64) -> f64 {
    let (i0, i_n) = (window[0], window[window.len() - 1]);
    let sum: f64 = recs[i0..i_n]
        .iter()
        .map(|r| r.grf[0] + r.grf[1])
        .filter(|&g| g > tgt_grf)
        .sum();
    sum / (i_n - i0) as f64
}

/// Effort: sum of squared activations of the [`EFFORT_GROUPS`] muscles over `[i0, iN]`, divided
/// by mass times the window distance.
pub fn effort(window: &[usize], recs: &[StepRecord], dist: [f64; 2], mass: f64) -> f64 {
    let (i0, i_n) = (window[0], window[window.len() - 1]);
    let mut idx: Vec<usize> = EFFORT_GROUPS.iter().flat_map(|(_, i)| *i).collect();
    idx.sort_unstable();
    let sum: f64 = recs[i0..=i_n]
        .iter()
        .map(|r| idx.iter().map(|&m| r.act[m] * r.act[m]).sum::<f64>())
        .sum();
    sum / (mass * (dist[0] * dist[0] + dist[1] * dist[1]).sqrt())
}

/// Stride boundaries of the window: events 0-2, 2-4, ... (each stride spans two steps).
fn strides(window: &[usize]) -> Vec<(usize, usize)> {
    strides_of(window, 0)
}

/// Strides of the window starting at event `parity` (0: events 0-2, 2-4, ...; 1: 1-3, 3-5, ...),
/// i.e. of the foot of event `parity`.
pub fn strides_of(window: &[usize], parity: usize) -> Vec<(usize, usize)> {
    (parity..window.len().saturating_sub(2))
        .step_by(2)
        .map(|k| (window[k], window[k + 2]))
        .collect()
}

/// Kinematic and trunk costs: each stride's angles resampled to 100 points, |x - reference|
/// summed over points and divided by the number of strides; kinematic = the six leg channels,
/// trunk = the torso channel.
pub fn kinematics(window: &[usize], recs: &[StepRecord]) -> (f64, f64) {
    let strides = strides(window);
    let n = strides.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let reference = reference::kinematics();
    let mut per_channel = [0.0; 7];
    for (c, total) in per_channel.iter_mut().enumerate() {
        for &(a, b) in &strides {
            if b <= a {
                continue;
            }
            let x: Vec<f64> = recs[a..b].iter().map(|r| r.angles[c]).collect();
            let y = resample100(&x);
            for (p, yp) in y.iter().enumerate() {
                *total += (yp - reference[p][c]).abs() / n as f64;
            }
        }
    }
    (per_channel[1..].iter().sum(), per_channel[0])
}

/// EMG-profile cost: for the first N strides, each effort muscle's activation resampled to 100
/// points against its reference envelope, squared error / N. Missing strides count as all-zero
/// activations (as in the original).
pub fn emg(window: &[usize], recs: &[StepRecord], n: usize) -> f64 {
    let strides = strides(window);
    let reference = reference::emg();
    let mut total = 0.0;
    for (name, idx) in EFFORT_GROUPS {
        let col = reference::EMG_COLUMNS
            .iter()
            .position(|c| *c == name)
            .unwrap_or(0);
        for s in 0..n {
            for &m in &idx {
                let y = match strides.get(s) {
                    Some(&(a, b)) if b > a => {
                        resample100(&recs[a..b].iter().map(|r| r.act[m]).collect::<Vec<_>>())
                    }
                    _ => [0.0; 100],
                };
                let sq: f64 = y
                    .iter()
                    .enumerate()
                    .map(|(p, v)| (v - reference[p][col]).powi(2))
                    .sum();
                total += sq / n as f64;
            }
        }
    }
    total
}
