//! Input files for the QEMU board and the reference cases they are made from.

use controller::device::{SensorFrame, INPUT_PRESENT, INPUT_RECORD, INPUT_STALL};
use serde_json::Value;
use std::path::Path;


/// One tick of input: the frame (None = dropped) and whether the firmware must stall.
#[derive(Clone, Copy, Debug)]
pub struct Tick {
    pub frame: SensorFrame<f32>,
    pub present: bool,
    pub stall: bool,
}

impl Tick {
    /// A received frame with these per-leg loads and quiet joint/gyro signals.
    pub fn loads(seq: u32, right: f32, left: f32) -> Self {
        Tick { frame: SensorFrame { seq, load: [right, left], ..Default::default() }, present: true, stall: false }
    }
}

/// The `frames.bin` bytes for a tick sequence.
pub fn frames_file(ticks: &[Tick]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ticks.len() * INPUT_RECORD);
    for t in ticks {
        let flags = if t.present { INPUT_PRESENT } else { 0 } | if t.stall { INPUT_STALL } else { 0 };
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&t.frame.to_record());
    }
    out
}

/// One case of `exo_controller_cases.json`.
#[derive(Clone)]
pub struct ExoCase {
    pub name: String,
    /// "fourparam" or "npoint".
    pub controller: String,
    pub n_points: Option<usize>,
    pub params: Vec<f64>,
    pub max_torque: f64,
    pub dt: f64,
    pub fixed_exo: bool,
    pub load: Vec<f64>,
}

fn num(v: &Value, what: &str) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| format!("{what}: not a number"))
}

fn nums(v: &Value, what: &str) -> Result<Vec<f64>, String> {
    v.as_array().ok_or_else(|| format!("{what}: not an array"))?.iter().map(|x| num(x, what)).collect()
}

/// Every case of the file (fails on a file without cases: the test must be able to fail).
pub fn exo_cases(reference: &Path) -> Result<Vec<ExoCase>, String> {
    let path = reference.join("exo_controller_cases.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let cases = json["cases"].as_array().ok_or_else(|| format!("{}: no `cases` array", path.display()))?;
    let mut out = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let at = |k: &str| format!("{} cases[{i}].{k}", path.display());
        out.push(ExoCase {
            name: c["name"].as_str().ok_or_else(|| at("name"))?.to_string(),
            controller: c["controller"].as_str().ok_or_else(|| at("controller"))?.to_string(),
            n_points: c["n_points"].as_u64().map(|n| n as usize),
            params: nums(&c["params"], &at("params"))?,
            max_torque: num(&c["max_torque"], &at("max_torque"))?,
            dt: num(&c["dt"], &at("dt"))?,
            fixed_exo: c["fixed_exo"].as_bool().unwrap_or(false),
            load: nums(&c["steps"]["load"], &at("steps.load"))?,
        });
    }
    if out.is_empty() {
        return Err(format!("{}: no cases", path.display()));
    }
    Ok(out)
}

impl ExoCase {
    /// The case's load sequence on both legs, the left leg half a sequence later (so the legs
    /// differ), as received frames.
    pub fn ticks(&self) -> Vec<Tick> {
        let n = self.load.len();
        (0..n).map(|k| Tick::loads(k as u32, self.load[k] as f32, self.load[(k + n / 2) % n] as f32)).collect()
    }
}

/// A walk made here (not from the reference folder, so the expected logs of the tests that use
/// it never change with the fixtures): 6 strides at 1 kHz, stances of 0.68-0.74 s with a
/// half-sine load peaking near 1.1 body weights, swings of 0.4 s at 0.02, the left leg half a
/// stride behind the right.
pub fn synthetic_walk() -> Vec<Tick> {
    let stances = [680usize, 720, 700, 740, 690, 710];
    let mut right = Vec::new();
    for (i, &n) in stances.iter().enumerate() {
        let peak = 1.0 + 0.02 * i as f64;
        right.extend((0..n).map(|k| 0.12 + peak * (std::f64::consts::PI * (k as f64 + 0.5) / n as f64).sin()));
        right.extend(std::iter::repeat_n(0.02, 400));
    }
    let n = right.len();
    (0..n).map(|k| Tick::loads(k as u32, right[k] as f32, right[(k + n - 550) % n] as f32)).collect()
}
