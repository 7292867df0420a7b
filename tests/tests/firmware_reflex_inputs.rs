//! Host side of the reflex parity test under QEMU (issue 6): for every recorded reflex case of
//! the reference folder (`reflex_*_meta.json`), builds the firmware's input file (a setup record
//! and one sensor record per step, `controller::device::replay`) and the host's f32 output
//! records for it. The outputs are checked here against `replay::run::<f32>` (so the records
//! carry exactly what the replay runs); with `MYOREFLEX_FW_REFLEX_DIR=DIR` both files are also
//! written to DIR as `<case>.reflex.bin` / `<case>.expected.bin`, where the firmware test tool
//! (`tests/firmware-qemu`, `--reflex-dir DIR`) runs them under QEMU and compares bit for bit.

use controller::device::replay::{
    output_record, read_sensors, write_sensors, ReflexSetup, SENSORS_RECORD,
};
use controller::float::Real;
use controller::muscles::{Side, MUSCLES};
use controller::params::pose::Pose;
use controller::params::reflex_table::ReflexParams;
use controller::params::N_REFLEX;
use controller::reflex::{Reflex, ResetState};
use myoreflex::io::CsvTable;
use myoreflex::replay::meta::Meta;
use myoreflex::replay::{run, InputColumns};
use std::path::PathBuf;

fn meta_files() -> Vec<PathBuf> {
    let dir = myoreflex::reference::dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}; set MYOREFLEX_REFERENCE", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            n.starts_with("reflex_") && n.ends_with("_meta.json")
        })
        .collect();
    v.sort();
    v
}

/// The firmware setup for a case, as `replay::run::<f32>` sets its controller up.
fn setup(meta: &Meta, cols: &InputColumns, table: &CsvTable) -> ReflexSetup {
    let s = &meta.setup;
    let p: Vec<f32> = s.params.iter().map(|&v| f32::c(v)).collect();
    let reflex51: [f32; N_REFLEX] = core::array::from_fn(|i| p[i]);
    let params = ReflexParams::from_normalized(&reflex51);
    let (init, buffer_params) = match &s.reset {
        Some(rv) => (
            ResetState {
                pose: s.pose,
                sample: rv.sample.cast(),
                act: rv.act.map(|a| a.map(f32::c)),
            },
            ReflexParams::from_physical(&rv.buffer_params.to_physical().map(f32::c)),
        ),
        None => {
            let pose =
                Pose::from_vector(&p, s.pose).expect("a parameter vector of 77 or more values");
            (
                ResetState {
                    pose: s.pose,
                    sample: cols.sensors(&table.rows[0]),
                    act: pose.act,
                },
                ReflexParams::default(),
            )
        }
    };
    ReflexSetup {
        mode: s.mode,
        params,
        buffer_params,
        init,
    }
}

#[test]
fn reflex_inputs_for_the_firmware_match_the_f32_replay() {
    let out_dir = std::env::var_os("MYOREFLEX_FW_REFLEX_DIR").map(PathBuf::from);
    let metas = meta_files();
    assert!(
        !metas.is_empty(),
        "no reflex_*_meta.json in the reference folder"
    );
    for path in metas {
        let meta = Meta::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let table = CsvTable::read_parts(&meta.files, true).unwrap_or_else(|e| panic!("{e}"));
        let cols = InputColumns::find(&table).unwrap_or_else(|e| panic!("{e}"));
        let setup = setup(&meta, &cols, &table);

        // what the firmware reads: the setup record and the sensor records, decoded back
        let mut input = setup.to_record().to_vec();
        let fw_setup =
            ReflexSetup::from_record(&setup.to_record()).expect("setup record round trip");
        let mut reflex = Reflex::<f32>::new(fw_setup.mode);
        reflex.reset_with_buffer_params(&fw_setup.init, &fw_setup.params, &fw_setup.buffer_params);
        let mut expected = Vec::new();
        let replay = run::<f32>(&meta.setup, &table).unwrap_or_else(|e| panic!("{e}"));
        let stim_cols: Vec<(usize, usize, Vec<f64>)> = Side::BOTH
            .iter()
            .flat_map(|s| MUSCLES.iter().map(move |m| (*s, *m)))
            .map(|(s, m)| {
                let name = format!("out_{}_stim_{}", s.letter(), m.name());
                (
                    s.idx(),
                    m.idx(),
                    replay
                        .column(&name)
                        .unwrap_or_else(|| panic!("no column {name}")),
                )
            })
            .collect();
        for (k, row) in table.rows.iter().enumerate() {
            let mut rec = [0u8; SENSORS_RECORD];
            write_sensors(&cols.sensors::<f32>(row), &mut rec);
            input.extend_from_slice(&rec);
            let out = reflex.step(&read_sensors(&rec));
            for (leg, m, col) in &stim_cols {
                assert_eq!(
                    out.stim[*leg][*m].to_bits(),
                    (col[k] as f32).to_bits(),
                    "{}: step {k}, leg {leg}, muscle {m}: record path differs from the f32 replay",
                    path.display()
                );
            }
            expected.extend_from_slice(&output_record(&out));
        }
        if let Some(dir) = &out_dir {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let case = name
                .trim_start_matches("reflex_")
                .trim_end_matches("_meta.json");
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            for (suffix, bytes) in [("reflex.bin", &input), ("expected.bin", &expected)] {
                let file = dir.join(format!("{case}.{suffix}"));
                std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            }
        }
    }
}
