//! CMSDK APB UART0 of the `mps2-an386` model (0x4000_4000), polled: the hardware-in-the-loop
//! link. QEMU wires it to the host with `-serial tcp:127.0.0.1:PORT` (or any chardev).

use controller::link::{self, Deframer, DeviceMsg, FrameError, HostMsg, MAX_FRAME};

const BASE: usize = 0x4000_4000;
const DATA: usize = BASE;
const STATE: usize = BASE + 0x04;
const CTRL: usize = BASE + 0x08;
const BAUDDIV: usize = BASE + 0x10;
const STATE_TX_FULL: u32 = 1;
const STATE_RX_FULL: u32 = 2;
const CTRL_TX_EN: u32 = 1;
const CTRL_RX_EN: u32 = 2;

fn read(reg: usize) -> u32 {
    // SAFETY: a documented, always-mapped peripheral register of the board.
    unsafe { core::ptr::read_volatile(reg as *const u32) }
}

fn write(reg: usize, v: u32) {
    // SAFETY: as `read`.
    unsafe { core::ptr::write_volatile(reg as *mut u32, v) }
}

/// The link: a deframer for what arrives and the count of refused frames.
pub struct Uart {
    rx: Deframer,
    pub errors: u32,
}

/// What one tick brought.
pub enum Received {
    Msg(HostMsg),
    Bad(FrameError),
}

impl Uart {
    pub fn init() -> Self {
        write(BAUDDIV, 16);
        write(CTRL, CTRL_TX_EN | CTRL_RX_EN);
        Self { rx: Deframer::default(), errors: 0 }
    }

    /// Blocks until the next frame has arrived and decodes it.
    pub fn receive(&mut self) -> Received {
        loop {
            while read(STATE) & STATE_RX_FULL == 0 {}
            let byte = read(DATA) as u8;
            if let Some(frame) = self.rx.push(byte) {
                let mut scratch = [0u8; MAX_FRAME];
                let got = frame.and_then(|f| link::decode::<HostMsg>(f, &mut scratch));
                return match got {
                    Ok(m) => Received::Msg(m),
                    Err(e) => {
                        self.errors = self.errors.wrapping_add(1);
                        Received::Bad(e)
                    }
                };
            }
        }
    }

    /// Sends one command frame.
    pub fn send(&mut self, msg: &DeviceMsg) {
        let mut out = [0u8; MAX_FRAME];
        let Ok(n) = link::encode(msg, &mut out) else { return };
        for &b in &out[..n] {
            while read(STATE) & STATE_TX_FULL != 0 {}
            write(DATA, u32::from(b));
        }
    }
}
