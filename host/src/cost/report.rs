//! The cost dictionary with the original's key names (`../shared/spec/original.md` 5.6) and
//! the `_Best_Cost.txt` writer (1.5).

use super::evaluate::{Components, CostOutcome};
use serde_json::{json, Value};

/// A dictionary value: a number, a 2-vector (numpy array in the original) or None.
#[derive(Clone, Debug, PartialEq)]
pub enum DictValue {
    Num(f64),
    Vec2([f64; 2]),
    None,
}

/// The original's evaluation-mode dictionary, in its key order.
pub fn cost_dict(c: &Components) -> Vec<(&'static str, DictValue)> {
    use DictValue::*;
    vec![
        ("Effort_Cost", Num(c.effort)),
        ("Symmetry_Cost", Num(c.symmetry)),
        ("Velocity_Cost", Num(c.velocity)),
        ("GRF_Cost", Num(c.grf)),
        ("JointPain_Cost", Num(c.joint_pain)),
        ("HipPain_Cost", Num(c.hip_pain)),
        ("KneePain_Cost", Num(c.knee_pain)),
        ("AnklePain_Cost", Num(c.ankle_pain)),
        ("Kinematic_Cost", Num(c.kinematic + c.trunk)),
        (
            "Comb_Eff_Vel_Pain_Scruff",
            Num(c.effort + 1000.0 * c.velocity + c.trunk + c.joint_pain),
        ),
        (
            "Comb_Kine_Vel_Pain_Scruff",
            Num(c.kinematic + 1000.0 * c.velocity + c.trunk + c.joint_pain),
        ),
        ("Actual_velocity", Vec2(c.actual_velocity())),
        ("Actual_dist", Vec2(c.actual_dist)),
        ("Actual_time", Num(c.actual_time)),
        ("Pelvis_Cost", None),
    ]
}

/// The dictionary as a JSON object (non-finite numbers as null). Early tiers give every key
/// with null, since the original returns only the scalar there.
pub fn dict_json(o: &CostOutcome) -> serde_json::Map<String, Value> {
    let num = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    let mut m = serde_json::Map::new();
    match &o.components {
        Some(c) => {
            for (k, v) in cost_dict(c) {
                let v = match v {
                    DictValue::Num(x) => num(x),
                    DictValue::Vec2(a) => json!([num(a[0]), num(a[1])]),
                    DictValue::None => Value::Null,
                };
                m.insert(k.to_string(), v);
            }
        }
        None => {
            for k in DICT_KEYS {
                m.insert(k.to_string(), Value::Null);
            }
        }
    }
    m
}

/// The dictionary keys, in order.
pub const DICT_KEYS: [&str; 15] = [
    "Effort_Cost",
    "Symmetry_Cost",
    "Velocity_Cost",
    "GRF_Cost",
    "JointPain_Cost",
    "HipPain_Cost",
    "KneePain_Cost",
    "AnklePain_Cost",
    "Kinematic_Cost",
    "Comb_Eff_Vel_Pain_Scruff",
    "Comb_Kine_Vel_Pain_Scruff",
    "Actual_velocity",
    "Actual_dist",
    "Actual_time",
    "Pelvis_Cost",
];

/// The text of a `_Best_Cost.txt` file: one `key : value` line per dictionary entry (numbers as
/// Python prints them, 2-vectors as numpy prints them), or the original's single line when the
/// episode did not reach the window.
pub fn best_cost_txt(o: &CostOutcome) -> String {
    match &o.components {
        None => "Model not surviving to end of episode. No solution\n".to_string(),
        Some(c) => cost_dict(c)
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    DictValue::Num(x) => py_repr(x),
                    DictValue::Vec2(a) => numpy_str(&a),
                    DictValue::None => "None".into(),
                };
                format!("{k} : {v}\n")
            })
            .collect(),
    }
}

/// Python's `repr(float)`: shortest round-trip digits, positional for 1e-4 <= |x| < 1e16,
/// otherwise scientific with a two-digit exponent (`1e-07`).
pub fn py_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sci = format!("{x:e}"); // shortest digits: "-1.2345e-7"
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..16).contains(&exp) {
        let s = format!("{x}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    }
}

/// numpy's `str()` of a small float array with `precision=4` as in the recorded cost files:
/// scientific (`[1.2492e+00 2.9556e-08]`) when the magnitudes span more than 1e3 or any nonzero
/// is below 1e-4, else positional; positive numbers padded for the sign when any is negative.
pub fn numpy_str(a: &[f64]) -> String {
    let nz: Vec<f64> = a
        .iter()
        .map(|x| x.abs())
        .filter(|x| *x > 0.0 && x.is_finite())
        .collect();
    let (mn, mx) = nz
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
    let sci = !nz.is_empty() && (mx >= 1e8 || mn < 1e-4 || mx / mn > 1e3);
    let neg = a.iter().any(|x| x.is_sign_negative() && *x != 0.0);
    let body: Vec<String> = a
        .iter()
        .map(|&x| {
            let s = if sci {
                let t = format!("{x:.4e}");
                let (m, e) = t.split_once('e').unwrap_or((&t, "0"));
                let e: i32 = e.parse().unwrap_or(0);
                format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
            } else {
                let t = format!("{x:.4}");
                // numpy keeps the point of a whole number ("2.")
                t.trim_end_matches('0').to_string()
            };
            if neg && !s.starts_with('-') {
                format!(" {s}")
            } else {
                s
            }
        })
        .collect();
    format!("[{}]", body.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_numpy_formats() {
        assert_eq!(py_repr(2.285891030534129), "2.285891030534129");
        assert_eq!(py_repr(0.0), "0.0");
        assert_eq!(py_repr(6.170000000000002), "6.170000000000002");
        assert_eq!(py_repr(1e-7), "1e-07");
        assert_eq!(py_repr(1.5e-5), "1.5e-05");
        assert_eq!(py_repr(98998.0), "98998.0");
        assert_eq!(py_repr(0.0001), "0.0001");
        assert_eq!(
            numpy_str(&[1.2492378, 2.9556e-08]),
            "[1.2492e+00 2.9556e-08]"
        );
        assert_eq!(
            numpy_str(&[1.24253, -1.3907e-07]),
            "[ 1.2425e+00 -1.3907e-07]"
        );
        assert_eq!(numpy_str(&[7.7074, 1.8236e-07]), "[7.7074e+00 1.8236e-07]");
    }
}

#[cfg(test)]
mod recorded_files {
    use super::*;

    /// Every recorded `*_Cost.txt` of the reference parameter folders: each numeric value,
    /// printed back with [`py_repr`], is the recorded text; each array line parses as numpy's
    /// format and prints back identically with [`numpy_str`] at its 4-digit precision.
    #[test]
    fn recorded_cost_files_format_round_trip() {
        fn walk(d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.to_string_lossy().ends_with("_Cost.txt") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(&crate::reference::dir().join("params"), &mut files);
        assert!(
            !files.is_empty(),
            "no _Cost.txt files under the reference params folder"
        );
        let mut n = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for line in text.lines() {
                let Some((k, v)) = line.split_once(" : ") else {
                    continue;
                };
                assert!(DICT_KEYS.contains(&k), "{}: key {k}", f.display());
                if v.starts_with('[') {
                    let xs: Vec<f64> = v
                        .trim_matches(['[', ']'])
                        .split_whitespace()
                        .map(|w| w.parse().unwrap())
                        .collect();
                    assert_eq!(numpy_str(&xs), v, "{}", f.display());
                } else if v != "None" {
                    let x: f64 = v.parse().unwrap();
                    assert_eq!(py_repr(x), v, "{}", f.display());
                }
                n += 1;
            }
        }
        assert!(n > 100);
    }
}
