//! STM32F405/F427 class board (the Dephy FlexSEA "Manage" MCU class): 168 MHz Cortex-M4F,
//! SysTick as the 1 kHz control tick, defmt over RTT, the independent watchdog (IWDG) kicked
//! after every completed step.
//!
//! Sensors and actuators are not wired yet: `read_frame` returns the frame that the comms link
//! (UART/USB/RTT, issue 7) last delivered through `deliver`, and `write_command` hands the
//! command to the link. Without a link no frame ever arrives, so the comms watchdog latches a
//! fault after 20 ms and the torque stays 0: the safe default on an unwired board.

use super::Board;
use controller::blob::DeviceClass;
use controller::device::{Command, Limits, SensorFrame};
use core::ptr::{read_volatile, write_volatile};
use cortex_m::peripheral::{syst::SystClkSource, SCB, SYST};

/// Core clock after `clocks()` (HSE 8 MHz -> PLL 168 MHz).
pub const CLOCK_HZ: u32 = 168_000_000;
/// Peak plantarflexion torque an ExoBoot-class ankle actuator may be commanded (N m).
pub const MAX_TORQUE_NM: f64 = 30.0;

const RCC: usize = 0x4002_3800;
const RCC_CR: *mut u32 = RCC as *mut u32;
const RCC_PLLCFGR: *mut u32 = (RCC + 0x04) as *mut u32;
const RCC_CFGR: *mut u32 = (RCC + 0x08) as *mut u32;
const FLASH_ACR: *mut u32 = 0x4002_3C00 as *mut u32;
const IWDG_KR: *mut u32 = 0x4000_3000 as *mut u32;
const IWDG_PR: *mut u32 = 0x4000_3004 as *mut u32;
const IWDG_RLR: *mut u32 = 0x4000_3008 as *mut u32;

pub struct Stm32f4 {
    syst: SYST,
    inbox: Option<SensorFrame<f32>>,
    outbox: Option<Command<f32>>,
}

// Used by the comms link that issue 7 adds (UART/USB/RTT frames).
#[allow(dead_code)]
impl Stm32f4 {
    /// Called by the comms link (lower priority than the control tick) with a decoded frame.
    pub fn deliver(&mut self, frame: SensorFrame<f32>) {
        self.inbox = Some(frame);
    }

    /// The last command, for the comms link to send.
    pub fn take_command(&mut self) -> Option<Command<f32>> {
        self.outbox.take()
    }
}

/// HSE 8 MHz, PLL M=8 N=336 P=2 Q=7 -> 168 MHz SYSCLK, AHB 168, APB1 42, APB2 84; 5 flash wait
/// states with prefetch and caches (RM0090 section 6 and 3.5.1).
fn clocks() {
    // SAFETY: single-threaded boot code writing the documented RCC/FLASH registers of the part.
    unsafe {
        write_volatile(RCC_CR, read_volatile(RCC_CR) | (1 << 16)); // HSEON
        while read_volatile(RCC_CR) & (1 << 17) == 0 {} // HSERDY
        write_volatile(FLASH_ACR, (1 << 8) | (1 << 9) | (1 << 10) | 5); // PRFTEN ICEN DCEN, 5 WS
        write_volatile(RCC_PLLCFGR, 8 | (336 << 6) | (1 << 22) | (7 << 24)); // PLLP bits 0 = /2, PLLSRC HSE
        write_volatile(RCC_CFGR, (0b101 << 10) | (0b100 << 13)); // PPRE1 /4, PPRE2 /2
        write_volatile(RCC_CR, read_volatile(RCC_CR) | (1 << 24)); // PLLON
        while read_volatile(RCC_CR) & (1 << 25) == 0 {} // PLLRDY
        write_volatile(RCC_CFGR, (read_volatile(RCC_CFGR) & !0b11) | 0b10); // SW = PLL
        while (read_volatile(RCC_CFGR) >> 2) & 0b11 != 0b10 {}
    }
}

/// IWDG at LSI/32 (~1 kHz), reload 50: a missed kick for ~50 ms resets the MCU.
fn watchdog() {
    // SAFETY: documented IWDG key sequence (RM0090 section 21.3).
    unsafe {
        write_volatile(IWDG_KR, 0x5555);
        write_volatile(IWDG_PR, 0b011);
        write_volatile(IWDG_RLR, 50);
        write_volatile(IWDG_KR, 0xCCCC);
    }
}

impl Board for Stm32f4 {
    const NAME: &'static str = "stm32f405";
    const DEVICE: DeviceClass = DeviceClass::Dephy;

    fn init(mut syst: SYST) -> Self {
        clocks();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(CLOCK_HZ / 1000 - 1);
        syst.clear_current();
        Self { syst, inbox: None, outbox: None }
    }

    fn limits() -> Limits<f32> {
        Limits::for_max_torque(MAX_TORQUE_NM)
    }

    fn start_tick(&mut self) {
        watchdog();
        self.syst.enable_interrupt();
        self.syst.enable_counter();
    }

    fn period_s(&self) -> f32 {
        0.001
    }

    fn read_frame(&mut self) -> Option<SensorFrame<f32>> {
        self.inbox.take()
    }

    fn write_command(&mut self, command: &Command<f32>) {
        self.outbox = Some(*command);
    }

    fn deadline_missed(&mut self) -> bool {
        SCB::is_pendst_pending()
    }

    fn kick_watchdog(&mut self) {
        // SAFETY: writing the reload key is the documented way to kick the IWDG.
        unsafe { write_volatile(IWDG_KR, 0xAAAA) };
    }

    fn finished(&self) -> bool {
        false
    }

    fn exit(&mut self, _code: i32) -> ! {
        SCB::sys_reset()
    }
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    defmt::error!("panic: resetting");
    SCB::sys_reset()
}
