//! Human-likeness of a walking episode over the cost window: the bands a shipped gait must meet
//! (stride time and length, stance fraction, trunk pitch, the vertical GRF of the mean stride,
//! kinematic cost, effort), the metrics measured against them, and an optional cost term that
//! pushes a run into them (`--cost_weights bands:W`; our addition, weight 0 by default).
//!
//! Strides run between consecutive stance events of the same foot inside the window (the
//! window starts and ends on a left stance, so the left foot has N strides and the right one
//! N - 1). The vertical GRF profile of a leg is the mean of its strides resampled to 100 points.

use super::components::strides_of;
use super::interp::resample100;
use super::record::StepRecord;
use super::reference;

/// One band: the metric must lie in `[lo, hi]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub name: &'static str,
    pub lo: f64,
    pub hi: f64,
    /// What a violation is measured in (the band width, or a scale for one-sided bands).
    pub scale: f64,
}

const fn band(name: &'static str, lo: f64, hi: f64, scale: f64) -> Band {
    Band {
        name,
        lo,
        hi,
        scale,
    }
}

/// The human-likeness bands of a shipped 1.25 m/s gait (issue 5). Trunk pitch: the range of the
/// reference torso pitch curve (`ref_kinematics_radians.csv`), checked in [`trunk_band`].
pub const STRIDE_TIME_S: Band = band("stride_time_s", 0.95, 1.20, 0.25);
pub const STRIDE_LENGTH_M: Band = band("stride_length_m", 1.2, 1.5, 0.3);
pub const STANCE_FRACTION: Band = band("stance_fraction", 0.55, 0.65, 0.1);
pub const VGRF_PEAK_BW: Band = band("vgrf_peak_bw", 0.0, 1.5, 0.5);
pub const KINEMATIC_COST: Band = band("kinematic_cost", 0.0, 100.0, 10.0);
pub const EFFORT: Band = band("effort", 0.0, 2.0, 0.5);
/// A hump of the mean-stride vertical GRF profile must reach this (body weights)...
pub const VGRF_HUMP_BW: f64 = 0.8;
/// ...and the profile must dip this far below the lower of two neighbouring humps between them
/// for both to count (else they are one hump with a ripple), body weights.
pub const VGRF_HUMP_DIP_BW: f64 = 0.05;

/// The trunk pitch band: min and max of the reference torso pitch, rad.
pub fn trunk_band() -> Band {
    let (lo, hi) = reference::kinematics()
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| {
            (a.min(r[0]), b.max(r[0]))
        });
    band("trunk_pitch_rad", lo, hi, hi - lo)
}

/// The metrics of one episode's cost window.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BandMetrics {
    /// Mean stride time and pelvis travel per stride (both feet's strides), s and m.
    pub stride_time_s: f64,
    pub stride_length_m: f64,
    /// Fraction of (leg, sample) pairs in the window with more than 0.1 BW.
    pub stance_fraction: f64,
    /// Mean torso pitch over the window, rad.
    pub trunk_pitch_rad: f64,
    /// Maximum of each leg's mean-stride vertical GRF profile (left, right), BW.
    pub vgrf_peak_bw: [f64; 2],
    /// Humps of each leg's profile (left, right): maxima above [`VGRF_HUMP_BW`] separated by
    /// dips of at least [`VGRF_HUMP_DIP_BW`].
    pub vgrf_humps: [usize; 2],
}

/// The metrics over `window` (stance event indices, as the cost finds them: from a left
/// stance to a left stance).
pub fn metrics(window: &[usize], recs: &[StepRecord]) -> BandMetrics {
    let (i0, i_n) = (window[0], window[window.len() - 1]);
    let all = strides_of(window, 0)
        .into_iter()
        .chain(strides_of(window, 1))
        .collect::<Vec<_>>();
    let mean = |f: &dyn Fn(usize, usize) -> f64| {
        all.iter().map(|&(a, b)| f(a, b)).sum::<f64>() / all.len().max(1) as f64
    };
    let stride_time_s = mean(&|a, b| recs[b].sim_time - recs[a].sim_time);
    let stride_length_m = mean(&|a, b| recs[b].pelvis[0] - recs[a].pelvis[0]);
    let samples = &recs[i0..i_n.max(i0 + 1).min(recs.len())];
    let loaded: usize = samples
        .iter()
        .map(|r| usize::from(r.grf[0] > 0.1) + usize::from(r.grf[1] > 0.1))
        .sum();
    let trunk_pitch_rad =
        samples.iter().map(|r| r.angles[0]).sum::<f64>() / samples.len().max(1) as f64;
    // the window starts on a left stance: the left foot strides over the events of parity 0,
    // the right one over those of parity 1
    let mut vgrf_peak_bw = [f64::NAN; 2];
    let mut vgrf_humps = [0; 2];
    for (leg, (peak, humps)) in vgrf_peak_bw.iter_mut().zip(&mut vgrf_humps).enumerate() {
        let p = mean_profile(&strides_of(window, leg), recs, leg);
        *peak = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        *humps = count_humps(&p);
    }
    BandMetrics {
        stride_time_s,
        stride_length_m,
        stance_fraction: loaded as f64 / (2 * samples.len()).max(1) as f64,
        trunk_pitch_rad,
        vgrf_peak_bw,
        vgrf_humps,
    }
}

/// The humps of a profile: its local maxima of at least [`VGRF_HUMP_BW`], where two
/// neighbouring ones count as one unless the profile between them dips [`VGRF_HUMP_DIP_BW`]
/// below the lower of them.
fn count_humps(p: &[f64; 100]) -> usize {
    // the height of the last hump, and the lowest value of the profile since its top
    let mut last: Option<(f64, f64)> = None;
    let mut n = 0;
    for k in 1..99 {
        if let Some((_, low)) = &mut last {
            *low = low.min(p[k]);
        }
        if !(p[k] >= VGRF_HUMP_BW && p[k] > p[k - 1] && p[k] >= p[k + 1]) {
            continue;
        }
        match &mut last {
            // no dip since the last hump: the same hump (higher, or a ripple on it)
            Some((h, low)) if *low > h.min(p[k]) - VGRF_HUMP_DIP_BW => {
                if p[k] > *h {
                    (*h, *low) = (p[k], p[k]);
                }
            }
            _ => {
                n += 1;
                last = Some((p[k], p[k]));
            }
        }
    }
    n
}

/// Mean of a leg's vertical load over `strides`, each resampled to 100 points.
fn mean_profile(strides: &[(usize, usize)], recs: &[StepRecord], leg: usize) -> [f64; 100] {
    let mut out = [0.0; 100];
    let mut n = 0.0;
    for &(a, b) in strides {
        if b <= a {
            continue;
        }
        let x: Vec<f64> = recs[a..b].iter().map(|r| r.grf[leg]).collect();
        for (o, y) in out.iter_mut().zip(resample100(&x)) {
            *o += y;
        }
        n += 1.0;
    }
    if n > 0.0 {
        out.iter_mut().for_each(|o| *o /= n);
    }
    out
}

/// How far `x` lies outside `b` shrunk by `margin` (a fraction of its width on two-sided
/// bands, of its scale on one-sided ones), in units of `b.scale`; NaN counts as 1.
fn violation(x: f64, b: &Band, margin: f64) -> f64 {
    if !x.is_finite() {
        return 1.0;
    }
    let m = margin * if b.lo > 0.0 { b.hi - b.lo } else { b.scale };
    let lo = if b.lo > 0.0 {
        b.lo + m
    } else {
        f64::NEG_INFINITY
    };
    let hi = b.hi - m;
    ((lo - x).max(x - hi).max(0.0)) / b.scale
}

/// The target margin of [`penalty`]: aim 10 % inside each band, so that a gait tuned with it
/// keeps its bands when chaos moves it a little.
pub const TARGET_MARGIN: f64 = 0.1;

/// Every banded value of a gait with its band and a qualifier (the leg of a per-leg value);
/// `kinematic` is the kinematic + trunk cost, `effort` the effort.
fn checks(m: &BandMetrics, kinematic: f64, effort: f64) -> [(f64, Band, &'static str); 8] {
    [
        (m.stride_time_s, STRIDE_TIME_S, ""),
        (m.stride_length_m, STRIDE_LENGTH_M, ""),
        (m.stance_fraction, STANCE_FRACTION, ""),
        (m.trunk_pitch_rad, trunk_band(), ""),
        (m.vgrf_peak_bw[0], VGRF_PEAK_BW, " left"),
        (m.vgrf_peak_bw[1], VGRF_PEAK_BW, " right"),
        (kinematic, KINEMATIC_COST, ""),
        (effort, EFFORT, ""),
    ]
}

/// The band cost term: the sum of the violations of every band (shrunk by [`TARGET_MARGIN`]),
/// each in units of its scale. The hump count has no term (it is not a distance).
pub fn penalty(m: &BandMetrics, kinematic: f64, effort: f64) -> f64 {
    checks(m, kinematic, effort)
        .iter()
        .map(|(x, b, _)| violation(*x, b, TARGET_MARGIN))
        .sum()
}

/// The bands `m` misses (margin 0), as "name value (lo..hi)" lines; empty when all are met.
pub fn misses(m: &BandMetrics, kinematic: f64, effort: f64) -> Vec<String> {
    let mut out: Vec<String> = checks(m, kinematic, effort)
        .iter()
        .filter(|(x, b, _)| violation(*x, b, 0.0) > 0.0)
        .map(|(x, b, leg)| format!("{}{leg} {x:.4} ({:.4}..{:.4})", b.name, b.lo, b.hi))
        .collect();
    for (leg, h) in ["left", "right"].iter().zip(m.vgrf_humps) {
        if h < 2 {
            out.push(format!(
                "vgrf_humps {leg} {h} (two above {VGRF_HUMP_BW} BW, apart by a dip of {VGRF_HUMP_DIP_BW} BW)"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(t: f64, x: f64, grf: [f64; 2], trunk: f64) -> StepRecord {
        let mut r = StepRecord {
            sim_time: t,
            pelvis: [x, 0.0, 0.9],
            grf,
            ..Default::default()
        };
        r.angles[0] = trunk;
        r
    }

    /// A synthetic gait: 1.1-s strides at 1.25 m/s, each foot loaded 60 % of its stride with a
    /// double hump of 1.2 BW, trunk at 0.155 rad.
    fn gait() -> (Vec<StepRecord>, Vec<usize>, Vec<usize>) {
        let dt = 0.01;
        let load = |phase: f64| {
            if phase < 0.6 {
                let s = phase / 0.6;
                0.2 + 1.0 * (std::f64::consts::PI * 2.0 * s).sin().abs()
            } else {
                0.0
            }
        };
        let recs: Vec<StepRecord> = (0..1200)
            .map(|i| {
                let t = i as f64 * dt;
                let ph = (t / 1.1).fract();
                let phr = ((t - 0.55) / 1.1).rem_euclid(1.0);
                rec(t, 1.25 * t, [load(ph), load(phr)], 0.155)
            })
            .collect();
        let left: Vec<usize> = (0..10).map(|k| k * 110).collect();
        let right: Vec<usize> = (0..10).map(|k| 55 + k * 110).collect();
        (recs, left, right)
    }

    #[test]
    fn a_human_like_gait_meets_every_band_and_costs_nothing() {
        let (recs, left, right) = gait();
        let w = super::super::events::window(&left, &right, 5).unwrap();
        let m = metrics(&w, &recs);
        assert!((m.stride_time_s - 1.1).abs() < 1e-9, "{m:?}");
        assert!((m.stride_length_m - 1.375).abs() < 1e-9, "{m:?}");
        assert!((m.stance_fraction - 0.6).abs() < 0.02, "{m:?}");
        assert!(
            m.vgrf_peak_bw.iter().all(|p| (p - 1.2).abs() < 0.01),
            "{m:?}"
        );
        assert_eq!(m.vgrf_humps, [2, 2]);
        assert_eq!(penalty(&m, 90.0, 1.5), 0.0);
        assert!(misses(&m, 90.0, 1.5).is_empty());
    }

    #[test]
    fn a_ripple_on_one_hump_is_not_a_second_hump() {
        // two humps of 1.2 and 1.1 BW with a 0.7 BW valley, a 0.02 BW ripple on the first
        let mut p = [0.0; 100];
        for (k, v) in p.iter_mut().enumerate() {
            let x = k as f64 / 99.0;
            *v = 1.2 * (-((x - 0.25) / 0.1).powi(2)).exp()
                + 1.1 * (-((x - 0.75) / 0.1).powi(2)).exp()
                + 0.7 * (-((x - 0.5) / 0.2).powi(2)).exp();
        }
        assert_eq!(count_humps(&p), 2);
        let mut rippled = p;
        rippled[20] += 0.02;
        rippled[21] -= 0.01;
        assert_eq!(count_humps(&rippled), 2, "{rippled:?}");
        // one plateau with two tops 0.03 BW above a notch between them: one hump
        let mut one = [0.0; 100];
        one[20..80].fill(1.18);
        (one[40], one[50], one[60]) = (1.2, 1.17, 1.2);
        assert_eq!(count_humps(&one), 1, "{one:?}");
        assert_eq!(count_humps(&[0.5; 100]), 0);
    }

    #[test]
    fn violations_are_named_and_cost_in_proportion() {
        let (mut recs, left, right) = gait();
        // a heel-strike spike of 2 BW on every left stance
        for &i in &left {
            recs[i].grf[0] = 2.0;
        }
        let w = super::super::events::window(&left, &right, 5).unwrap();
        let m = metrics(&w, &recs);
        assert!((m.vgrf_peak_bw[0] - 2.0).abs() < 1e-9);
        let miss = misses(&m, 101.0, 1.5);
        assert_eq!(miss.len(), 2, "{miss:?}");
        assert!(
            miss[0].starts_with("vgrf_peak_bw left 2.0000")
                && miss[1].starts_with("kinematic_cost")
        );
        // (2.0 - 1.45) / 0.5 + (101 - 99) / 10
        assert!((penalty(&m, 101.0, 1.5) - (1.1 + 0.2)).abs() < 1e-9);
    }
}
