//! Hardware in the loop (`myoreflex hil`) and flash images (`myoreflex flash`).
//!
//! Lockstep co-simulation: every control step the episode (`eval::episode::run_with`) hands
//! the simulator's sensors to [`session::Session`], which sends a `controller::link` sensor
//! frame to the firmware and applies the torque of the command frame it answers with. The same
//! frames run through the host's f32 `Device` for the comparison. The QEMU link boots the flash
//! image [`image::FirmwareElf::image`] builds, i.e. what `flash --dry-run` writes.

pub mod device_loop;
pub mod flash;
pub mod image;
pub mod link;
#[cfg(feature = "probe")]
pub mod probe;
pub mod qemu;
pub mod rtt;
pub mod session;

use crate::config::RunConfig;
use crate::eval::{self, episode, EpisodeSettings, Evaluation};
use controller::blob::DeviceClass;
use controller::device::{Device, Limits};
use controller::exo::ExoKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum HilError {
    #[error("firmware: {0}")]
    Firmware(String),
    #[error("parameters: {0}")]
    Params(String),
    #[error("link: {0}")]
    Link(String),
    #[error("QEMU: {0}")]
    Qemu(String),
    #[error("probe: {0}")]
    Probe(String),
    #[error("{0}")]
    Eval(#[from] eval::EvalError),
}

/// The STM32F405 board's probe-rs chip name (its device class and torque limit are
/// `controller::boards::STM32F4`).
pub const STM32_CHIP: &str = "STM32F405RGTx";

/// Why `flash` and `hil --link rtt` cannot reach a board in a build without the `probe` cargo
/// feature, and how to get one that can (each command adds its alternative).
pub const NO_PROBE: &str = "this myoreflex is built without probe support; rebuild it with the `probe` cargo feature (cargo build --release -p myoreflex --features probe)";

/// The `--device` names, `dephy|hmedi|...` (for messages).
pub fn device_names() -> String {
    DeviceClass::ALL.map(DeviceClass::name).join("|")
}

/// The device class `name` given to `flag`, or an error that lists the names.
pub fn device_class(flag: &str, name: &str) -> Result<DeviceClass, String> {
    DeviceClass::from_name(name).ok_or_else(|| format!("{flag} {name}: want {}", device_names()))
}

/// The parameter blob for `file`: a blob as is (it starts with the blob magic), or a
/// parameter text file encoded for `device` with the config's exo layout (as `export`).
pub fn blob_for(
    file: &Path,
    cfg: &RunConfig,
    device: DeviceClass,
    device_limit: f64,
) -> Result<Vec<u8>, HilError> {
    let name = file.display().to_string();
    let bytes =
        std::fs::read(file).map_err(|e| HilError::Params(format!("cannot read {name}: {e}")))?;
    if bytes.starts_with(&controller::blob::MAGIC) {
        return Ok(bytes);
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        HilError::Params(format!(
            "{name} is neither a blob nor a text parameter file"
        ))
    })?;
    let x = crate::io::param_file::parse_params(file, text)
        .map_err(|e| HilError::Params(e.to_string()))?;
    let kind = if cfg.use_4param_spline {
        ExoKind::FourParam
    } else {
        ExoKind::NPoint(cfg.n_points)
    };
    let spec = crate::export::ExoSpec {
        kind,
        max_torque: cfg.max_torque,
        fixed_exo: cfg.fixed_exo,
    };
    encode_blob(&name, &x, &spec, &bytes, device, device_limit)
        .map_err(|e| HilError::Params(e.to_string()))
}

/// The blob `export` writes for the parameter vector `x` (read from `source`, whose bytes go
/// into the provenance) on a `device` board limited to `device_limit` N m.
pub fn encode_blob(
    name: &str,
    x: &[f64],
    spec: &crate::export::ExoSpec,
    source: &[u8],
    device: DeviceClass,
    device_limit: f64,
) -> Result<Vec<u8>, crate::export::ExportError> {
    let payload =
        crate::export::payload(name, x, spec, crate::export::provenance(x.len(), source))?;
    crate::export::encode(name, device, &payload, device_limit)
}

/// Where the command frames come from.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkKind {
    /// QEMU mps2-an386 on a loopback socket (default).
    Qemu,
    /// A serial port (tty) opened as a file; configure its speed with `stty` first.
    Serial(PathBuf),
    /// A board behind a debug probe: the image flashed, then frames over RTT channels
    /// (probe-rs; cargo feature `probe`).
    Rtt,
}

impl std::str::FromStr for LinkKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "qemu" => Ok(LinkKind::Qemu),
            "rtt" => Ok(LinkKind::Rtt),
            _ => match s.strip_prefix("serial:") {
                Some(p) if !p.is_empty() => Ok(LinkKind::Serial(p.into())),
                _ => Err(format!(
                    "`{s}`: want qemu, serial:PORT (e.g. serial:/dev/ttyACM0) or rtt"
                )),
            },
        }
    }
}

/// A HIL run.
pub struct Options {
    pub firmware: PathBuf,
    pub blob: Vec<u8>,
    pub link: LinkKind,
    pub faults: Vec<session::Fault>,
    /// Where to keep the image, the raw defmt stream and QEMU's stderr.
    pub work_dir: PathBuf,
    /// Device class and torque limit of the firmware's board (the host's reference device).
    pub device: DeviceClass,
    pub device_limit: f64,
    /// RTT link: probe-rs chip name and probe selector (`VID:PID[:SERIAL]`).
    pub chip: String,
    pub probe: Option<String>,
}

/// What a HIL run gives.
pub struct Report {
    pub evaluation: Evaluation,
    pub tally: session::Tally,
    pub sim_s: f64,
    pub wall_s: f64,
    /// Decoded defmt lines of the firmware (or why they could not be decoded).
    pub log: Result<Vec<String>, String>,
    pub exit_code: Option<i32>,
    /// What was flashed before the run (RTT link).
    pub flashed: Vec<flash::Written>,
}

/// Runs one episode of `params` with the exo torques from the firmware.
pub fn run(cfg: &RunConfig, params: &[f64], o: &Options) -> Result<Report, HilError> {
    let settings = EpisodeSettings::from_config(cfg)?;
    let dt = settings.dt() as f32;
    let elf = image::FirmwareElf::read(&o.firmware)?;
    // the host's f32 device from the same region bytes the firmware boots with
    let mut region = vec![0xFFu8; (elf.params.1 - elf.params.0) as usize];
    let n = o.blob.len().min(region.len());
    region[..n].copy_from_slice(&o.blob[..n]);
    let (reference, _) = Device::from_region(
        &region,
        o.device,
        Limits::for_max_torque(o.device_limit),
        dt,
    );
    let mut engine = eval::engines::make(cfg)?;
    match &o.link {
        #[cfg(feature = "probe")]
        LinkKind::Rtt => rtt_run(engine.as_mut(), &settings, cfg, params, o, &elf, reference),
        #[cfg(not(feature = "probe"))]
        LinkKind::Rtt => Err(HilError::Link(format!(
            "--link rtt talks to a board through a debug probe: {NO_PROBE}, or use --link qemu or serial:PORT"
        ))),
        LinkKind::Serial(port) => {
            let f = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(port)
                .map_err(|e| HilError::Link(format!("cannot open {}: {e}", port.display())))?;
            let mut s = session::Session::new(link::Link::new(f), reference, o.faults.clone());
            let (ev, sim_s, wall_s) =
                episode_over(engine.as_mut(), &settings, cfg, params, &mut s)?;
            Ok(Report {
                evaluation: ev,
                tally: s.tally,
                sim_s,
                wall_s,
                log: Err("a serial link carries no defmt log".into()),
                exit_code: None,
                flashed: Vec::new(),
            })
        }
        LinkKind::Qemu => {
            std::fs::create_dir_all(&o.work_dir)
                .map_err(|e| HilError::Qemu(format!("{}: {e}", o.work_dir.display())))?;
            let img = elf.image(&o.blob)?;
            if img.base != 0 {
                return Err(HilError::Firmware(format!(
                    "flash starts at 0x{:08x}: not a QEMU mps2-an386 build (myoreflex-fw-qemu)",
                    img.base
                )));
            }
            let image_path = o.work_dir.join("image.bin");
            crate::io::write_atomic(&image_path, &img.bytes)
                .map_err(|e| HilError::Qemu(e.to_string()))?;
            let (mut q, stream) = qemu::Qemu::start(&image_path, dt, &o.work_dir)?;
            let mut s = session::Session::new(link::Link::new(stream), reference, o.faults.clone());
            let (ev, sim_s, wall_s) =
                episode_over(engine.as_mut(), &settings, cfg, params, &mut s)?;
            let code = q.finish(Duration::from_secs(10)).ok();
            let raw = std::fs::read(&q.defmt_path).unwrap_or_default();
            let log = decode_defmt(&o.firmware, &raw)
                .map_err(|e| format!("{e} (raw defmt stream in {})", q.defmt_path.display()));
            Ok(Report {
                evaluation: ev,
                tally: s.tally,
                sim_s,
                wall_s,
                log,
                exit_code: code,
                flashed: Vec::new(),
            })
        }
    }
}

/// `--link rtt`: flashes the image (firmware + blob, as `flash` does), resets the board into
/// link mode and runs the episode over its RTT channels; the defmt log comes from RTT too.
#[cfg(feature = "probe")]
fn rtt_run(
    engine: &mut dyn crate::engine::Engine,
    settings: &EpisodeSettings,
    cfg: &RunConfig,
    params: &[f64],
    o: &Options,
    elf: &image::FirmwareElf,
    reference: Device<f32>,
) -> Result<Report, HilError> {
    let chip = probe::chip(&o.chip)?;
    let img = elf.image(&o.blob)?;
    probe::check_fits(&chip, &img)?;
    let symbols = probe::link_symbols(elf)?;
    let mut session = probe::attach(&chip, o.probe.as_deref())?;
    let flashed = flash::write_and_verify(
        &mut probe::ProbeFlash {
            session: &mut session,
        },
        &img,
    )?;
    let port = probe::start_link(
        session,
        symbols,
        settings.dt() as f32,
        Duration::from_secs(3),
    )?;
    let stream = rtt::RttStream::new(port, qemu::FRAME_TIMEOUT);
    let mut s = session::Session::new(link::Link::new(stream), reference, o.faults.clone());
    let (ev, sim_s, wall_s) = episode_over(engine, settings, cfg, params, &mut s)?;
    let stream = s.link_mut().stream_mut();
    let drained = stream.drain_log_for(Duration::from_millis(200), Duration::from_secs(2));
    let raw = std::mem::take(&mut stream.log);
    // kept for a decoder run by hand; a failed write only loses that copy
    let defmt_path = o.work_dir.join("defmt.bin");
    let kept = std::fs::create_dir_all(&o.work_dir).is_ok()
        && crate::io::write_atomic(&defmt_path, &raw).is_ok();
    let log = drained
        .and_then(|()| decode_defmt(&o.firmware, &raw))
        .map_err(|e| {
            if kept {
                format!("{e} (raw defmt stream in {})", defmt_path.display())
            } else {
                e
            }
        });
    Ok(Report {
        evaluation: ev,
        tally: s.tally,
        sim_s,
        wall_s,
        log,
        exit_code: None,
        flashed,
    })
}

fn episode_over<S: std::io::Read + std::io::Write>(
    engine: &mut dyn crate::engine::Engine,
    settings: &EpisodeSettings,
    cfg: &RunConfig,
    params: &[f64],
    s: &mut session::Session<S>,
) -> Result<(Evaluation, f64, f64), HilError> {
    let t0 = Instant::now();
    let mut src = session::Source {
        session: s,
        seq: 0,
        error: None,
    };
    let ep = episode::run_with(engine, settings, params, false, Some(&mut src))?;
    if let Some(e) = src.error.take() {
        return Err(e);
    }
    s.end()?;
    let wall_s = t0.elapsed().as_secs_f64();
    let sim_s = ep.records.len() as f64 * settings.dt();
    let cost = eval::score(&ep, settings, cfg, params);
    Ok((Evaluation { episode: ep, cost }, sim_s, wall_s))
}

/// Decodes the firmware's defmt stream with an external decoder that takes defmt-print's
/// arguments (`CMD -e ELF stdin`): `$MYOREFLEX_DEFMT_DECODER`, else `defmt-print` on the PATH.
/// (The host crate cannot link defmt-decoder: its serde_json features would change how the
/// host parses the reference JSON; tests/firmware-qemu's `myoreflex-fw-check` is such a decoder.)
pub fn decode_defmt(elf: &Path, raw: &[u8]) -> Result<Vec<String>, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let cmd = std::env::var_os("MYOREFLEX_DEFMT_DECODER").unwrap_or_else(|| "defmt-print".into());
    let mut child = Command::new(&cmd)
        .arg("-e")
        .arg(elf)
        .arg("stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "no defmt decoder ({}: {e}); install defmt-print (`cargo install defmt-print`) or set MYOREFLEX_DEFMT_DECODER=tests/firmware-qemu/target/debug/myoreflex-fw-check",
                cmd.to_string_lossy()
            )
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(raw)
            .map_err(|e| format!("defmt decoder: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("defmt decoder: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "defmt decoder failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}
