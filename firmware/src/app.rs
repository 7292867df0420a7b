//! myoreflex firmware: the 1 kHz control interrupt around `controller::device`.
//!
//! Boot: board init, blob from the parameter region -> `Device` (zero torque with a logged
//! reason if it is missing or invalid), then the board's `SysTick` fires every control period.
//! Each tick: read the sensor frame, step the device (estimator, profile, gating, clamp, slew,
//! watchdogs, fault latch), send the command, log state changes, kick the watchdog.

#[path = "board/mod.rs"]
mod board;
#[path = "params.rs"]
mod params;

use board::{Board, Selected};
use controller::device::{Device, Reason, State};
use core::cell::RefCell;
use core::sync::atomic::{AtomicU32, Ordering};
use cortex_m::interrupt::Mutex;
use cortex_m_rt::{entry, exception};

#[cfg(feature = "board-qemu")]
use defmt_semihosting as _;

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
    defmt::info!(
        "myoreflex-fw {=str} on {=str} (device {=str}, torque limit {=f32} N m), control period {=f32} s",
        env!("CARGO_PKG_VERSION"),
        Selected::NAME,
        Selected::DEVICE.name(),
        Selected::limits().max_torque,
        dt
    );
    let device = params::load(board::params_region(), Selected::DEVICE, Selected::limits(), dt);

    #[cfg(feature = "board-qemu")]
    match board.mode() {
        board::Mode::Bench => bench(board, device),
        board::Mode::Reflex => board.reflex_replay(),
        board::Mode::Link => lockstep(board, device),
        board::Mode::Run => {}
    }
    #[cfg(feature = "board-stm32f4")]
    if board.link_mode() {
        lockstep(board, device)
    }

    board.start_tick();
    cortex_m::interrupt::free(|cs| {
        APP.borrow(cs).replace(Some(App { board, device, overran: false, last: (State::Gated, Reason::None) }));
    });
    loop {
        let done = cortex_m::interrupt::free(|cs| APP.borrow(cs).borrow().as_ref().is_none_or(|a| a.board.finished()));
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
    defmt::info!("stack high-water {=usize} B", board::stack_used());
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
        State::Gated if from.0 == State::Assist => defmt::warn!("gated: no plausible stride or no frame, torque ramps to 0"),
        State::Gated => {}
    }
}

/// Hardware in the loop (QEMU `mode=link`, the STM32 board's RTT link mode): the host is the
/// clock. Each message it sends over the UART (RTT channel) is one control tick (a sensor frame,
/// or none for a dropped/refused frame), answered with the command; no interrupt. Ends when
/// the host says `End`.
fn lockstep(mut board: Selected, mut device: Device<f32>) -> ! {
    #[cfg(feature = "board-qemu")]
    defmt::info!("link: lockstep over UART0");
    #[cfg(feature = "board-stm32f4")]
    defmt::info!("link: lockstep over RTT, control period {=f32} s", board.period_s());
    let mut last = (State::Gated, Reason::None);
    loop {
        let frame = board.read_frame();
        if board.finished() {
            break;
        }
        let cmd = device.step(frame.as_ref(), false);
        board.write_command(&cmd);
        let now = (cmd.state, cmd.reason);
        if now != last {
            log_transition(last, now);
            last = now;
        }
        STEP.fetch_add(1, Ordering::Relaxed);
    }
    defmt::info!("link: end after {=u32} steps, state {=u8}, reason 0x{=u8:02x}", STEP.load(Ordering::Relaxed), last.0 as u8, last.1.code());
    board.exit(0)
}

/// Instruction count of the control step (QEMU `-icount shift=0`: 1 instruction = 1 ns, and
/// SysTick counts at 25 MHz, i.e. once per 40 instructions). Runs every frame of `frames.bin`
/// through the device, in chunks loaded into RAM first so that no semihosting call is timed.
/// Mean: the chunk's count minus the same loop with an empty body, over the steps. Max: the
/// largest single step (quantised to 40 instructions, plus two counter reads).
#[cfg(feature = "board-qemu")]
#[inline(never)]
fn bench(mut board: Selected, mut device: Device<f32>) -> ! {
    use controller::device::SensorFrame;
    const CHUNK: usize = 1024;
    const ZERO: SensorFrame<f32> = SensorFrame { seq: 0, load: [0.0; 2], ankle_angle: [0.0; 2], ankle_velocity: [0.0; 2], gyro: [0.0; 2] };
    static mut FRAMES: [SensorFrame<f32>; CHUNK] = [ZERO; CHUNK];
    // SAFETY: bench() runs once, before interrupts are enabled, and is the only user.
    let frames = unsafe { &mut *core::ptr::addr_of_mut!(FRAMES) };
    let ticks = |a: u32, b: u32| a.wrapping_sub(b) & 0x00FF_FFFF;
    board.start_counter();
    let (mut steps, mut total, mut max) = (0u64, 0u64, 0u32);
    let mut sink = 0.0f32;
    loop {
        let mut n = 0;
        while n < CHUNK && !board.finished() {
            if let Some(f) = board.read_frame() {
                frames[n] = f;
                n += 1;
            }
        }
        if n == 0 {
            break;
        }
        // single steps are timed on a copy that replays the chunk from the same state
        let mut probe = device.clone();
        let t0 = board.counter();
        for f in frames[..n].iter() {
            sink += device.step(Some(core::hint::black_box(f)), false).torque[0];
        }
        let t1 = board.counter();
        for f in frames[..n].iter() {
            sink += core::hint::black_box(f).load[0];
        }
        let t2 = board.counter();
        total += u64::from(ticks(t0, t1).saturating_sub(ticks(t1, t2)));
        steps += n as u64;
        for f in frames[..n].iter() {
            let a = board.counter();
            sink += probe.step(Some(core::hint::black_box(f)), false).torque[1];
            max = max.max(ticks(a, board.counter()));
        }
    }
    core::hint::black_box(sink);
    let mean = (total * 40).checked_div(steps).unwrap_or(0) as u32;
    defmt::info!("bench: {=u64} steps, {=u32} instructions per control step (mean), {=u32} max", steps, mean, max * 40);
    board.exit(0)
}
