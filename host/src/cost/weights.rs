//! Weights of the walking-tier terms (`--cost_weights "effort:10,trunk:5"`): our addition for
//! shaping a run toward the gait bands; all 1 (the default) is the original's sum.
//!
//! A weight multiplies its term wherever the cost type already uses it (effort in every
//! walking tier, kinematic and trunk in `-kine*`, GRF in `*_grf`, EMG in `*_musc*`); it never
//! adds a term the type does not have, and the failure tiers are unchanged. `bands` (default 0)
//! adds [`crate::cost::bands::penalty`] to every gated walking tier: the distance of the gait
//! from the human-likeness bands of a shipped gait.

/// Multipliers of the walking-tier terms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostWeights {
    pub effort: f64,
    pub kinematic: f64,
    pub trunk: f64,
    pub grf: f64,
    pub emg: f64,
    pub bands: f64,
}

impl Default for CostWeights {
    fn default() -> Self {
        CostWeights {
            effort: 1.0,
            kinematic: 1.0,
            trunk: 1.0,
            grf: 1.0,
            emg: 1.0,
            bands: 0.0,
        }
    }
}

/// The term names `parse` accepts.
pub const TERMS: [&str; 6] = ["effort", "kinematic", "trunk", "grf", "emg", "bands"];

impl CostWeights {
    /// Parses `name:value[,name:value...]` (whitespace ignored); unnamed terms keep their
    /// default (1, `bands` 0).
    /// The message of an error says which part is wrong and what is accepted.
    pub fn parse(s: &str) -> Result<CostWeights, String> {
        let mut w = CostWeights::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once(':').ok_or_else(|| {
                format!("`{part}` is not name:value (e.g. \"effort:10,trunk:5\")")
            })?;
            let (name, value) = (name.trim(), value.trim());
            let v: f64 = value
                .parse()
                .map_err(|_| format!("`{value}` (weight of {name}) is not a number"))?;
            if !v.is_finite() || v < 0.0 {
                return Err(format!(
                    "weight of {name} must be a finite number >= 0, got {value}"
                ));
            }
            let slot = match name {
                "effort" => &mut w.effort,
                "kinematic" => &mut w.kinematic,
                "trunk" => &mut w.trunk,
                "grf" => &mut w.grf,
                "emg" => &mut w.emg,
                "bands" => &mut w.bands,
                _ => {
                    return Err(format!(
                        "unknown term `{name}`; the terms are {}",
                        TERMS.join(", ")
                    ))
                }
            };
            *slot = v;
        }
        Ok(w)
    }

    /// True when every weight is the default (the original's cost).
    pub fn is_default(&self) -> bool {
        *self == CostWeights::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_weights_and_keeps_the_rest_at_one() {
        let w = CostWeights::parse(" effort:10 , trunk:2.5").unwrap();
        assert_eq!(w.effort, 10.0);
        assert_eq!(w.trunk, 2.5);
        assert_eq!((w.kinematic, w.grf, w.emg), (1.0, 1.0, 1.0));
        assert!(CostWeights::parse("").unwrap().is_default());
    }

    #[test]
    fn bad_strings_name_the_part() {
        assert!(CostWeights::parse("effort")
            .unwrap_err()
            .contains("name:value"));
        assert!(CostWeights::parse("speed:3")
            .unwrap_err()
            .contains("unknown term `speed`"));
        assert!(CostWeights::parse("effort:x")
            .unwrap_err()
            .contains("not a number"));
        assert!(CostWeights::parse("grf:-1").unwrap_err().contains(">= 0"));
        assert!(CostWeights::parse("grf:NaN").unwrap_err().contains(">= 0"));
    }

    #[test]
    fn weights_scale_only_the_terms_of_the_cost_type_behind_the_gate() {
        use crate::cost::evaluate::{staged_total, Components, CostSettings};
        use crate::cost::CostType;
        let c = Components {
            effort: 2.0,
            symmetry: 0.05,
            velocity: 0.001,
            grf: 0.3,
            kinematic: 100.0,
            trunk: 4.0,
            emg: 7.0,
            joint_pain: 0.0,
            hip_pain: 0.0,
            knee_pain: 0.0,
            ankle_pain: 0.0,
            actual_dist: [6.0, 0.0],
            actual_time: 4.8,
            window: vec![],
            bands: crate::cost::bands::BandMetrics {
                stride_time_s: 1.1,
                stride_length_m: 1.4,
                stance_fraction: 0.6,
                trunk_pitch_rad: 0.155,
                vgrf_peak_bw: [1.6, 1.2],
                vgrf_humps: [2, 2],
            },
        };
        let mut s = CostSettings {
            cost_type: CostType::Kine,
            tgt_vel: 1.25,
            num_strides: 5,
            tgt_sym_th: 0.1,
            tgt_grf_th: 1.5,
            myoassist_parity: false,
            weights: CostWeights::default(),
        };
        assert_eq!(staged_total(&c, &s), (2.0 + 100.0 + 4.0, true));
        s.weights = CostWeights::parse("effort:10,trunk:5,grf:100").unwrap();
        // -kine has no GRF term: its weight changes nothing
        assert_eq!(staged_total(&c, &s), (20.0 + 100.0 + 20.0, true));
        s.cost_type = CostType::KineGrf;
        assert_eq!(staged_total(&c, &s), (20.0 + 100.0 + 20.0 + 30.0, true));
        // the failure tier is the original's whatever the weights
        let slow = Components {
            velocity: 0.5,
            ..c.clone()
        };
        assert_eq!(staged_total(&slow, &s), (10_000.0 + 50.0, false));
        // bands: the left vGRF peak 1.6 is 0.15 BW above 1.45 (= 0.3 scales of 0.5), the
        // kinematic + trunk cost 104 is 5 above 99 (0.5 scales of 10), effort 2 is 0.05 above
        // 1.95 (0.1 scales of 0.5)
        s.weights = CostWeights::parse("bands:10").unwrap();
        s.cost_type = CostType::Kine;
        let (t, passed) = staged_total(&c, &s);
        assert!(passed && (t - (106.0 + 10.0 * 0.9)).abs() < 1e-9, "{t}");
        assert_eq!(staged_total(&slow, &s), (10_000.0 + 50.0, false));
    }
}
