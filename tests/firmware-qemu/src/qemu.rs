//! One firmware run under QEMU `mps2-an386`: a fresh temporary directory with the input files,
//! the blob loaded into the parameter region with QEMU's generic loader (as `myoreflex flash`
//! would write it), a hard timeout, and the outputs read back.

use crate::defmt_log::LogTable;
use controller::device::{Command, COMMAND_RECORD};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Start of the parameter region in `firmware/memory/qemu-mps2-an386.x`.
pub const PARAMS_ADDR: u32 = 0x000E_0000;
/// Wall-clock limit of one run.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// What to run.
#[derive(Default)]
pub struct Run {
    /// Bytes written into the parameter region (none: erased).
    pub blob: Option<Vec<u8>>,
    /// `frames.bin`: input records (see firmware/src/board/qemu.rs).
    pub frames: Vec<u8>,
    /// Control period (s) as f32 bits.
    pub dt: Option<f32>,
    /// `mode=` argument.
    pub mode: Option<&'static str>,
    /// Further input files (name, bytes), e.g. `reflex.bin`.
    pub files: Vec<(&'static str, Vec<u8>)>,
}

/// What came back.
pub struct Outcome {
    /// QEMU's exit status (the firmware's semihosting exit code).
    pub code: i32,
    /// Decoded defmt lines.
    pub log: Vec<String>,
    /// Records of `commands.bin`.
    pub commands: Vec<Command<f32>>,
    /// Bytes of `reflex_out.bin` (reflex mode).
    pub reflex_out: Vec<u8>,
}

static RUN_ID: AtomicU32 = AtomicU32::new(0);

fn scratch_dir(name: &str) -> std::io::Result<PathBuf> {
    let id = RUN_ID.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("myoreflex-fw-{}-{id}-{name}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

impl Run {
    /// Runs the firmware `elf` and decodes its log with `table`.
    pub fn go(&self, name: &str, elf: &Path, table: &LogTable) -> Result<Outcome, String> {
        let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let dir = scratch_dir(&safe).map_err(|e| format!("temp dir: {e}"))?;
        let out = self.go_in(&dir, elf, table);
        if out.is_ok() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        out.map_err(|e| format!("{e} (files kept in {})", dir.display()))
    }

    fn go_in(&self, dir: &Path, elf: &Path, table: &LogTable) -> Result<Outcome, String> {
        std::fs::write(dir.join("frames.bin"), &self.frames).map_err(|e| format!("frames.bin: {e}"))?;
        for (name, bytes) in &self.files {
            std::fs::write(dir.join(name), bytes).map_err(|e| format!("{name}: {e}"))?;
        }
        let mut semihosting = String::from("enable=on,target=native,arg=myoreflex-fw");
        if let Some(dt) = self.dt {
            semihosting += &format!(",arg=dt_bits={:08x}", dt.to_bits());
        }
        if let Some(mode) = self.mode {
            semihosting += &format!(",arg=mode={mode}");
        }
        let mut cmd = Process::new("qemu-system-arm");
        cmd.current_dir(dir)
            .args(["-cpu", "cortex-m4", "-machine", "mps2-an386", "-nographic", "-monitor", "none"])
            .args(["-serial", "null", "-icount", "shift=0,sleep=off", "-semihosting-config", &semihosting])
            .arg("-kernel")
            .arg(elf);
        if let Some(blob) = &self.blob {
            std::fs::write(dir.join("blob.bin"), blob).map_err(|e| format!("blob.bin: {e}"))?;
            cmd.args(["-device", &format!("loader,file=blob.bin,addr=0x{PARAMS_ADDR:08x}")]);
        }
        let stdout = std::fs::File::create(dir.join("defmt.bin")).map_err(|e| format!("defmt.bin: {e}"))?;
        let stderr = std::fs::File::create(dir.join("qemu.err")).map_err(|e| format!("qemu.err: {e}"))?;
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start qemu-system-arm ({e}); install the Debian package qemu-system-arm"))?;
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if start.elapsed() > TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("QEMU timed out after {} s", TIMEOUT.as_secs()));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => return Err(format!("waiting for QEMU: {e}")),
            }
        };
        let raw = std::fs::read(dir.join("defmt.bin")).map_err(|e| format!("defmt.bin: {e}"))?;
        let log = table.decode(&raw)?;
        let bytes = std::fs::read(dir.join("commands.bin")).unwrap_or_default();
        if !bytes.len().is_multiple_of(COMMAND_RECORD) {
            return Err(format!("commands.bin has {} bytes, not a multiple of {COMMAND_RECORD}", bytes.len()));
        }
        let mut commands = Vec::with_capacity(bytes.len() / COMMAND_RECORD);
        for (i, rec) in bytes.chunks_exact(COMMAND_RECORD).enumerate() {
            let rec: &[u8; COMMAND_RECORD] = rec.try_into().map_err(|_| "record size".to_string())?;
            commands.push(Command::from_record(rec).ok_or_else(|| format!("commands.bin record {i}: unknown state/reason byte"))?);
        }
        let code = match status.code() {
            Some(c) => c,
            None => {
                let err = std::fs::read_to_string(dir.join("qemu.err")).unwrap_or_default();
                return Err(format!("QEMU killed by a signal; stderr: {err}"));
            }
        };
        let reflex_out = std::fs::read(dir.join("reflex_out.bin")).unwrap_or_default();
        Ok(Outcome { code, log, commands, reflex_out })
    }
}
