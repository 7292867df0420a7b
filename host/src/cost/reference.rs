//! The reference gait curves the cost compares against, shipped as project data under
//! `host/data/ref_data/` (provenance there).

use std::sync::OnceLock;

const KINEMATICS_CSV: &str = include_str!("../../data/ref_data/ref_kinematics_radians.csv");
const EMG_CSV: &str = include_str!("../../data/ref_data/ref_EMG.csv");

/// Column of each EMG muscle in [`emg`]: HAB HAD HFL GLU HAM RF VAS BFSH GAS SOL TA.
pub const EMG_COLUMNS: [&str; 11] = [
    "HAB", "HAD", "HFL", "GLU", "HAM", "RF", "VAS", "BFSH", "GAS", "SOL", "TA",
];

/// The reference kinematics: 100 rows x 7 channels (torso, L hip/knee/ankle, R hip/knee/ankle),
/// radians, Geyer convention, one gait cycle from left heel strike.
pub fn kinematics() -> &'static [[f64; 7]; 100] {
    static K: OnceLock<[[f64; 7]; 100]> = OnceLock::new();
    K.get_or_init(|| parse(KINEMATICS_CSV))
}

/// The reference EMG envelopes: 100 rows x 11 muscles ([`EMG_COLUMNS`]).
pub fn emg() -> &'static [[f64; 11]; 100] {
    static E: OnceLock<[[f64; 11]; 100]> = OnceLock::new();
    E.get_or_init(|| parse(EMG_CSV))
}

/// Parses a shipped 100-row numeric CSV; the data is compiled in and checked by a test.
fn parse<const N: usize>(text: &str) -> [[f64; N]; 100] {
    let mut out = [[0.0; N]; 100];
    for (row, line) in out
        .iter_mut()
        .zip(text.lines().filter(|l| !l.trim().is_empty()))
    {
        for (v, w) in row.iter_mut().zip(line.split(',')) {
            *v = w.trim().parse().unwrap_or(f64::NAN);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_curves_are_complete_and_equal_the_reference_set() {
        assert!(kinematics().iter().flatten().all(|v| v.is_finite()));
        assert!(emg()
            .iter()
            .flatten()
            .all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
        assert_eq!(KINEMATICS_CSV.lines().count(), 100);
        assert_eq!(EMG_CSV.lines().count(), 100);
        let dir = crate::reference::dir().join("ref_data");
        if let (Ok(k), Ok(e)) = (
            std::fs::read_to_string(dir.join("ref_kinematics_radians.csv")),
            std::fs::read_to_string(dir.join("ref_EMG.csv")),
        ) {
            assert_eq!(k, KINEMATICS_CSV);
            assert_eq!(e, EMG_CSV);
        }
    }
}
