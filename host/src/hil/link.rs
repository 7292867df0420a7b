//! The host end of the HIL link: `controller::link` frames over any byte stream (the QEMU
//! socket, a serial port opened as a file).

use super::HilError;
use controller::link::{self, Deframer, DeviceMsg, FrameError, HostMsg, MAX_FRAME};
use std::io::{Read, Write};

pub struct Link<S: Read + Write> {
    stream: S,
    rx: Deframer,
    buf: [u8; 256],
    have: (usize, usize),
    /// Command frames the host refused.
    pub refused: u32,
    /// Bytes of the last frame sent / received (with delimiter).
    pub sent_len: usize,
    pub recv_len: usize,
}

impl<S: Read + Write> Link<S> {
    pub fn new(stream: S) -> Self {
        Self {
            stream,
            rx: Deframer::default(),
            buf: [0; 256],
            have: (0, 0),
            refused: 0,
            sent_len: 0,
            recv_len: 0,
        }
    }

    /// The byte stream underneath.
    pub fn stream_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Sends one message; `corrupt` flips one bit of its payload on the way (fault injection).
    pub fn send(&mut self, msg: &HostMsg, corrupt: bool) -> Result<(), HilError> {
        let mut out = [0u8; MAX_FRAME];
        let n = link::encode(msg, &mut out)
            .map_err(|e| HilError::Link(format!("encode: {}", e.name())))?;
        if corrupt {
            // a bit flip that keeps the COBS framing (never creates or removes a 0x00)
            let i = n / 2;
            out[i] ^= if out[i] == 0x04 { 0x02 } else { 0x04 };
            if out[i] == 0 {
                out[i] = 0x55;
            }
        }
        self.sent_len = n;
        self.stream
            .write_all(&out[..n])
            .and_then(|_| self.stream.flush())
            .map_err(|e| HilError::Link(format!("send: {e}")))
    }

    /// The next command frame (`Err(FrameError)` inside `Ok` for one the host refused).
    pub fn receive(&mut self) -> Result<Result<DeviceMsg, FrameError>, HilError> {
        let mut len = 0usize;
        loop {
            if self.have.0 == self.have.1 {
                let n = self.stream.read(&mut self.buf).map_err(|e| {
                    HilError::Link(format!("no command frame from the device: {e}"))
                })?;
                if n == 0 {
                    return Err(HilError::Link("the device closed the link".into()));
                }
                self.have = (0, n);
            }
            let byte = self.buf[self.have.0];
            self.have.0 += 1;
            len += 1;
            if let Some(frame) = self.rx.push(byte) {
                self.recv_len = len;
                let mut scratch = [0u8; MAX_FRAME];
                let got = frame.and_then(|f| link::decode::<DeviceMsg>(f, &mut scratch));
                if got.is_err() {
                    self.refused += 1;
                }
                return Ok(got);
            }
        }
    }
}
