//! QEMU `mps2-an386` (Cortex-M4F, 25 MHz system clock in the model).
//!
//! Test harness board: the recorded sensor frames come from the host file `frames.bin` and the
//! commands go to `commands.bin` (semihosting file I/O, relative to QEMU's working directory),
//! defmt goes to semihosting stdout, and the run ends with a semihosting exit code. Each input
//! record is a 4-byte little-endian flags word followed by a `SensorFrame` record; flags:
//! bit 0 = the frame arrived this tick (clear: a dropped frame), bit 1 = stall this step past
//! its deadline (fault injection). Arguments (`-semihosting-config arg=...`): `dt_bits=HEX`
//! sets the control period to the f32 with these bits (default 0.001 s; bits, so that host and
//! firmware use the very same dt), `mode=run|bench` (see main.rs).
//!
//! Hardware in the loop (`mode=link`): no files; `controller::link` frames on the CMSDK UART0
//! (`-serial tcp:...`; `uart.rs`, `link.rs`) instead, everything else stays.

use super::link::Lockstep;
use super::uart::Uart;
use super::Board;
use controller::blob::DeviceClass;
use controller::boards;
use controller::device::{Command, Limits, SensorFrame, INPUT_PRESENT, INPUT_RECORD, INPUT_STALL, SENSOR_RECORD};
use cortex_m::peripheral::{syst::SystClkSource, SCB, SYST};
use semihosting::fs::File;
use semihosting::io::{Read, Write};

/// The model's system clock (SysTick runs on it).
pub const CLOCK_HZ: u32 = 25_000_000;

/// Test modes selected with `mode=` on the semihosting command line.
#[derive(Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Mode {
    /// The 1 kHz control loop over `frames.bin` (the default).
    Run,
    /// Instruction count of the control step over `frames.bin` (no interrupts).
    Bench,
    /// The reflex law over `reflex.bin` (setup + sensor records) -> `reflex_out.bin`.
    Reflex,
    /// Hardware in the loop: lockstep over UART0 (`controller::link` frames), one control step
    /// per host message, no files.
    Link,
}

pub struct Qemu {
    syst: SYST,
    period_s: f32,
    mode: Mode,
    frames: Option<File>,
    commands: Option<File>,
    stall: bool,
    finished: bool,
    link: Option<Lockstep<Uart>>,
}

impl Qemu {
    fn new(mut syst: SYST) -> Self {
        let (period_s, mode) = args();
        let link = (mode == Mode::Link).then(|| Lockstep::new(Uart::init()));
        let frames = if link.is_some() { None } else { File::open(c"frames.bin").ok() };
        let commands = if link.is_some() { None } else { File::create(c"commands.bin").ok() };
        if frames.is_none() && link.is_none() {
            defmt::warn!("no frames.bin: nothing to run");
        }
        let reload = (CLOCK_HZ as f32 * period_s) as u32;
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(reload.clamp(2, 0x00FF_FFFF) - 1);
        syst.clear_current();
        let finished = frames.is_none() && link.is_none();
        Self { syst, period_s, mode, finished, frames, commands, stall: false, link }
    }

    /// The selected test mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Free-running counter for instruction counts: SysTick at its full 24-bit range, no
    /// interrupt. With `-icount shift=0` one tick is 40 instructions (1 ns each at 25 MHz).
    pub fn start_counter(&mut self) {
        self.syst.disable_interrupt();
        self.syst.set_reload(0x00FF_FFFF);
        self.syst.clear_current();
        self.syst.enable_counter();
    }

    /// Current SysTick value (counts down).
    pub fn counter(&self) -> u32 {
        SYST::get_current()
    }
}

fn args() -> (f32, Mode) {
    let mut period = 0.001f32;
    let mut mode = Mode::Run;
    if let Ok(args) = semihosting::experimental::env::args::<256>() {
        for arg in (&args).flatten() {
            if let Some(v) = arg.strip_prefix("dt_bits=") {
                match u32::from_str_radix(v, 16).map(f32::from_bits) {
                    Ok(p) if (1e-4..=0.5).contains(&p) => period = p,
                    _ => defmt::error!("bad dt_bits={=str} (want the f32 bits in hex, 1e-4..0.5 s)", v),
                }
            } else if let Some(v) = arg.strip_prefix("mode=") {
                mode = match v {
                    "bench" => Mode::Bench,
                    "reflex" => Mode::Reflex,
                    "link" => Mode::Link,
                    _ => Mode::Run,
                };
            }
        }
    }
    (period, mode)
}

impl Board for Qemu {
    const NAME: &'static str = "qemu-mps2-an386";
    const DEVICE: DeviceClass = boards::QEMU.device;

    /// Reads the arguments, opens the files and programs the tick.
    fn init(syst: SYST) -> Self {
        Self::new(syst)
    }

    /// The simulated exo of the TUTORIAL model: a 100 N m ankle actuator.
    fn limits() -> Limits<f32> {
        Limits::for_max_torque(boards::QEMU.max_torque_nm)
    }

    fn start_tick(&mut self) {
        self.syst.enable_interrupt();
        self.syst.enable_counter();
    }

    fn period_s(&self) -> f32 {
        self.period_s
    }

    fn read_frame(&mut self) -> Option<SensorFrame<f32>> {
        if let Some(link) = self.link.as_mut() {
            let frame = link.receive();
            self.finished = link.ended();
            return frame;
        }
        let file = self.frames.as_mut()?;
        let mut rec = [0u8; INPUT_RECORD];
        if read_exact(file, &mut rec).is_err() {
            self.finished = true;
            return None;
        }
        let flags = u32::from_le_bytes([rec[0], rec[1], rec[2], rec[3]]);
        self.stall = flags & INPUT_STALL != 0;
        let mut frame = [0u8; SENSOR_RECORD];
        frame.copy_from_slice(&rec[4..]);
        (flags & INPUT_PRESENT != 0).then(|| SensorFrame::from_record(&frame))
    }

    fn write_command(&mut self, command: &Command<f32>) {
        if self.finished {
            return;
        }
        if let Some(link) = self.link.as_mut() {
            link.send(command);
            return;
        }
        if let Some(out) = self.commands.as_mut() {
            if out.write_all(&command.to_record()).is_err() {
                defmt::error!("commands.bin: write failed");
                self.finished = true;
            }
        }
    }

    fn deadline_missed(&mut self) -> bool {
        if core::mem::take(&mut self.stall) {
            // Fault injection: busy until the next tick is due.
            let _ = self.syst.has_wrapped();
            while !self.syst.has_wrapped() {}
        }
        SCB::is_pendst_pending()
    }

    fn kick_watchdog(&mut self) {}

    fn finished(&self) -> bool {
        self.finished
    }

    fn exit(&mut self, code: i32) -> ! {
        semihosting::process::exit(code)
    }
}

impl Qemu {
    /// Runs the reflex law over the recorded inputs of `reflex.bin` and writes one output
    /// record per step to `reflex_out.bin`; logs the instruction count of `Reflex::step` (mean
    /// over the steps and max; SysTick at 25 MHz under `-icount shift=0` = 40 instructions per
    /// tick, so each step is quantised to 40).
    #[inline(never)]
    pub fn reflex_replay(&mut self) -> ! {
        use controller::device::replay::{output_record, read_sensors, ReflexSetup, SENSORS_RECORD, SETUP_RECORD};
        use controller::reflex::Reflex;
        let Ok(mut input) = File::open(c"reflex.bin") else {
            defmt::error!("reflex mode: no reflex.bin");
            self.exit(2)
        };
        let Ok(mut output) = File::create(c"reflex_out.bin") else {
            defmt::error!("reflex mode: cannot create reflex_out.bin");
            self.exit(2)
        };
        let mut rec = [0u8; SETUP_RECORD];
        let setup = match read_exact(&mut input, &mut rec).ok().and_then(|_| ReflexSetup::from_record(&rec)) {
            Some(s) => s,
            None => {
                defmt::error!("reflex mode: bad setup record");
                self.exit(2)
            }
        };
        let mut reflex = Reflex::<f32>::new(setup.mode);
        reflex.reset_with_buffer_params(&setup.init, &setup.params, &setup.buffer_params);
        defmt::info!("reflex: {=str} mode, {=usize} bytes of controller state", if matches!(setup.mode, controller::reflex::DelayMode::Delayed) { "delayed" } else { "non-delayed" }, core::mem::size_of::<Reflex<f32>>());
        self.start_counter();
        let ticks = |a: u32, b: u32| a.wrapping_sub(b) & 0x00FF_FFFF;
        let (mut steps, mut total, mut max) = (0u32, 0u64, 0u32);
        let mut srec = [0u8; SENSORS_RECORD];
        while read_exact(&mut input, &mut srec).is_ok() {
            let s = read_sensors(&srec);
            let t0 = self.counter();
            let out = reflex.step(core::hint::black_box(&s));
            let dt = ticks(t0, self.counter());
            total += u64::from(dt);
            max = max.max(dt);
            steps += 1;
            if output.write_all(&output_record(&out)).is_err() {
                defmt::error!("reflex mode: write failed");
                self.exit(2)
            }
        }
        let mean = (total * 40).checked_div(u64::from(steps)).unwrap_or(0) as u32;
        defmt::info!(
            "reflex: {=u32} steps, {=u32} instructions per control step (mean), {=u32} max, stack high-water {=usize} B",
            steps,
            mean,
            max * 40,
            super::stack_used()
        );
        self.exit(0)
    }
}

/// Reads exactly `buf.len()` bytes (semihosting reads may return short counts).
pub fn read_exact(file: &mut File, buf: &mut [u8]) -> Result<(), ()> {
    let mut at = 0;
    while at < buf.len() {
        match file.read(&mut buf[at..]) {
            Ok(0) | Err(_) => return Err(()),
            Ok(n) => at += n,
        }
    }
    Ok(())
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    if let Some(loc) = info.location() {
        defmt::error!("panic at {=str}:{=u32}", loc.file(), loc.line());
    } else {
        defmt::error!("panic");
    }
    semihosting::process::exit(101)
}

#[cortex_m_rt::exception]
unsafe fn HardFault(_frame: &cortex_m_rt::ExceptionFrame) -> ! {
    semihosting::process::exit(102)
}
