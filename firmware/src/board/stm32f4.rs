//! STM32F405/F427 class board (the Dephy FlexSEA "Manage" MCU class): 168 MHz Cortex-M4F,
//! SysTick as the 1 kHz control tick, defmt over RTT, the independent watchdog (IWDG) kicked
//! after every completed step.
//!
//! Sensors and actuators are not wired yet: outside link mode `read_frame` never has a frame
//! and `write_command` drops the command, so the comms watchdog latches a fault after 20 ms and
//! the torque stays 0: the safe default on an unwired board.
//!
//! Hardware in the loop (`myoreflex hil --link rtt`): the RTT control block has, beside the
//! defmt up channel 0, an up and a down channel named `link` that carry `controller::link`
//! frames. The host asks for link mode by writing [`LINK_MAGIC`] and the control period (f32
//! bits) into `MYOREFLEX_LINK` while the core is halted at the reset vector; the runtime does
//! not initialise that word (`.uninit`), so the firmware reads it at boot, clears it and then
//! steps once per host message (no SysTick, no IWDG), as the QEMU board's `mode=link` does.

use super::link::{Lockstep, Wire};
use super::Board;
use controller::blob::DeviceClass;
use controller::boards;
use controller::device::{Command, Limits, SensorFrame};
use controller::link::LINK_MAGIC;
use core::mem::MaybeUninit;
use core::ptr::{read_volatile, write_volatile};
use cortex_m::peripheral::{syst::SystClkSource, SCB, SYST};
use rtt_target::{rtt_init, ChannelMode, DownChannel, UpChannel};

/// Core clock after `clocks()` (HSE 8 MHz -> PLL 168 MHz).
pub const CLOCK_HZ: u32 = 168_000_000;

const RCC: usize = 0x4002_3800;
const RCC_CR: *mut u32 = RCC as *mut u32;
const RCC_PLLCFGR: *mut u32 = (RCC + 0x04) as *mut u32;
const RCC_CFGR: *mut u32 = (RCC + 0x08) as *mut u32;
const FLASH_ACR: *mut u32 = 0x4002_3C00 as *mut u32;
const IWDG_KR: *mut u32 = 0x4000_3000 as *mut u32;
const IWDG_PR: *mut u32 = 0x4000_3004 as *mut u32;
const IWDG_RLR: *mut u32 = 0x4000_3008 as *mut u32;

/// Link-mode request: `[LINK_MAGIC, control period as f32 bits]`, written by the debugger while
/// the core is halted at reset; `.uninit` keeps the runtime from zeroing it.
#[no_mangle]
#[used]
#[link_section = ".uninit.MYOREFLEX_LINK"]
static mut MYOREFLEX_LINK: MaybeUninit<[u32; 2]> = MaybeUninit::uninit();

/// Reads and clears the link-mode request: the control period if the host asked for link mode.
fn take_link_request() -> Option<u32> {
    // SAFETY: read once at boot, before interrupts; the word pair lives in RAM reserved for it
    // (any bit pattern is a valid u32); volatile because the debugger wrote it behind our back.
    unsafe {
        let p = core::ptr::addr_of_mut!(MYOREFLEX_LINK).cast::<u32>();
        let (magic, dt_bits) = (read_volatile(p), read_volatile(p.add(1)));
        write_volatile(p, 0);
        (magic == LINK_MAGIC).then_some(dt_bits)
    }
}

/// The RTT `link` channels as the HIL link's wire.
struct RttWire {
    up: UpChannel,
    down: DownChannel,
}

impl Wire for RttWire {
    /// Polls the down channel.
    fn read_byte(&mut self) -> u8 {
        let mut byte = [0u8; 1];
        while self.down.read(&mut byte) == 0 {}
        byte[0]
    }

    /// The channel blocks while the host has not read the last frame.
    fn write(&mut self, bytes: &[u8]) {
        self.up.write(bytes);
    }
}

pub struct Stm32f4 {
    syst: SYST,
    period_s: f32,
    /// Present when the host asked for link mode at this boot.
    link: Option<Lockstep<RttWire>>,
}

impl Stm32f4 {
    /// True if the host asked for lockstep over RTT at this boot.
    pub fn link_mode(&self) -> bool {
        self.link.is_some()
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
    const DEVICE: DeviceClass = boards::STM32F4.device;

    fn init(mut syst: SYST) -> Self {
        let request = take_link_request();
        clocks();
        let channels = rtt_init! {
            up: {
                0: { size: 1024, mode: ChannelMode::NoBlockSkip, name: "defmt" }
                1: { size: 128, mode: ChannelMode::BlockIfFull, name: "link" }
            }
            down: {
                0: { size: 128, name: "link" }
            }
        };
        let (log, up) = channels.up;
        rtt_target::set_defmt_channel(log);
        let mut period_s = 0.001;
        let link = request.map(|bits| {
            match f32::from_bits(bits) {
                p if (1e-4..=0.5).contains(&p) => period_s = p,
                _ => defmt::error!("link: bad control period bits {=u32:08x}, using 0.001 s", bits),
            }
            Lockstep::new(RttWire { up, down: channels.down.0 })
        });
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(CLOCK_HZ / 1000 - 1);
        syst.clear_current();
        Self { syst, period_s, link }
    }

    fn limits() -> Limits<f32> {
        Limits::for_max_torque(boards::STM32F4.max_torque_nm)
    }

    fn start_tick(&mut self) {
        watchdog();
        self.syst.enable_interrupt();
        self.syst.enable_counter();
    }

    fn period_s(&self) -> f32 {
        self.period_s
    }

    fn read_frame(&mut self) -> Option<SensorFrame<f32>> {
        self.link.as_mut().and_then(Lockstep::receive)
    }

    fn write_command(&mut self, command: &Command<f32>) {
        if let Some(link) = self.link.as_mut() {
            if !link.ended() {
                link.send(command);
            }
        }
    }

    fn deadline_missed(&mut self) -> bool {
        SCB::is_pendst_pending()
    }

    fn kick_watchdog(&mut self) {
        // SAFETY: writing the reload key is the documented way to kick the IWDG.
        unsafe { write_volatile(IWDG_KR, 0xAAAA) };
    }

    fn finished(&self) -> bool {
        self.link.as_ref().is_some_and(Lockstep::ended)
    }

    fn exit(&mut self, _code: i32) -> ! {
        if self.link.is_some() {
            // let the host read the last log lines before the reset clears the RTT buffers
            cortex_m::asm::delay(CLOCK_HZ / 5);
        }
        SCB::sys_reset()
    }
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    defmt::error!("panic: resetting");
    SCB::sys_reset()
}
