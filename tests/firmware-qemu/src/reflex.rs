//! The reflex law under QEMU on the recorded reflex inputs, against the host's f32 run.
//!
//! The host side needs the `myoreflex` library (its replay reads the reference logs), so the
//! workspace test `tests/tests/firmware_reflex_inputs.rs` writes, per reference case,
//! `<case>.reflex.bin` (setup record + one sensor record per step, `controller::device::replay`)
//! and `<case>.expected.bin` (the host's f32 output records) into a folder; here every such pair
//! runs on the firmware (`mode=reflex`) and the output must equal the expected bytes.

use crate::qemu::Run;
use crate::{Ctx, Test};
use controller::device::replay::OUTPUT_RECORD;
use controller::muscles::N_MUSCLES;
use std::path::{Path, PathBuf};

/// One test per `*.reflex.bin` in `dir` (an empty folder is an error: nothing would be tested).
pub fn tests(dir: &Path) -> Result<Vec<Test>, String> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".reflex.bin"))
        .collect();
    cases.sort();
    if cases.is_empty() {
        return Err(format!("{}: no *.reflex.bin (the workspace test firmware_reflex_inputs writes them)", dir.display()));
    }
    Ok(cases
        .into_iter()
        .map(|input| {
            let name = input.file_name().map_or(String::new(), |n| n.to_string_lossy().trim_end_matches(".reflex.bin").to_string());
            Test::new(format!("reflex_parity/{name}"), move |ctx: &Ctx| parity(ctx, &name, &input))
        })
        .collect())
}

fn parity(ctx: &Ctx, name: &str, input: &Path) -> Result<String, String> {
    let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let expected_path = input.with_file_name(format!("{name}.expected.bin"));
    let expected = std::fs::read(&expected_path).map_err(|e| format!("{}: {e}", expected_path.display()))?;
    let run = Run { mode: Some("reflex"), files: vec![("reflex.bin", bytes)], ..Default::default() };
    let out = ctx.run_with(&format!("reflex_parity/{name}"), run)?;
    if out.reflex_out.len() != expected.len() {
        return Err(format!("firmware wrote {} bytes, the host {} ({} steps)", out.reflex_out.len(), expected.len(), expected.len() / OUTPUT_RECORD));
    }
    let steps = expected.len() / OUTPUT_RECORD;
    for k in 0..steps {
        let (f, h) = (&out.reflex_out[k * OUTPUT_RECORD..][..OUTPUT_RECORD], &expected[k * OUTPUT_RECORD..][..OUTPUT_RECORD]);
        if let Some(b) = f.iter().zip(h).position(|(a, b)| a != b) {
            let what = if b < 8 * N_MUSCLES {
                format!("stimulation {} of the {} leg", (b / 4) % N_MUSCLES, if b / 4 < N_MUSCLES { "right" } else { "left" })
            } else {
                "phase flags / alpha_tgt / hip_tgt".to_string()
            };
            return Err(format!("step {k}: {what} differs (byte {b})"));
        }
    }
    let count = out.log.iter().find(|l| l.contains("instructions per control step")).ok_or("no instruction count in the log")?;
    let count = count.split_once("reflex: ").map_or(count.as_str(), |(_, r)| r);
    let state = out.log.iter().find_map(|l| l.split_once(" mode, ").map(|(_, r)| r.to_string())).unwrap_or_default();
    Ok(format!("{steps} steps bit-exact; {count}; {state}"))
}
