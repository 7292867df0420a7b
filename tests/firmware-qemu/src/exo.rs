//! Exo profile parity: the firmware under QEMU against the host's f32 controller, bit for bit,
//! for every case of `exo_controller_cases.json`.

use crate::check::{host_commands, region, same_commands, QEMU_DEVICE, QEMU_MAX_TORQUE};
use crate::inputs::ExoCase;
use crate::{Ctx, Test};
use controller::blob::{self, ExoParamsV1, ProfileParams, Provenance, MAX_BLOB_LEN};
use controller::device::{Device, Limits, State};
use controller::exo::{fourparam, ExoController, ExoKind, Profile};

/// The case's exo kind.
pub fn kind(case: &ExoCase) -> Result<ExoKind, String> {
    match (case.controller.as_str(), case.n_points) {
        ("fourparam", _) => Ok(ExoKind::FourParam),
        ("npoint", Some(n)) => Ok(ExoKind::NPoint(n)),
        ("npoint", None) if case.params.len() % 2 == 0 => Ok(ExoKind::NPoint(case.params.len() / 2)),
        (c, n) => Err(format!("{}: unknown controller {c} / n_points {n:?}", case.name)),
    }
}

/// The parameters the original controller actually runs (fixed_exo: the 4-param defaults).
pub fn effective_params(case: &ExoCase, kind: ExoKind) -> Vec<f64> {
    if case.fixed_exo && kind == ExoKind::FourParam {
        fourparam::DEFAULTS.to_vec()
    } else {
        case.params.clone()
    }
}

/// The blob `myoreflex export` would write for the case, for the QEMU device class.
pub fn case_blob(case: &ExoCase) -> Result<Vec<u8>, String> {
    let kind = kind(case)?;
    let params = effective_params(case, kind);
    let profile = ProfileParams::from_slice(kind, &params).ok_or_else(|| format!("{}: params do not fit {kind:?}", case.name))?;
    let p = ExoParamsV1 { max_torque: case.max_torque as f32, profile, provenance: Provenance::default() };
    let mut buf = [0u8; MAX_BLOB_LEN];
    let len = blob::encode(QEMU_DEVICE, &p, &mut buf).map_err(|r| format!("{}: encode: {r}", case.name))?;
    Ok(buf[..len].to_vec())
}

pub fn tests(cases: &[ExoCase]) -> Vec<Test> {
    cases
        .iter()
        .map(|case| {
            let case = case.clone();
            Test::new(format!("exo_parity/{}", case.name), move |ctx: &Ctx| parity(ctx, &case))
        })
        .collect()
}

fn parity(ctx: &Ctx, case: &ExoCase) -> Result<String, String> {
    let blob = case_blob(case)?;
    let ticks = case.ticks();
    let dt = case.dt as f32;
    let out = ctx.run(&format!("exo_parity/{}", case.name), Some(&blob), &ticks, Some(dt), None)?;
    // 1. the whole command stream equals the host's f32 device on the same inputs
    same_commands(&out.commands, &host_commands(Some(&blob), dt, &ticks))?;
    let (_, decoded) = Device::from_region(&region(Some(&blob)), QEMU_DEVICE, Limits::for_max_torque(QEMU_MAX_TORQUE), dt);
    if let Err(reason) = decoded {
        // a case this device refuses (e.g. above its torque limit): zero torque throughout
        if out.commands.iter().any(|c| c.torque != [0.0, 0.0] || c.reason != reason) {
            return Err(format!("the blob is refused ({reason:?}) but the firmware did not hold zero torque"));
        }
        return Ok(format!("{} steps bit-exact; refused by this device: {reason:?}, zero torque", out.commands.len()));
    }
    // 2. the profile torque equals the host's f32 exo controller built straight from the
    //    case (not from the blob), leg by leg
    let kind = kind(case)?;
    let p32: Vec<f32> = case.params.iter().map(|&v| v as f32).collect();
    let profile = Profile::new(kind, &p32, case.max_torque as f32, case.fixed_exo).map_err(|e| format!("{e:?}"))?;
    let mut legs = [ExoController::from_profile(profile); 2];
    for (k, (cmd, t)) in out.commands.iter().zip(&ticks).enumerate() {
        for (i, leg) in legs.iter_mut().enumerate() {
            let want = leg.step(t.frame.load[i], dt);
            if cmd.profile[i].to_bits() != want.to_bits() {
                return Err(format!("step {k} leg {i}: firmware profile {} != host f32 controller {want}", cmd.profile[i]));
            }
        }
    }
    // 3. it did assist (a run that stayed at zero would prove nothing)
    let assisted = out.commands.iter().filter(|c| c.state == State::Assist && c.torque[0] > 0.0).count();
    if assisted == 0 {
        return Err("the firmware never assisted".into());
    }
    // the log: blob accepted, assistance began, every step ran (no expected file: the cases
    // come from the reference folder, whatever it holds)
    for want in ["INFO blob ok", "INFO assist", &format!("INFO done after {} steps", ticks.len())] {
        if !out.log.iter().any(|l| l.contains(want)) {
            return Err(format!("no `{want}` in the log: {:?}", out.log));
        }
    }
    let peak = out.commands.iter().map(|c| c.torque[0].max(c.torque[1])).fold(0.0f32, f32::max);
    Ok(format!("{} steps bit-exact, {assisted} assisting, peak {peak:.3} N m", out.commands.len()))
}
