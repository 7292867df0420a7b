//! CMSDK APB UART0 of the `mps2-an386` model (0x4000_4000), polled: the wire of the
//! hardware-in-the-loop link (`link.rs`). QEMU wires it to the host with
//! `-serial tcp:127.0.0.1:PORT` (or any chardev).

use super::link::Wire;

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

/// UART0, set up as the link's wire.
pub struct Uart;

impl Uart {
    pub fn init() -> Self {
        write(BAUDDIV, 16);
        // The RX interrupt only wakes the core from WFI (PRIMASK stays set, no handler runs):
        // the vCPU sleeps while waiting, which lets QEMU deliver the bytes much faster than a
        // busy poll.
        cortex_m::interrupt::disable();
        write(CTRL, CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_IE);
        write(NVIC_ISER0, 1);
        Self
    }
}

impl Wire for Uart {
    /// Sleeps (WFI) until a byte has arrived.
    fn read_byte(&mut self) -> u8 {
        loop {
            write(INTSTATUS, INT_RX);
            write(NVIC_ICPR0, 1);
            if read(STATE) & STATE_RX_FULL != 0 {
                break;
            }
            cortex_m::asm::wfi();
        }
        read(DATA) as u8
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            while read(STATE) & STATE_TX_FULL != 0 {}
            write(DATA, u32::from(b));
        }
    }
}
