//! Gait statistics of an episode (as `../shared/reference/episode_summary.json` defines them).

use super::episode::Episode;
use crate::cost::{events, CostOutcome};

/// Gait-level numbers of one episode.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct GaitStats {
    /// Simulated time reached, s.
    pub walked_s: f64,
    /// Final pelvis x, m.
    pub distance_m: f64,
    /// distance / time, m/s.
    pub speed_mps: f64,
    /// Mean time between left stance events, s (NaN with fewer than two).
    pub stride_time_s: f64,
    /// Mean pelvis travel between left stance events, m.
    pub stride_length_m: f64,
    /// Fraction of the episode each foot carries more than 0.1 BW, mean of both legs.
    pub stance_fraction: f64,
    /// Peak vertical load per leg in body weights: left, right.
    pub peak_vgrf_bw: [f64; 2],
    /// Heel-strike events before and after the 0.3-s pruning, stance events per side.
    pub raw_step_events: usize,
    pub step_events: usize,
    pub left_stances: usize,
    pub right_stances: usize,
}

/// The statistics of `ep` (`dt` = control step).
pub fn gait_stats(ep: &Episode, dt: f64) -> GaitStats {
    let r = &ep.records;
    let Some(last) = r.last() else {
        return GaitStats::default();
    };
    let walked_s = last.sim_time;
    let distance_m = last.pelvis[0];
    let ev = events::step_events(r, dt);
    let (left, right) = events::stance_feet(&ev, r);
    let mean = |v: Vec<f64>| {
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let stride_time_s = mean(
        left.windows(2)
            .map(|w| r[w[1]].sim_time - r[w[0]].sim_time)
            .collect(),
    );
    let stride_length_m = mean(
        left.windows(2)
            .map(|w| r[w[1]].pelvis[0] - r[w[0]].pelvis[0])
            .collect(),
    );
    let loaded: usize = r
        .iter()
        .map(|x| usize::from(x.grf[0] > 0.1) + usize::from(x.grf[1] > 0.1))
        .sum();
    let peak = |k: usize| r.iter().map(|x| x.grf[k]).fold(0.0, f64::max);
    GaitStats {
        walked_s,
        distance_m,
        speed_mps: if walked_s > 0.0 {
            distance_m / walked_s
        } else {
            f64::NAN
        },
        stride_time_s,
        stride_length_m,
        stance_fraction: loaded as f64 / (2 * r.len()) as f64,
        peak_vgrf_bw: [peak(0), peak(1)],
        raw_step_events: r.iter().filter(|x| x.new_step).count(),
        step_events: ev.len(),
        left_stances: left.len(),
        right_stances: right.len(),
    }
}

/// Symmetry of the cost window, when the episode reached it.
pub fn symmetry(o: &CostOutcome) -> Option<f64> {
    o.components.as_ref().map(|c| c.symmetry)
}
