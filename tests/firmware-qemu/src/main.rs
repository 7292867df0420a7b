//! Host side of the firmware tests (run by `scripts/test.d/50-firmware.sh`):
//!
//! ```text
//! myoreflex-fw-check --elf FIRMWARE.elf [--reference DIR] [--expected DIR] [--bless] [--bench]
//!                    [--reflex-dir DIR] [--filter S] [--jobs N]
//! ```
//!
//! Builds inputs from the reference fixtures, runs the firmware under QEMU `mps2-an386` once per
//! test (blob in the parameter region, frames and commands over semihosting files), decodes its
//! defmt log, and checks it against the host's f32 controller bit for bit and against the
//! expected logs in `expected/` (`--bless` rewrites them). Prints one line per test, then
//! `firmware: N passed, M failed`; exits non-zero on any failure. `--bench` also prints the
//! instruction count of one exo control step (QEMU `-icount`); `--reflex-dir` adds the reflex
//! parity tests of the inputs found there (see reflex.rs).

mod blobs;
mod check;
mod defmt_log;
mod exo;
mod faults;
mod inputs;
mod qemu;
mod reflex;
mod tuned;

use check::Expected;
use defmt_log::LogTable;
use inputs::{frames_file, Tick};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What every test gets.
pub struct Ctx {
    pub elf: PathBuf,
    pub table: LogTable,
    pub expected: Expected,
}

impl Ctx {
    /// One QEMU run of the firmware.
    pub fn run(&self, name: &str, blob: Option<&[u8]>, ticks: &[Tick], dt: Option<f32>, mode: Option<&'static str>) -> Result<qemu::Outcome, String> {
        let run = qemu::Run { blob: blob.map(<[u8]>::to_vec), frames: frames_file(ticks), dt, mode, files: Vec::new() };
        self.run_with(name, run)
    }

    /// One QEMU run of the firmware, fully specified.
    pub fn run_with(&self, name: &str, run: qemu::Run) -> Result<qemu::Outcome, String> {
        let out = run.go(name, &self.elf, &self.table)?;
        if out.code != 0 {
            return Err(format!("firmware exited with code {}; log:\n  {}", out.code, out.log.join("\n  ")));
        }
        Ok(out)
    }
}

type Body = Box<dyn Fn(&Ctx) -> Result<String, String> + Send + Sync>;

/// A named test: Ok(summary) or Err(why).
pub struct Test {
    pub name: String,
    body: Body,
}

impl Test {
    pub fn new(name: String, body: impl Fn(&Ctx) -> Result<String, String> + Send + Sync + 'static) -> Self {
        Self { name, body: Box::new(body) }
    }
}

struct Opts {
    elf: PathBuf,
    reference: PathBuf,
    expected: PathBuf,
    bless: bool,
    bench: bool,
    reflex_dir: Option<PathBuf>,
    filter: Option<String>,
    jobs: usize,
}

fn usage() -> String {
    "usage: myoreflex-fw-check --elf FIRMWARE.elf [--reference DIR] [--expected DIR] [--bless] [--bench] [--reflex-dir DIR] [--filter TEXT] [--jobs N]".into()
}

fn opts() -> Result<Opts, String> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut o = Opts {
        elf: PathBuf::new(),
        reference: std::env::var_os("MYOREFLEX_REFERENCE").map_or_else(|| here.join("../../../shared/reference"), PathBuf::from),
        expected: here.join("expected"),
        bless: false,
        bench: false,
        reflex_dir: None,
        filter: None,
        jobs: 2,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |what: &str| args.next().ok_or_else(|| format!("{a} needs {what}\n{}", usage()));
        match a.as_str() {
            "--elf" => o.elf = val("a path")?.into(),
            "--reference" => o.reference = val("a directory")?.into(),
            "--expected" => o.expected = val("a directory")?.into(),
            "--reflex-dir" => o.reflex_dir = Some(val("a directory")?.into()),
            "--filter" => o.filter = Some(val("a text")?),
            "--jobs" => o.jobs = val("a number")?.parse().map_err(|_| format!("--jobs wants a number\n{}", usage()))?,
            "--bless" => o.bless = true,
            "--bench" => o.bench = true,
            "-h" | "--help" => return Err(usage()),
            _ => return Err(format!("unknown argument {a}\n{}", usage())),
        }
    }
    if o.elf.as_os_str().is_empty() {
        return Err(format!("--elf is required\n{}", usage()));
    }
    Ok(o)
}

fn main() -> ExitCode {
    match real_main() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn real_main() -> Result<bool, String> {
    // defmt-print's calling convention (`-e ELF stdin`): decode a defmt stream from stdin, one
    // line per frame (used by `myoreflex hil`, see MYOREFLEX_DEFMT_DECODER)
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.len() == 3 && argv[0] == "-e" && argv[2] == "stdin" {
        let elf = std::fs::read(&argv[1]).map_err(|e| format!("{}: {e}", argv[1]))?;
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut raw).map_err(|e| format!("stdin: {e}"))?;
        for line in LogTable::from_elf(&elf)?.decode(&raw)? {
            println!("{line}");
        }
        return Ok(true);
    }
    let o = opts()?;
    let elf = std::fs::read(&o.elf).map_err(|e| format!("{}: {e} (build the firmware first)", o.elf.display()))?;
    let table = LogTable::from_elf(&elf)?;
    // QEMU runs in a scratch directory: hand it an absolute path
    let elf_path = std::fs::canonicalize(&o.elf).map_err(|e| format!("{}: {e}", o.elf.display()))?;
    let ctx = Ctx { elf: elf_path, table, expected: Expected { dir: o.expected.clone(), bless: o.bless } };

    let cases = inputs::exo_cases(&o.reference)?;
    let mut tests = exo::tests(&cases);
    tests.extend(blobs::tests());
    tests.extend(faults::tests());
    tests.extend(tuned::tests(&o.reference)?);
    if let Some(dir) = &o.reflex_dir {
        tests.extend(reflex::tests(dir)?);
    }
    if let Some(f) = &o.filter {
        tests.retain(|t| t.name.contains(f.as_str()));
    }

    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..o.jobs.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(t) = tests.get(i) else { break };
                let r = (t.body)(&ctx);
                match &r {
                    Ok(msg) => println!("ok   {} ({msg})", t.name),
                    Err(e) => println!("FAIL {}: {e}", t.name),
                }
                if let Ok(mut v) = results.lock() {
                    v.push(r.is_ok());
                }
            });
        }
    });
    let results = results.into_inner().map_err(|_| "a test thread panicked")?;
    let passed = results.iter().filter(|&&ok| ok).count();
    let failed = results.len() - passed;
    if o.bench {
        bench(&ctx)?;
    }
    println!("firmware: {passed} passed, {failed} failed");
    Ok(failed == 0 && passed > 0)
}

/// Instructions per control step of the exo device (firmware `mode=bench`), over the first
/// 1024 ticks of the synthetic walk (both legs; assisting from the fourth stance on).
fn bench(ctx: &Ctx) -> Result<(), String> {
    let blob = blobs::good();
    let ticks: Vec<Tick> = inputs::synthetic_walk();
    let out = ctx.run("bench/exo", Some(&blob), &ticks, None, Some("bench"))?;
    let line = out.log.iter().find(|l| l.contains("instructions per control step")).ok_or("bench printed no count")?;
    println!("bench exo step: {}", line.split_once("bench: ").map_or(line.as_str(), |(_, r)| r));
    Ok(())
}
