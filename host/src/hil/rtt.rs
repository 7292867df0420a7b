//! The HIL link over SEGGER RTT: `controller::link` frames on an RTT down channel (host ->
//! device) and up channel (device -> host), with the device's defmt log on a third channel.
//!
//! RTT channels are ring buffers in the target's RAM that the probe reads and writes while
//! the core runs; neither side blocks the other. [`RttStream`] turns a port of such channels
//! into the `Read + Write` byte stream [`super::link::Link`] works on (as the QEMU socket and
//! a serial port are), polling with a timeout. The probe-rs port is `hil::probe::ProbeRtt`
//! (cargo feature `probe`); the tests below run the whole session over an in-memory port.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// Names of the firmware's RTT channels (firmware/src/board/stm32f4.rs).
pub const LINK_CHANNEL: &str = "link";
pub const LOG_CHANNEL: &str = "defmt";

/// What the host can do with a target's RTT channels. Every call returns at once.
pub trait RttPort {
    /// Moves what the link up channel holds into `buf` (0: nothing yet).
    fn read_up(&mut self, buf: &mut [u8]) -> Result<usize, String>;
    /// Puts as much of `bytes` into the link down channel as fits (0: it is full).
    fn write_down(&mut self, bytes: &[u8]) -> Result<usize, String>;
    /// Appends what the log up channel holds to `log`.
    fn drain_log(&mut self, log: &mut Vec<u8>) -> Result<(), String>;
}

/// How often the log channel is drained while a read or write waits: each drain is a probe
/// round trip, and 5 ms of the firmware's log lines fit its 1 KiB channel many times over.
const LOG_DRAIN_EVERY: Duration = Duration::from_millis(5);

/// An [`RttPort`] as a blocking byte stream: reads and writes wait (polling) until the target
/// has moved some bytes, at most `timeout`; the log channel is drained while waiting (at most
/// every [`LOG_DRAIN_EVERY`]).
pub struct RttStream<P: RttPort> {
    pub port: P,
    pub timeout: Duration,
    /// The raw defmt stream read so far.
    pub log: Vec<u8>,
    /// When a wait last drained the log channel.
    drained_at: Instant,
}

impl<P: RttPort> RttStream<P> {
    pub fn new(port: P, timeout: Duration) -> Self {
        Self {
            port,
            timeout,
            log: Vec::new(),
            drained_at: Instant::now(),
        }
    }

    /// Reads the log channel until it has been quiet for `quiet` (at most `max`).
    pub fn drain_log_for(&mut self, quiet: Duration, max: Duration) -> Result<(), String> {
        let t0 = Instant::now();
        let mut last = Instant::now();
        while t0.elapsed() < max && last.elapsed() < quiet {
            let n = self.log.len();
            self.port.drain_log(&mut self.log)?;
            if self.log.len() > n {
                last = Instant::now();
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        Ok(())
    }

    /// Repeats `op` until it moves some bytes (its count), draining the log channel now and
    /// then while waiting; after `timeout` an error that says `what` did not happen.
    fn poll(
        &mut self,
        what: &str,
        mut op: impl FnMut(&mut P) -> Result<usize, String>,
    ) -> io::Result<usize> {
        let t0 = Instant::now();
        let mut spins = 0u32;
        loop {
            let n = op(&mut self.port).map_err(io::Error::other)?;
            if n > 0 {
                return Ok(n);
            }
            if self.drained_at.elapsed() >= LOG_DRAIN_EVERY {
                self.port
                    .drain_log(&mut self.log)
                    .map_err(io::Error::other)?;
                self.drained_at = Instant::now();
            }
            if t0.elapsed() > self.timeout {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "{what} for {} ms (is the firmware running its RTT link? it enters link mode only when the host requests it at reset)",
                        self.timeout.as_millis()
                    ),
                ));
            }
            spins += 1;
            // a probe round trip takes ~1 ms anyway: spin a little, then back off
            if spins > 64 {
                std::thread::sleep(Duration::from_micros(200));
            } else {
                std::thread::yield_now();
            }
        }
    }
}

impl<P: RttPort> Read for RttStream<P> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.poll("no bytes on the RTT up channel `link`", |p| p.read_up(buf))
    }
}

impl<P: RttPort> Write for RttStream<P> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.poll(
            "the RTT down channel `link` stayed full (the device reads no frames)",
            |p| p.write_down(buf),
        )
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hil::link::Link;
    use crate::hil::session::{Fault, FaultKind, Session};
    use controller::device::{Device, Limits};
    use controller::link::{self, Deframer, DeviceMsg, HostMsg, SensorMsg, MAX_FRAME};
    use std::collections::VecDeque;

    /// The firmware's side in memory: a down ring of `down_cap` bytes that the "device" drains
    /// a few bytes per poll, frames decoded with the firmware's own `controller::link` code and
    /// stepped through an f32 `Device`, command frames into an up ring that the host reads in
    /// chunks of `up_chunk` bytes; a defmt-ish log line per step. `mute` stops answering.
    struct FakeTarget {
        down: VecDeque<u8>,
        down_cap: usize,
        up: VecDeque<u8>,
        up_chunk: usize,
        log: Vec<u8>,
        rx: Deframer,
        device: Device<f32>,
        ticks: u32,
        errors: u32,
        ended: bool,
        mute: bool,
    }

    impl FakeTarget {
        fn new(device: Device<f32>) -> Self {
            Self {
                down: VecDeque::new(),
                down_cap: 16,
                up: VecDeque::new(),
                up_chunk: 7,
                log: Vec::new(),
                rx: Deframer::default(),
                device,
                ticks: 0,
                errors: 0,
                ended: false,
                mute: false,
            }
        }

        /// The target runs for a moment: consumes up to 5 bytes of the down channel.
        fn run(&mut self) {
            if self.mute {
                return;
            }
            for _ in 0..5 {
                let Some(b) = self.down.pop_front() else {
                    return;
                };
                let Some(frame) = self.rx.push(b) else {
                    continue;
                };
                let mut scratch = [0u8; MAX_FRAME];
                let got = frame.and_then(|f| link::decode::<HostMsg>(f, &mut scratch));
                let sensors = match got {
                    Ok(HostMsg::Tick(m)) => Some(m.to_frame()),
                    Ok(HostMsg::Skip(_)) => None,
                    Ok(HostMsg::End) => {
                        self.ended = true;
                        self.log.extend_from_slice(b"end");
                        return;
                    }
                    Err(_) => {
                        self.errors += 1;
                        None
                    }
                };
                let cmd = self.device.step(sensors.as_ref(), false);
                self.ticks += 1;
                let msg = DeviceMsg::from_command(&cmd, self.ticks, self.errors);
                let mut out = [0u8; MAX_FRAME];
                if let Ok(n) = link::encode(&msg, &mut out) {
                    self.up.extend(&out[..n]);
                }
                self.log.push(b'.');
            }
        }
    }

    impl RttPort for FakeTarget {
        fn read_up(&mut self, buf: &mut [u8]) -> Result<usize, String> {
            self.run();
            let n = buf.len().min(self.up_chunk).min(self.up.len());
            for b in buf.iter_mut().take(n) {
                *b = self.up.pop_front().unwrap_or(0);
            }
            Ok(n)
        }
        fn write_down(&mut self, bytes: &[u8]) -> Result<usize, String> {
            let n = bytes.len().min(self.down_cap - self.down.len());
            self.down.extend(&bytes[..n]);
            self.run();
            Ok(n)
        }
        fn drain_log(&mut self, log: &mut Vec<u8>) -> Result<(), String> {
            self.run();
            log.append(&mut self.log);
            Ok(())
        }
    }

    fn device() -> Device<f32> {
        // no blob: zero torque, state Gated with reason 0x40, identical on both sides
        Device::from_region(
            &[0xFF; 256],
            controller::blob::DeviceClass::Dephy,
            Limits::for_max_torque(30.0),
            0.001,
        )
        .0
    }

    fn sensors(seq: u32) -> SensorMsg {
        let s = seq as f32 * 1e-3;
        SensorMsg {
            seq,
            load: [s.sin().abs(), s.cos().abs()],
            ankle_angle: [1.5 + 0.1 * s.sin(), 1.5 - 0.1 * s.sin()],
            ankle_velocity: [0.3 * s.cos(), -0.3 * s.cos()],
            gyro: [0.1, -0.1],
        }
    }

    fn session(faults: Vec<Fault>) -> Session<RttStream<FakeTarget>> {
        let stream = RttStream::new(FakeTarget::new(device()), Duration::from_secs(5));
        Session::new(Link::new(stream), device(), faults)
    }

    #[test]
    fn lockstep_frames_cross_small_rtt_buffers_bit_exact() {
        let mut s = session(Vec::new());
        for seq in 1..=200 {
            if let Err(e) = s.exchange(sensors(seq)) {
                panic!("step {seq}: {e}");
            }
        }
        assert!(s.end().is_ok());
        let t = &s.tally;
        assert_eq!((t.frames, t.mismatched_steps, t.frame_errors), (200, 0, 0));
        // ~40-byte sensor frames went through a 16-byte down buffer, ~35-byte commands in
        // 7-byte pieces
        assert!(t.sensor_frame_len > 32 && t.command_frame_len > 28, "{t:?}");
        let stream = s.link_mut().stream_mut();
        assert!(stream
            .drain_log_for(Duration::from_millis(5), Duration::from_millis(50))
            .is_ok());
        assert_eq!(stream.log.len(), 200 + 3);
        assert!(stream.log.ends_with(b"end"));
    }

    #[test]
    fn corrupted_and_dropped_frames_are_counted_over_rtt() {
        let mut s = session(vec![
            Fault {
                kind: FaultKind::Corrupt,
                at: 10,
                steps: 2,
            },
            Fault {
                kind: FaultKind::Drop,
                at: 20,
                steps: 1,
            },
        ]);
        for seq in 1..=40 {
            if let Err(e) = s.exchange(sensors(seq)) {
                panic!("step {seq}: {e}");
            }
        }
        let t = &s.tally;
        assert_eq!((t.frames, t.mismatched_steps), (40, 0));
        assert_eq!((t.device_rx_errors, t.host_refused), (2, 0));
    }

    /// A link that answers only once `ready_at` has passed and the host has drained its log (a
    /// firmware stalled on a full log channel in BlockIfFull mode); counts the port calls.
    struct LogBlocked {
        ready_at: Instant,
        reads: u32,
        drains: u32,
    }

    impl RttPort for LogBlocked {
        fn read_up(&mut self, buf: &mut [u8]) -> Result<usize, String> {
            self.reads += 1;
            if self.drains == 0 || Instant::now() < self.ready_at {
                return Ok(0);
            }
            buf[0] = 7;
            Ok(1)
        }
        fn write_down(&mut self, bytes: &[u8]) -> Result<usize, String> {
            Ok(bytes.len())
        }
        fn drain_log(&mut self, log: &mut Vec<u8>) -> Result<(), String> {
            self.drains += 1;
            log.push(b'.');
            Ok(())
        }
    }

    #[test]
    fn a_wait_drains_the_log_but_not_on_every_poll() {
        let t0 = Instant::now();
        let port = LogBlocked {
            ready_at: t0 + Duration::from_millis(30),
            reads: 0,
            drains: 0,
        };
        let mut stream = RttStream::new(port, Duration::from_secs(5));
        let mut buf = [0u8; 8];
        // the read completes only because the wait drained the log
        assert_eq!(stream.read(&mut buf).ok(), Some(1));
        let ms = t0.elapsed().as_millis();
        let (reads, drains) = (stream.port.reads, stream.port.drains);
        assert!(drains >= 1 && stream.log.len() == drains as usize);
        // the link is polled on every spin, the log at most once per LOG_DRAIN_EVERY (5 ms)
        assert!(
            u128::from(drains) <= ms / 5 + 1,
            "{drains} drains in {ms} ms ({reads} reads)"
        );
        // a poll that moves bytes at once drains nothing
        assert_eq!(stream.read(&mut buf).ok(), Some(1));
        assert_eq!(stream.write(&[1, 2, 3]).ok(), Some(3));
        assert_eq!(stream.port.drains, drains);
    }

    #[test]
    fn a_silent_target_times_out_with_a_message_naming_the_channel() {
        let mut target = FakeTarget::new(device());
        target.mute = true;
        let stream = RttStream::new(target, Duration::from_millis(50));
        let mut s = Session::new(Link::new(stream), device(), Vec::new());
        let e = s.exchange(sensors(1)).err().map(|e| e.to_string());
        let e = e.unwrap_or_default();
        // 16 bytes fit, then the full down channel times out
        assert!(e.contains("RTT down channel `link` stayed full"), "{e}");
        let mut target = FakeTarget::new(device());
        target.down_cap = 64;
        target.mute = true;
        let mut link = Link::new(RttStream::new(target, Duration::from_millis(50)));
        assert!(link.send(&HostMsg::End, false).is_ok());
        let e = link
            .receive()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains(
                "no command frame from the device: no bytes on the RTT up channel `link` for 50 ms"
            ),
            "{e}"
        );
    }
}
