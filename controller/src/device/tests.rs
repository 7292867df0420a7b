use super::*;
use crate::exo::ExoKind;

const DT: f32 = 0.001;

fn device() -> Device<f32> {
    let profile = Profile::new(ExoKind::FourParam, &[0.5, 0.467, 0.9, 0.075], 30.0, false).unwrap();
    Device::new(profile, Limits::for_max_torque(30.0), DT)
}

fn frame(seq: u32, load: f32) -> SensorFrame<f32> {
    SensorFrame {
        seq,
        load: [load, load],
        ..Default::default()
    }
}

/// Strides of 0.7 s stance + 0.4 s swing at 1 kHz; returns every command.
fn walk(dev: &mut Device<f32>, strides: usize) -> heapless::Vec<Command<f32>, 8192> {
    let mut out = heapless::Vec::new();
    let mut seq = 0;
    for _ in 0..strides {
        for k in 0..1100 {
            let load = if k < 700 { 1.0 } else { 0.0 };
            out.push(dev.step(Some(&frame(seq, load)), false)).unwrap();
            seq += 1;
        }
    }
    out
}

#[test]
fn zero_torque_until_three_plausible_strides() {
    let mut dev = device();
    let cmds = walk(&mut dev, 5);
    for c in &cmds[..2 * 1100 + 700] {
        assert_eq!(c.torque, [0.0, 0.0], "seq {}", c.seq);
        assert_eq!(c.state, State::Gated);
    }
    assert!(cmds[3 * 1100 + 1..]
        .iter()
        .any(|c| c.state == State::Assist && c.torque[0] > 1.0));
    assert!(cmds
        .iter()
        .all(|c| c.torque[0] <= 30.0 && c.torque[0] >= 0.0));
}

#[test]
fn slew_limit_bounds_every_change() {
    let profile = Profile::new(ExoKind::FourParam, &[0.5, 0.467, 0.9, 0.075], 30.0, false).unwrap();
    let mut limits = Limits::for_max_torque(30.0);
    limits.max_slew = 50.0;
    let mut dev = Device::new(profile, limits, DT);
    let cmds = walk(&mut dev, 6);
    let max_step = 50.0 * DT * 1.0001;
    for w in cmds.windows(2) {
        assert!((w[1].torque[0] - w[0].torque[0]).abs() <= max_step);
    }
    // the profile asks for more than one slew step somewhere, so the limit did bind
    assert!(cmds
        .windows(2)
        .any(|w| (w[1].profile[0] - w[0].profile[0]).abs() > max_step));
}

#[test]
fn comms_timeout_latches() {
    let mut dev = device();
    walk(&mut dev, 4);
    let mut last = dev.step(None, false);
    for _ in 0..25 {
        last = dev.step(None, false);
    }
    assert_eq!(
        (last.state, last.reason),
        (State::Fault, Reason::CommsTimeout)
    );
    // frames come back: the fault stays latched at zero torque
    let c = dev.step(Some(&frame(1, 1.0)), false);
    assert_eq!(
        (c.state, c.reason, c.torque),
        (State::Fault, Reason::CommsTimeout, [0.0, 0.0])
    );
}

#[test]
fn short_gaps_do_not_fault() {
    let mut dev = device();
    for _ in 0..15 {
        assert_eq!(dev.step(None, false).state, State::Gated);
    }
    assert_eq!(dev.step(Some(&frame(0, 0.0)), false).state, State::Gated);
}

#[test]
fn consecutive_overruns_latch() {
    let mut dev = device();
    assert_eq!(dev.step(Some(&frame(0, 0.0)), true).state, State::Gated);
    assert_eq!(dev.step(Some(&frame(1, 0.0)), false).state, State::Gated);
    dev.step(Some(&frame(2, 0.0)), true);
    dev.step(Some(&frame(3, 0.0)), true);
    let c = dev.step(Some(&frame(4, 0.0)), true);
    assert_eq!((c.state, c.reason), (State::Fault, Reason::DeadlineOverrun));
}

#[test]
fn implausible_sensor_latches() {
    for bad in [f32::NAN, f32::INFINITY, 50.0, -3.0] {
        let mut dev = device();
        let c = dev.step(Some(&frame(0, bad)), false);
        assert_eq!(
            (c.state, c.reason),
            (State::Fault, Reason::SensorImplausible),
            "load {bad}"
        );
    }
    let mut dev = device();
    let mut f = frame(0, 0.5);
    f.gyro[1] = f32::NAN;
    assert_eq!(dev.step(Some(&f), false).reason, Reason::SensorImplausible);
}

#[test]
fn fault_cuts_torque_at_once() {
    let mut dev = device();
    let cmds = walk(&mut dev, 5);
    let on = cmds.iter().rposition(|c| c.torque[0] > 5.0).unwrap();
    let mut dev = device();
    walk(&mut dev, 4);
    for _ in 0..(on - 4 * 1100) {
        dev.step(Some(&frame(0, 1.0)), false);
    }
    dev.latch(Reason::NonFiniteOutput);
    let c = dev.step(Some(&frame(0, 1.0)), false);
    assert_eq!(c.torque, [0.0, 0.0]);
    assert_eq!(c.reason, Reason::NonFiniteOutput);
}

#[test]
fn rejected_device_stays_at_zero() {
    let mut dev = Device::<f32>::rejected(Reason::BlobInvalid(3), Limits::for_max_torque(30.0), DT);
    for k in 0..5000 {
        let c = dev.step(
            Some(&frame(k, if k % 1100 < 700 { 1.0 } else { 0.0 })),
            false,
        );
        assert_eq!(
            (c.state, c.reason, c.torque),
            (State::Fault, Reason::BlobInvalid(3), [0.0, 0.0])
        );
    }
}
