//! The one small trait between the control loop and a board, and the selected board.
//!
//! A board supplies the 1 kHz tick (its `SysTick`), sensor frames, the actuator output, the
//! parameter-blob region, a deadline monitor and the way to stop. Everything else (estimator,
//! profile, limits, watchdogs, faults) is board-independent and lives in `controller::device`.

use controller::blob::DeviceClass;
use controller::device::{Command, Limits, SensorFrame};
use cortex_m::peripheral::SYST;

#[cfg(all(feature = "board-qemu", feature = "board-stm32f4"))]
compile_error!("select exactly one board feature: board-qemu (default) or board-stm32f4");

mod link;
#[cfg(feature = "board-qemu")]
mod qemu;
#[cfg(feature = "board-qemu")]
mod uart;
#[cfg(feature = "board-qemu")]
pub use qemu::{Mode, Qemu as Selected};

#[cfg(feature = "board-stm32f4")]
mod stm32f4;
#[cfg(feature = "board-stm32f4")]
pub use stm32f4::Stm32f4 as Selected;

/// What the control loop needs from a board.
pub trait Board {
    /// Board name for the boot log.
    const NAME: &'static str;

    /// The device class a blob must be made for to run on this board.
    const DEVICE: DeviceClass;

    /// Brings the board up and programs the control tick (not yet started).
    fn init(syst: SYST) -> Self;

    /// Safety limits of the device this board drives (build-time constants).
    fn limits() -> Limits<f32>;

    /// Starts the periodic control interrupt.
    fn start_tick(&mut self);

    /// Control period in seconds (the `SysTick` period the board programmed).
    fn period_s(&self) -> f32;

    /// The sensor frame for this tick: `Some` if a fresh one arrived, `None` if nothing came
    /// (the comms watchdog counts those).
    fn read_frame(&mut self) -> Option<SensorFrame<f32>>;

    /// Sends the command of this tick to the actuators (and telemetry).
    fn write_command(&mut self, command: &Command<f32>);

    /// True if the control step of this tick overran its deadline (the next tick is already
    /// pending). Called at the end of each step.
    fn deadline_missed(&mut self) -> bool;

    /// Kicks the hardware watchdog; called only after a step that ended with a command sent.
    fn kick_watchdog(&mut self);

    /// True when the board has nothing more to do (QEMU: the recorded input is exhausted).
    fn finished(&self) -> bool;

    /// Stops: exit code to the host under QEMU, zero torque and a reset on hardware.
    fn exit(&mut self, code: i32) -> !;
}

/// The reserved flash region that holds the parameter blob (`memory/params.x`).
pub fn params_region() -> &'static [u8] {
    extern "C" {
        static __params_start: u8;
        static __params_end: u8;
    }
    // SAFETY: the linker script reserves [__params_start, __params_end) in flash for the blob;
    // nothing in the firmware writes it, so a shared read-only view for the program's lifetime
    // is sound. Unprogrammed flash reads as 0xFF (0x00 on QEMU), which the blob check rejects.
    unsafe {
        let start = core::ptr::addr_of!(__params_start);
        let end = core::ptr::addr_of!(__params_end);
        let len = (end as usize).saturating_sub(start as usize);
        core::slice::from_raw_parts(start, len)
    }
}

/// Stack high-water mark in bytes: cortex-m-rt's `paint-stack` fills [`_stack_end`,
/// `_stack_start`) with 0xCCCC_CCCC at boot; the deepest word that changed marks the use.
pub fn stack_used() -> usize {
    extern "C" {
        static _stack_start: u32;
        static _stack_end: u32;
    }
    // SAFETY: the linker script places the stack between these two symbols; reading words of
    // it (volatile, since the compiler does not know who wrote them) is sound.
    unsafe {
        let top = core::ptr::addr_of!(_stack_start) as usize;
        let mut p = core::ptr::addr_of!(_stack_end);
        while (p as usize) < top && core::ptr::read_volatile(p) == 0xCCCC_CCCC {
            p = p.add(1);
        }
        top - p as usize
    }
}
