//! myoreflex firmware: the 1 kHz control interrupt around `controller::device`.
//!
//! Boot: board init, blob from the parameter region -> `Device` (zero torque with a logged
//! reason if it is missing or invalid), then the board's `SysTick` fires every control period.
//! Each tick: read the sensor frame, step the device (estimator, profile, gating, clamp, slew,
//! watchdogs, fault latch), send the command, log state changes, kick the watchdog.
#![no_std]
#![no_main]

mod board;
mod params;

use board::{Board, Selected};
use controller::device::{Device, Reason, State};
use core::cell::RefCell;
use core::sync::atomic::{AtomicU32, Ordering};
use cortex_m::interrupt::Mutex;
use cortex_m_rt::{entry, exception};

#[cfg(feature = "board-qemu")]
use defmt_semihosting as _;
#[cfg(feature = "board-stm32f4")]
use defmt_rtt as _;

/// Control steps since boot (the defmt timestamp).
static STEP: AtomicU32 = AtomicU32::new(0);
defmt::timestamp!("{=u32}", STEP.load(Ordering::Relaxed));

struct App {
    board: Selected,
    device: Device<f32>,
    overran: bool,
    last: (State, Reason),
}

static APP: Mutex<RefCell<Option<App>>> = Mutex::new(RefCell::new(None));

#[entry]
fn main() -> ! {
    let Some(cp) = cortex_m::Peripherals::take() else {
        panic!("core peripherals taken twice");
    };
    let mut board = Selected::init(cp.SYST);
    let dt = board.period_s();
    defmt::info!("myoreflex-fw {=str} on {=str}, control period {=f32} s", env!("CARGO_PKG_VERSION"), Selected::NAME, dt);
    let device = params::load(board::params_region(), Selected::limits(), dt);

    #[cfg(feature = "board-qemu")]
    if board.mode() == board::Mode::Bench {
        bench(board, device);
    }

    board.start_tick();
    cortex_m::interrupt::free(|cs| {
        APP.borrow(cs).replace(Some(App { board, device, overran: false, last: (State::Gated, Reason::None) }));
    });
    loop {
        let done = cortex_m::interrupt::free(|cs| APP.borrow(cs).borrow().as_ref().map_or(true, |a| a.board.finished()));
        if done {
            break;
        }
        cortex_m::asm::wfi();
    }
    let (code, state) = cortex_m::interrupt::free(|cs| match APP.borrow(cs).borrow().as_ref() {
        Some(a) => (0, a.last),
        None => (1, (State::Fault, Reason::None)),
    });
    defmt::info!("done after {=u32} steps, state {=u8}, reason 0x{=u8:02x}", STEP.load(Ordering::Relaxed), state.0 as u8, state.1.code());
    cortex_m::interrupt::free(|cs| match APP.borrow(cs).borrow_mut().as_mut() {
        Some(a) => a.board.exit(code),
        None => loop {
            cortex_m::asm::wfi();
        },
    })
}

/// The control interrupt.
#[exception]
fn SysTick() {
    cortex_m::interrupt::free(|cs| {
        if let Some(app) = APP.borrow(cs).borrow_mut().as_mut() {
            control_step(app);
        }
    });
}

fn control_step(app: &mut App) {
    if app.board.finished() {
        return;
    }
    let frame = app.board.read_frame();
    if app.board.finished() {
        return;
    }
    let cmd = app.device.step(frame.as_ref(), app.overran);
    app.board.write_command(&cmd);
    let now = (cmd.state, cmd.reason);
    if now != app.last {
        log_transition(app.last, now);
        app.last = now;
    }
    STEP.fetch_add(1, Ordering::Relaxed);
    app.overran = app.board.deadline_missed();
    app.board.kick_watchdog();
}

fn log_transition(from: (State, Reason), to: (State, Reason)) {
    match to.0 {
        State::Fault => defmt::error!("fault latched: {=str} (0x{=u8:02x}), torque 0", to.1.name(), to.1.code()),
        State::Assist => defmt::info!("assist: estimator has plausible strides"),
        State::Gated if from.0 == State::Assist => defmt::warn!("gated: strides no longer plausible, torque 0"),
        State::Gated => {}
    }
}

/// Instruction count of the control step (QEMU `-icount shift=0`: 1 instruction = 1 ns, and
/// SysTick counts at 25 MHz, i.e. once per 40 instructions). Runs every frame of `frames.bin`
/// through the device twice: once for the count of the whole loop, once with an empty body for
/// the loop's own cost; the difference over the step count is instructions per step.
#[cfg(feature = "board-qemu")]
fn bench(mut board: Selected, mut device: Device<f32>) -> ! {
    const MAX: usize = 1024;
    static mut FRAMES: [controller::device::SensorFrame<f32>; MAX] =
        [controller::device::SensorFrame { seq: 0, load: [0.0; 2], ankle_angle: [0.0; 2], ankle_velocity: [0.0; 2], gyro: [0.0; 2] }; MAX];
    // SAFETY: bench() runs once, before interrupts are enabled, and is the only user.
    let frames = unsafe { &mut *core::ptr::addr_of_mut!(FRAMES) };
    let mut n = 0;
    while n < MAX {
        match board.read_frame() {
            Some(f) => {
                frames[n] = f;
                n += 1;
            }
            None if board.finished() => break,
            None => {}
        }
    }
    board.start_counter();
    let t0 = board.counter();
    let mut sink = 0.0f32;
    for f in frames[..n].iter() {
        let c = device.step(Some(core::hint::black_box(f)), false);
        sink += c.torque[0];
    }
    let t1 = board.counter();
    for f in frames[..n].iter() {
        sink += core::hint::black_box(f).load[0];
    }
    let t2 = board.counter();
    core::hint::black_box(sink);
    let ticks = (t0.wrapping_sub(t1) & 0x00FF_FFFF).saturating_sub(t1.wrapping_sub(t2) & 0x00FF_FFFF);
    let per_step = if n == 0 { 0 } else { (ticks as u64 * 40 / n as u64) as u32 };
    defmt::info!("bench: {=usize} steps, {=u32} instructions per control step", n, per_step);
    board.exit(0)
}
