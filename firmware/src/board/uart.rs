//! CMSDK APB UART0 of the `mps2-an386` model (0x4000_4000), polled: the hardware-in-the-loop
//! link. QEMU wires it to the host with `-serial tcp:127.0.0.1:PORT` (or any chardev).

use controller::link::{self, Deframer, DeviceMsg, FrameError, HostMsg, MAX_FRAME};

const BASE: usize = 0x4000_4000;
const DATA: usize = BASE;
const STATE: usize = BASE + 0x04;
const CTRL: usize = BASE + 0x08;
const INTSTATUS: usize = BASE + 0x0C;
const BAUDDIV: usize = BASE + 0x10;
const CTRL_RX_IE: u32 = 8;
const INT_RX: u32 = 2;
/// UART0 RX is interrupt 0 of the mps2-an386; NVIC set-enable / clear-pending words.
const NVIC_ISER0: usize = 0xE000_E100;
const NVIC_ICPR0: usize = 0xE000_E280;
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
        // The RX interrupt only wakes the core from WFI (PRIMASK stays set, no handler runs):
        // the vCPU sleeps while waiting, which lets QEMU deliver the bytes much faster than a
        // busy poll.
        cortex_m::interrupt::disable();
        write(CTRL, CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_IE);
        write(NVIC_ISER0, 1);
        Self { rx: Deframer::default(), errors: 0 }
    }

    /// Blocks until the next frame has arrived and decodes it.
    pub fn receive(&mut self) -> Received {
        loop {
            loop {
                write(INTSTATUS, INT_RX);
                write(NVIC_ICPR0, 1);
                if read(STATE) & STATE_RX_FULL != 0 {
                    break;
                }
                cortex_m::asm::wfi();
            }
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
