//! The device end of the hardware-in-the-loop link (`controller::link`, `myoreflex hil`),
//! whatever carries its bytes: the QEMU board's UART0 (`uart.rs`), the STM32 board's RTT
//! channels. One host message is one control tick; each tick is answered with a command frame.

use controller::device::{Command, SensorFrame};
use controller::link::{self, Deframer, DeviceMsg, HostMsg, MAX_FRAME};

/// A byte pipe to the host.
pub trait Wire {
    /// Waits for the next byte from the host.
    fn read_byte(&mut self) -> u8;
    /// Sends `bytes` (waiting while the pipe is full).
    fn write(&mut self, bytes: &[u8]);
}

/// Frames in, command frames out, with the counts the command frames report.
pub struct Lockstep<W: Wire> {
    wire: W,
    rx: Deframer,
    /// Frames refused since boot.
    errors: u32,
    /// Command frames sent since boot.
    ticks: u32,
    ended: bool,
}

impl<W: Wire> Lockstep<W> {
    pub fn new(wire: W) -> Self {
        Self { wire, rx: Deframer::default(), errors: 0, ticks: 0, ended: false }
    }

    /// Waits for the host's next message (byte by byte, so a byte after the frame's delimiter
    /// is never taken away from the next frame): the sensor frame of this tick, or `None` for
    /// a skipped frame, a refused one (counted and logged) and `End` (see [`Self::ended`]).
    pub fn receive(&mut self) -> Option<SensorFrame<f32>> {
        loop {
            let byte = self.wire.read_byte();
            let Some(frame) = self.rx.push(byte) else { continue };
            let mut scratch = [0u8; MAX_FRAME];
            return match frame.and_then(|f| link::decode::<HostMsg>(f, &mut scratch)) {
                Ok(HostMsg::Tick(m)) => Some(m.to_frame()),
                Ok(HostMsg::Skip(_)) => None,
                Ok(HostMsg::End) => {
                    self.ended = true;
                    None
                }
                Err(e) => {
                    self.errors = self.errors.wrapping_add(1);
                    defmt::warn!("link: frame refused ({=str}), {=u32} so far", e.name(), self.errors);
                    None
                }
            };
        }
    }

    /// True once the host has sent `End`.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Sends the command of this tick as one frame.
    pub fn send(&mut self, command: &Command<f32>) {
        self.ticks = self.ticks.wrapping_add(1);
        let msg = DeviceMsg::from_command(command, self.ticks, self.errors);
        let mut out = [0u8; MAX_FRAME];
        if let Ok(n) = link::encode(&msg, &mut out) {
            self.wire.write(&out[..n]);
        }
    }
}
