//! CMA-ES bounds of the 77 human parameters, by index, exactly as the original implements them.
//!
//! The original's bound list was written for an older reflex layout and has two fewer reflex
//! entries than the controller (it lists `5_TA_PG_st/_sw` and lacks `1_FDL_FG`, `5_EDL_*`), so
//! the list is misaligned with the names: indices 49–50 (`10_GLU_PG`, `10_VAS_PG`) fall on
//! rows the author labelled "pelvis_tilt", "hip_flexion_r" and are unbounded, so these two
//! gains can become negative; 51–57 (pose angles) are unbounded; 58 (initial forward velocity)
//! is in [−29, 6]; 59–76 (initial activations) in [1, 50]. We keep that behaviour: it is what
//! every shipped parameter file was optimised under.

/// (lower, upper) bound of human parameter `i` (`i < 77`; larger indices get (0, 1), the exo
/// bound).
pub fn human_bound(i: usize) -> (f64, f64) {
    const INF: f64 = f64::INFINITY;
    match i {
        0..=6 => (0.0, INF),
        7..=11 => (-INF, INF),
        12..=48 => (0.0, INF),
        49..=57 => (-INF, INF),
        58 => (-29.0, 6.0),
        59..=76 => (1.0, 50.0),
        _ => (0.0, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quirk_by_index() {
        assert_eq!(human_bound(48), (0.0, f64::INFINITY));
        assert_eq!(human_bound(49), (f64::NEG_INFINITY, f64::INFINITY));
        assert_eq!(human_bound(50), (f64::NEG_INFINITY, f64::INFINITY));
        assert_eq!(human_bound(58), (-29.0, 6.0));
        assert_eq!(human_bound(76), (1.0, 50.0));
    }
}
