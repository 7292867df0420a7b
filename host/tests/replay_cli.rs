//! `myoreflex replay` through the binary: a reference case reproduced end to end, and the error
//! paths (bad CSV, missing column, wrong parameter count, NaN) give a clear one-line error with
//! the file and line, a non-zero exit and no panic.

use myoreflex::io::CsvTable;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_myoreflex"))
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "myoreflex-replay-cli-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The first reflex case with an exo (4-param) and its data files, found by globbing.
fn nd_case() -> (PathBuf, Vec<PathBuf>) {
    let dir = myoreflex::reference::dir();
    let mut metas: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reflex_") && n.ends_with("_meta.json"))
        })
        .collect();
    metas.sort();
    assert!(!metas.is_empty());
    for m in metas {
        let j: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&m).unwrap()).unwrap();
        let files: Vec<PathBuf> = j["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| dir.join(f.as_str().unwrap()))
            .collect();
        if j["config_flags"]["ExoOn"].as_i64() == Some(1) {
            return (m, files);
        }
    }
    panic!("no reflex case with exo in {}", dir.display());
}

fn run_err<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S]) -> String {
    let o = bin().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!o.status.success(), "expected failure for {args:?}");
    assert!(!err.contains("panicked"), "panic for {args:?}: {err}");
    assert!(err.starts_with("error: "), "{err}");
    err
}

/// A params file with the case's vector and a small sensor log (first rows of the case).
fn small_inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let (meta, files) = nd_case();
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let x: Vec<f64> = j["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let p = dir.join("params.txt");
    myoreflex::io::write_params(&p, &x).unwrap();
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let csv = dir.join("log.csv");
    std::fs::write(
        &csv,
        text.lines().take(21).collect::<Vec<_>>().join("\n") + "\n",
    )
    .unwrap();
    (p, csv)
}

#[test]
fn cli_reproduces_a_reference_case() {
    let (meta, files) = nd_case();
    let dir = tmpdir("ok");
    let out = dir.join("out.csv");
    let mut cmd = bin();
    cmd.arg("replay")
        .arg("--meta")
        .arg(&meta)
        .arg("--out")
        .arg(&out);
    for f in &files {
        cmd.arg("--inputs").arg(f);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ours = CsvTable::read(&out, false).unwrap();
    let reference = CsvTable::read_parts(&files, false).unwrap();
    assert_eq!(ours.rows.len(), reference.rows.len());
    for (c, name) in ours.headers.iter().enumerate() {
        let rc = reference.require(name).unwrap();
        for (a, b) in ours.rows.iter().zip(&reference.rows) {
            assert!(
                (a[c] - b[rc]).abs() <= 1e-9,
                "{name}: {} vs {}",
                a[c],
                b[rc]
            );
        }
    }
    // the same run from a parameter file and flags
    let (p, _) = small_inputs(&dir);
    let out2 = dir.join("out2.csv");
    let mut cmd = bin();
    cmd.args([
        "replay",
        "--ExoOn",
        "1",
        "--use_4param_spline",
        "--max_torque",
        "100",
        "--params",
    ])
    .arg(&p)
    .arg("--out")
    .arg(&out2);
    for f in &files {
        cmd.arg("--inputs").arg(f);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&out2).unwrap());
}

#[test]
fn cli_errors_name_file_and_line() {
    let dir = tmpdir("err");
    let (p, csv) = small_inputs(&dir);
    let out = dir.join("o.csv");
    let o = out.to_str().unwrap();
    let ps = p.to_str().unwrap();
    let exo = ["--ExoOn", "1", "--use_4param_spline", "--max_torque", "100"];
    let base = |params: &str, inputs: &str| -> Vec<String> {
        let mut v: Vec<String> = ["replay", "--params", params, "--inputs", inputs, "--out", o]
            .map(String::from)
            .to_vec();
        v.extend(exo.map(String::from));
        v
    };
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();

    // malformed CSV: a cell that is not a number on line 4
    let bad = dir.join("bad.csv");
    let mut l = lines.clone();
    let mut cells: Vec<String> = l[3].split(',').map(String::from).collect();
    cells[5] = "abc".into();
    let row = cells.join(",");
    l[3] = &row;
    std::fs::write(&bad, l.join("\n")).unwrap();
    let e = run_err(&base(ps, bad.to_str().unwrap()));
    assert!(e.contains("bad.csv: line 4") && e.contains("abc"), "{e}");

    // short row
    let short = dir.join("short.csv");
    let mut l = lines.clone();
    l[2] = "0,0.1";
    std::fs::write(&short, l.join("\n")).unwrap();
    let e = run_err(&base(ps, short.to_str().unwrap()));
    assert!(e.contains("short.csv: line 3"), "{e}");

    // missing column
    let miss = dir.join("missing.csv");
    let hdr = lines[0].replace("in_l_phi_knee", "in_l_phi_knee_renamed");
    let mut l = lines.clone();
    l[0] = &hdr;
    std::fs::write(&miss, l.join("\n")).unwrap();
    let e = run_err(&base(ps, miss.to_str().unwrap()));
    assert!(
        e.contains("missing.csv") && e.contains("missing column `in_l_phi_knee`"),
        "{e}"
    );

    // NaN in the inputs
    let nan = dir.join("nan.csv");
    let mut l = lines.clone();
    let mut cells: Vec<String> = l[5].split(',').map(String::from).collect();
    let c = lines[0]
        .split(',')
        .position(|h| h == "in_r_phi_hip")
        .unwrap();
    cells[c] = "nan".into();
    let row = cells.join(",");
    l[5] = &row;
    std::fs::write(&nan, l.join("\n")).unwrap();
    let e = run_err(&base(ps, nan.to_str().unwrap()));
    assert!(
        e.contains("nan.csv: line 6") && e.contains("in_r_phi_hip"),
        "{e}"
    );

    // wrong parameter count (no exo flags for an 81-value file)
    let e = run_err(&[
        "replay",
        "--params",
        ps,
        "--inputs",
        csv.to_str().unwrap(),
        "--out",
        o,
    ]);
    assert!(
        e.contains("params.txt") && e.contains("81 parameters") && e.contains("77"),
        "{e}"
    );

    // NaN in the parameter file, on line 3
    let pn = dir.join("nan_params.txt");
    let ptxt = std::fs::read_to_string(&p).unwrap();
    let mut pl: Vec<&str> = ptxt.lines().collect();
    pl[2] = "nan";
    std::fs::write(&pn, pl.join("\n")).unwrap();
    let e = run_err(&base(pn.to_str().unwrap(), csv.to_str().unwrap()));
    assert!(e.contains("nan_params.txt: line 3"), "{e}");

    // unreadable input file
    let e = run_err(&base(ps, dir.join("nope.csv").to_str().unwrap()));
    assert!(e.contains("nope.csv"), "{e}");
    assert!(!out.exists(), "no output on failure");
}
