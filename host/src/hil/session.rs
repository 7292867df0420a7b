//! One HIL episode step by step: the simulator's sensors -> sensor frame -> the device over the
//! link -> command frame -> exo torque; the same frames go through the host's own f32
//! `Device` (the in-process controller) for the torque comparison.

use super::link::Link;
use super::HilError;
use crate::engine::Observation;
use crate::eval::episode::ExoSource;
use controller::device::{Device, Reason, State};
use controller::link::{HostMsg, SensorMsg};
use controller::reflex::Sensors;
use std::io::{Read, Write};

/// A fault to inject: `kind` from control step `at` on for `steps` steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub kind: FaultKind,
    pub at: u32,
    pub steps: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The frames are lost (no frame in these ticks).
    Drop,
    /// The frames arrive with a flipped bit (the device refuses them).
    Corrupt,
    /// The frame of step `at` arrives `steps` ticks late (nothing in between, then the stale frame).
    Delay,
}

impl std::str::FromStr for Fault {
    type Err = String;
    /// `drop:STEP:N`, `corrupt:STEP:N`, `delay:STEP:N`.
    fn from_str(s: &str) -> Result<Self, String> {
        let p: Vec<&str> = s.split(':').collect();
        let bad = || format!("`{s}`: want drop|corrupt|delay:STEP:N, e.g. delay:3000:30");
        if p.len() != 3 {
            return Err(bad());
        }
        let kind = match p[0] {
            "drop" => FaultKind::Drop,
            "corrupt" => FaultKind::Corrupt,
            "delay" => FaultKind::Delay,
            _ => return Err(bad()),
        };
        let at = p[1].parse().map_err(|_| bad())?;
        let steps: u32 = p[2].parse().map_err(|_| bad())?;
        if steps == 0 {
            return Err(bad());
        }
        Ok(Fault { kind, at, steps })
    }
}

/// A change of the device's state or reason, as the host saw it.
#[derive(Clone, Debug)]
pub struct Event {
    pub step: u32,
    pub state: State,
    pub reason: Reason,
}

/// What the session counted.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Control steps exchanged (one frame each way).
    pub frames: u32,
    /// Frames refused: by the device (its count) + by the host.
    pub frame_errors: u32,
    pub device_rx_errors: u32,
    pub host_refused: u32,
    /// Worst |device torque - host f32 torque| (N m) over both legs and all steps.
    pub max_torque_diff_nm: f64,
    /// Steps whose command (state, reason, torque bits) differed from the host's f32 device.
    pub mismatched_steps: u32,
    /// Steps with a non-zero torque on a leg.
    pub assist_steps: u32,
    pub events: Vec<Event>,
    /// Wire sizes (bytes incl. delimiter) of the last sensor and command frames.
    pub sensor_frame_len: usize,
    pub command_frame_len: usize,
    pub peak_torque_nm: f32,
    /// Wall time spent in the link (send + wait for the command frame), s.
    pub link_wall_s: f64,
    pub final_state: Option<(State, Reason)>,
}

pub struct Session<S: Read + Write> {
    link: Link<S>,
    reference: Device<f32>,
    faults: Vec<Fault>,
    step: u32,
    held: Option<SensorMsg>,
    pub tally: Tally,
}

impl<S: Read + Write> Session<S> {
    pub fn new(link: Link<S>, reference: Device<f32>, faults: Vec<Fault>) -> Self {
        Self {
            link,
            reference,
            faults,
            step: 0,
            held: None,
            tally: Tally::default(),
        }
    }

    /// The link underneath (e.g. to read the RTT log stream at the end).
    pub fn link_mut(&mut self) -> &mut Link<S> {
        &mut self.link
    }

    fn fault_now(&self) -> Option<Fault> {
        self.faults
            .iter()
            .copied()
            .find(|f| self.step >= f.at && self.step < f.at + f.steps)
    }

    /// One lockstep exchange; returns the device's torques.
    pub fn exchange(&mut self, sensors: SensorMsg) -> Result<([f32; 2], [f32; 2]), HilError> {
        let (msg, corrupt) = match self.fault_now() {
            None => match self.held.take() {
                Some(stale) => (HostMsg::Tick(stale), false),
                None => (HostMsg::Tick(sensors), false),
            },
            Some(f) => match f.kind {
                FaultKind::Drop => (HostMsg::Skip(sensors.seq), false),
                FaultKind::Corrupt => (HostMsg::Tick(sensors), true),
                FaultKind::Delay => {
                    if self.step == f.at {
                        self.held = Some(sensors);
                    }
                    (HostMsg::Skip(sensors.seq), false)
                }
            },
        };
        let t0 = std::time::Instant::now();
        self.link.send(&msg, corrupt)?;
        self.tally.sensor_frame_len = self.tally.sensor_frame_len.max(self.link.sent_len);
        let expect = match (&msg, corrupt) {
            (HostMsg::Tick(m), false) => self.reference.step(Some(&m.to_frame()), false),
            _ => self.reference.step(None, false),
        };
        let got = self.link.receive()?;
        self.tally.link_wall_s += t0.elapsed().as_secs_f64();
        self.tally.command_frame_len = self.tally.command_frame_len.max(self.link.recv_len);
        self.tally.frames += 1;
        self.tally.host_refused = self.link.refused;
        let cmd = match got.ok().and_then(|d| {
            self.tally.device_rx_errors = d.rx_errors;
            d.to_command()
        }) {
            Some(c) => c,
            None => {
                // a refused command frame: the actuator holds zero torque this step
                self.tally.frame_errors = self.tally.device_rx_errors + self.tally.host_refused;
                self.step += 1;
                return Ok(([0.0; 2], [0.0; 2]));
            }
        };
        self.tally.frame_errors = self.tally.device_rx_errors + self.tally.host_refused;
        let same = cmd.state == expect.state
            && cmd.reason == expect.reason
            && cmd
                .torque
                .iter()
                .zip(expect.torque.iter())
                .all(|(a, b)| a.to_bits() == b.to_bits());
        if !same {
            self.tally.mismatched_steps += 1;
        }
        for (a, b) in cmd.torque.iter().zip(expect.torque.iter()) {
            let d = (f64::from(*a) - f64::from(*b)).abs();
            if d > self.tally.max_torque_diff_nm || d.is_nan() {
                self.tally.max_torque_diff_nm = if d.is_nan() { f64::INFINITY } else { d };
            }
        }
        if cmd.torque.iter().any(|t| *t != 0.0) {
            self.tally.assist_steps += 1;
        }
        self.tally.peak_torque_nm = cmd
            .torque
            .iter()
            .fold(self.tally.peak_torque_nm, |m, t| m.max(*t));
        let now = (cmd.state, cmd.reason);
        if self.tally.final_state != Some(now) {
            self.tally.events.push(Event {
                step: self.step,
                state: now.0,
                reason: now.1,
            });
            self.tally.final_state = Some(now);
        }
        self.step += 1;
        Ok((cmd.torque, cmd.stance_pct))
    }

    /// Ends the session (the firmware logs and exits).
    pub fn end(&mut self) -> Result<(), HilError> {
        self.link.send(&HostMsg::End, false)
    }
}

/// The sensor frame of a control step: per leg (r, l) the normalised ipsilateral load the exo
/// estimator uses, the ankle angle and velocity, and a shank pitch rate (pelvis tilt + hip +
/// knee rates; the IMU on the shank).
pub fn sensor_msg(seq: u32, obs: &Observation, sample: &Sensors<f64>) -> SensorMsg {
    let f = |v: f64| v as f32;
    let leg = |i: usize| 4 * i;
    SensorMsg {
        seq,
        load: [f(sample.leg[0].load_ipsi), f(sample.leg[1].load_ipsi)],
        ankle_angle: [f(obs.q[5 + leg(0)]), f(obs.q[5 + leg(1)])],
        ankle_velocity: [f(obs.qd[5 + leg(0)]), f(obs.qd[5 + leg(1)])],
        gyro: [0, 1].map(|i| f(obs.qd[2] + obs.qd[3 + leg(i)] + obs.qd[4 + leg(i)])),
    }
}

/// The episode's view: each control step is one exchange.
pub struct Source<'a, S: Read + Write> {
    pub session: &'a mut Session<S>,
    pub seq: u32,
    pub error: Option<HilError>,
}

impl<S: Read + Write> ExoSource for Source<'_, S> {
    fn step(
        &mut self,
        obs: &Observation,
        sample: &Sensors<f64>,
        _dt: f64,
    ) -> Result<([f64; 2], [f64; 2]), String> {
        self.seq = self.seq.wrapping_add(1);
        match self.session.exchange(sensor_msg(self.seq, obs, sample)) {
            Ok((t, p)) => Ok((t.map(f64::from), p.map(f64::from))),
            Err(e) => {
                let msg = e.to_string();
                self.error = Some(e);
                Err(format!("HIL link failed: {msg}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs_parse_and_bad_ones_are_refused() {
        assert_eq!(
            "delay:3000:30".parse::<Fault>(),
            Ok(Fault {
                kind: FaultKind::Delay,
                at: 3000,
                steps: 30
            })
        );
        assert_eq!(
            "drop:1:2".parse::<Fault>().map(|f| f.kind),
            Ok(FaultKind::Drop)
        );
        assert_eq!(
            "corrupt:0:1".parse::<Fault>().map(|f| f.kind),
            Ok(FaultKind::Corrupt)
        );
        for bad in [
            "",
            "drop",
            "drop:1",
            "drop:1:0",
            "drop:x:1",
            "flip:1:1",
            "drop:1:1:1",
            "drop:-1:1",
        ] {
            assert!(bad.parse::<Fault>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn link_kinds_parse() {
        use crate::hil::LinkKind;
        assert_eq!("qemu".parse::<LinkKind>(), Ok(LinkKind::Qemu));
        assert_eq!("rtt".parse::<LinkKind>(), Ok(LinkKind::Rtt));
        assert_eq!(
            "serial:/dev/ttyACM0".parse::<LinkKind>(),
            Ok(LinkKind::Serial("/dev/ttyACM0".into()))
        );
        assert!("serial:".parse::<LinkKind>().is_err());
        assert!("usb".parse::<LinkKind>().is_err());
    }

    #[test]
    fn not_an_elf_is_refused_with_a_reason() {
        let e = crate::hil::image::FirmwareElf::parse(b"MYOX not an elf".to_vec())
            .err()
            .unwrap_or_default();
        assert!(e.contains("not a 32-bit little-endian ELF"), "{e}");
        let mut hdr = b"\x7fELF\x01\x01\x01".to_vec();
        hdr.resize(52, 0);
        assert!(crate::hil::image::FirmwareElf::parse(hdr).is_err());
    }
}
