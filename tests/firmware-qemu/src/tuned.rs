//! Every shipped tuned parameter file with a 4-parameter exo slice (81 values: 77 human + 4,
//! the `tutorial` config, max_torque 100 N m) goes through the blob into the firmware and runs
//! the synthetic walk under QEMU, bit-exact with the host's f32 device.

use crate::check::{host_commands, region, same_commands, DEFAULT_DT, QEMU_DEVICE, QEMU_MAX_TORQUE};
use crate::inputs::synthetic_walk;
use crate::{Ctx, Test};
use controller::blob::{self, ExoParamsV1, ProfileParams, Provenance, MAX_BLOB_LEN};
use controller::device::{Device, Limits, State};
use controller::exo::ExoKind;
use controller::params::N_HUMAN;
use std::path::{Path, PathBuf};

/// The `tutorial` config's torque scale (N m).
const MAX_TORQUE: f32 = 100.0;

fn param_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            param_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") && !p.to_string_lossy().ends_with("_Cost.txt") {
            out.push(p);
        }
    }
}

fn read_params(path: &Path) -> Result<Vec<f64>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| l.trim().parse::<f64>().map_err(|e| format!("{} line {}: {e}", path.display(), i + 1)))
        .collect()
}

/// One test per parameter file under `<reference>/params` holding 77 + 4 values.
pub fn tests(reference: &Path) -> Result<Vec<Test>, String> {
    let mut files = Vec::new();
    param_files(&reference.join("params"), &mut files);
    files.sort();
    let mut tests = Vec::new();
    for path in files {
        let params = read_params(&path)?;
        if params.len() != N_HUMAN + ExoKind::FourParam.len() {
            continue;
        }
        let name = path.file_stem().map_or(String::new(), |s| s.to_string_lossy().to_string());
        let folder = path.parent().and_then(|p| p.file_name()).map_or(String::new(), |s| s.to_string_lossy().to_string());
        let exo = params[N_HUMAN..].to_vec();
        tests.push(Test::new(format!("tuned/{folder}/{name}"), move |ctx: &Ctx| run(ctx, &exo)));
    }
    if tests.is_empty() {
        return Err(format!("{}: no parameter file with a 4-parameter exo slice", reference.join("params").display()));
    }
    Ok(tests)
}

fn run(ctx: &Ctx, exo: &[f64]) -> Result<String, String> {
    let profile = ProfileParams::from_slice(ExoKind::FourParam, exo).ok_or("exo slice does not fit")?;
    let p = ExoParamsV1 { max_torque: MAX_TORQUE, profile, provenance: Provenance::default() };
    let mut buf = [0u8; MAX_BLOB_LEN];
    let len = blob::encode(QEMU_DEVICE, &p, &mut buf).map_err(|r| format!("encode: {r}"))?;
    let blob = &buf[..len];
    let ticks = synthetic_walk();
    let out = ctx.run("tuned", Some(blob), &ticks, None, None)?;
    same_commands(&out.commands, &host_commands(Some(blob), DEFAULT_DT, &ticks))?;
    let (_, decoded) = Device::from_region(&region(Some(blob)), QEMU_DEVICE, Limits::for_max_torque(QEMU_MAX_TORQUE), DEFAULT_DT);
    if let Err(reason) = decoded {
        // a file the blob check refuses (as `myoreflex export` would): zero torque throughout
        if out.commands.iter().any(|c| c.torque != [0.0, 0.0] || c.reason != reason) {
            return Err(format!("the blob is refused ({reason:?}) but the firmware did not hold zero torque"));
        }
        return Ok(format!("{} steps bit-exact; refused: {reason:?}, zero torque", out.commands.len()));
    }
    let peak = out.commands.iter().map(|c| c.torque[0].max(c.torque[1])).fold(0.0f32, f32::max);
    if !out.commands.iter().any(|c| c.state == State::Assist) || peak <= 0.0 {
        return Err(format!("the tuned profile never assisted; log: {:?}", out.log));
    }
    Ok(format!("{} steps bit-exact, peak {peak:.3} N m", out.commands.len()))
}
