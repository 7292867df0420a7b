//! Every reflex case of the reference folder (`reflex_*_meta.json` and its data parts)
//! reproduced by the replay library: every `out_*` and `exo_*` column to 1e-9 (flags exactly),
//! plus the f32 instantiation on the same logs.

use myoreflex::io::CsvTable;
use myoreflex::replay::{self, meta::Meta};
use std::path::PathBuf;

fn cases() -> Vec<PathBuf> {
    let dir = myoreflex::reference::dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reference folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reflex_") && n.ends_with("_meta.json"))
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no reflex_*_meta.json in {}", dir.display());
    v
}

/// Compares every `out_*`/`exo_*` column of the reference with ours; returns the largest
/// difference.
fn compare(meta_path: &std::path::Path, setup: &replay::ReplaySetup, table: &CsvTable) -> f64 {
    let out = replay::run::<f64>(setup, table).unwrap();
    let mut max_diff = 0.0f64;
    assert_eq!(out.rows.len(), table.rows.len());
    let mut n_cols = 0;
    for (c, name) in table.headers.iter().enumerate() {
        if !(name.starts_with("out_") || name.starts_with("exo_")) {
            continue;
        }
        n_cols += 1;
        let ours = out
            .column(name)
            .unwrap_or_else(|| panic!("{}: we do not write column {name}", meta_path.display()));
        for (r, row) in table.rows.iter().enumerate() {
            let (want, got) = (row[c], ours[r]);
            let ok = (want - got).abs() <= 1e-9 || (want.is_nan() && got.is_nan());
            max_diff = max_diff.max((want - got).abs());
            assert!(
                ok,
                "{}: row {r} column {name}: reference {want}, replay {got}",
                meta_path.display()
            );
        }
    }
    assert!(
        n_cols >= 50,
        "{}: only {n_cols} output columns compared",
        meta_path.display()
    );
    // and no column the reference lacks
    for h in &out.headers {
        assert!(
            table.col(h).is_some(),
            "{}: we write {h}, the reference has no such column",
            meta_path.display()
        );
    }
    max_diff
}

#[test]
fn every_reflex_case_reproduced_in_f64() {
    for meta_path in cases() {
        let meta = Meta::read(&meta_path).unwrap();
        assert!(!meta.files.is_empty(), "{}: no files", meta_path.display());
        let table = CsvTable::read_parts(&meta.files, true).unwrap();
        let d = compare(&meta_path, &meta.setup, &table);
        eprintln!("{}: max |difference| = {d:e}", meta_path.display());
    }
}

/// Without the meta's recorded reset values: reset from the first row, the pose parameters
/// and the flags (what `replay --params` does) gives the same outputs.
#[test]
fn every_reflex_case_reproduced_from_params_and_flags() {
    for meta_path in cases() {
        let meta = Meta::read(&meta_path).unwrap();
        let table = CsvTable::read_parts(&meta.files, true).unwrap();
        let s = &meta.setup;
        let setup =
            replay::ReplaySetup::from_params(&meta_path, s.params.clone(), s.mode, s.pose, s.exo)
                .unwrap();
        compare(&meta_path, &setup, &table);
    }
}

#[test]
fn f32_instantiation_runs_on_every_case() {
    for meta_path in cases() {
        let meta = Meta::read(&meta_path).unwrap();
        let table = CsvTable::read_parts(&meta.files, true).unwrap();
        let out = replay::run::<f32>(&meta.setup, &table).unwrap();
        assert_eq!(out.rows.len(), table.rows.len());
        let mut max_diff = 0.0f64;
        for (c, name) in table
            .headers
            .iter()
            .enumerate()
            .filter(|(_, n)| n.contains("_stim_"))
        {
            let ours = out.column(name).unwrap();
            for (r, row) in table.rows.iter().enumerate() {
                assert!(
                    (0.01 - 1e-7..=1.0).contains(&ours[r]),
                    "{name} row {r}: {}",
                    ours[r]
                );
                max_diff = max_diff.max((row[c] - ours[r]).abs());
            }
        }
        // f32 follows f64 closely at least at the start (phase switches may shift later)
        let first = out.column("out_r_stim_GLU").unwrap()[0];
        let want = table.column("out_r_stim_GLU").unwrap()[0];
        assert!(
            (first - want).abs() < 1e-5,
            "{}: f32 {first} vs f64 {want}",
            meta_path.display()
        );
        eprintln!(
            "{}: f32 max |stim - f64 reference| = {max_diff:e}",
            meta_path.display()
        );
    }
}
