//! Runtime faults injected through the QEMU board's input file: the firmware must latch the
//! right reason, cut the torque at once and keep it at zero, exactly as the host's device does.

use crate::blobs::good;
use crate::check::{host_commands, same_commands, DEFAULT_DT};
use crate::inputs::{synthetic_walk, Tick};
use crate::{Ctx, Test};
use controller::device::{Reason, State};

/// (name, edit of the tick sequence from `at` (a step while assisting), the latched reason or
/// None for a disturbance that must not fault).
type Injection = (&'static str, fn(&mut [Tick], usize), Option<Reason>);

fn injections() -> Vec<Injection> {
    vec![
        ("comms_timeout", |t, at| t[at..at + 30].iter_mut().for_each(|t| t.present = false), Some(Reason::CommsTimeout)),
        ("comms_gap_tolerated", |t, at| t[at..at + 10].iter_mut().for_each(|t| t.present = false), None),
        ("deadline_overrun", |t, at| t[at..at + 3].iter_mut().for_each(|t| t.stall = true), Some(Reason::DeadlineOverrun)),
        ("single_overrun_tolerated", |t, at| t[at].stall = true, None),
        ("sensor_nan", |t, at| t[at].frame.load[1] = f32::NAN, Some(Reason::SensorImplausible)),
        ("sensor_out_of_range", |t, at| t[at].frame.ankle_velocity[0] = 1.0e4, Some(Reason::SensorImplausible)),
    ]
}

pub fn tests() -> Vec<Test> {
    injections()
        .into_iter()
        .map(|(name, edit, want)| Test::new(format!("fault/{name}"), move |ctx: &Ctx| fault(ctx, name, edit, want)))
        .collect()
}

fn fault(ctx: &Ctx, name: &str, edit: fn(&mut [Tick], usize), want: Option<Reason>) -> Result<String, String> {
    let blob = good();
    let dt = DEFAULT_DT;
    let mut ticks = synthetic_walk();
    // inject while the host device assists with a clearly non-zero torque
    let clean = host_commands(Some(&blob), dt, &ticks);
    let at = clean
        .iter()
        .position(|c| c.state == State::Assist && c.torque[0] > 5.0)
        .ok_or("the walk never assists: nothing to inject into")?;
    if at + 40 > ticks.len() {
        return Err("assistance starts too late in the walk".into());
    }
    edit(&mut ticks, at);
    let out = ctx.run(&format!("fault/{name}"), Some(&blob), &ticks, Some(dt), None)?;
    same_commands(&out.commands, &host_commands(Some(&blob), dt, &ticks))?;
    match want {
        Some(reason) => {
            let first = out.commands.iter().position(|c| c.state == State::Fault).ok_or("no fault latched")?;
            let after = &out.commands[first..];
            if let Some(c) = after.iter().find(|c| c.reason != reason || c.torque != [0.0, 0.0]) {
                return Err(format!("after the fault at step {first}: {c:?}, want zero torque and {reason:?}"));
            }
            if first > at + 35 {
                return Err(format!("fault latched at step {first}, injected at {at}"));
            }
            ctx.expected.log(&format!("fault/{name}"), &out.log)?;
            Ok(format!("injected at step {at}, latched {reason:?} at step {first}, then zero torque"))
        }
        None => {
            if let Some(c) = out.commands.iter().find(|c| c.state == State::Fault) {
                return Err(format!("a tolerated disturbance latched a fault: {c:?}"));
            }
            ctx.expected.log(&format!("fault/{name}"), &out.log)?;
            Ok(format!("disturbance at step {at} tolerated, bit-exact with the host"))
        }
    }
}
