//! `myoreflex eval --engine mujoco` through the binary reproduces the shipped MyoAssist result:
//! every `_Best.txt` of `params/optim_results/*/` evaluated with its own launcher (`.bat`) and
//! the cost type its file name carries (`myorfl_Kine_...`), with `--myoassist_parity`, gives the
//! total cost and every scalar of the recorded `_Best_Cost.txt` dictionary to 1e-6 relative
//! (tutorial_example: total 150.1171930).

#![cfg(feature = "mujoco")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `(Best file, launcher, cost flag)` for every optim_results folder with a `_Best_Cost.txt`.
fn cases() -> Vec<(PathBuf, PathBuf, &'static str)> {
    let root = myoreflex::reference::dir().join("params/optim_results");
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("optim_results")
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for d in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .expect("folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let name = |p: &Path| {
            p.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string()
        };
        let Some(best) = files.iter().find(|p| name(p).ends_with("_Best.txt")) else {
            continue;
        };
        if !files.iter().any(|p| name(p).ends_with("_Best_Cost.txt")) {
            continue;
        }
        let Some(bat) = files.iter().find(|p| name(p).ends_with(".bat")) else {
            continue;
        };
        let flag = match name(best).split('_').nth(1) {
            Some("Kine") => "--kinematics",
            Some("Eff") => "--effort",
            other => panic!(
                "{}: unknown cost type {other:?} in the file name",
                best.display()
            ),
        };
        out.push((best.clone(), bat.clone(), flag));
    }
    out
}

/// The numeric entries of a `_Cost.txt` file (`Key : value`; vectors and `None` skipped).
fn cost_file(p: &Path) -> Vec<(String, f64)> {
    std::fs::read_to_string(p)
        .expect("cost file")
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(" : ")?;
            Some((k.trim().to_string(), v.trim().parse::<f64>().ok()?))
        })
        .collect()
}

#[test]
fn mujoco_eval_cli_reproduces_recorded_costs() {
    let cases = cases();
    assert!(!cases.is_empty(), "no optim_results with a _Best_Cost.txt");
    let recorded_total = |best: &Path| -> Option<f64> {
        // the recorded total of tutorial_example (reference README section 11)
        best.to_string_lossy()
            .contains("tutorial_example")
            .then_some(150.1171930017739)
    };
    let mut checked = 0;
    for (best, bat, flag) in cases {
        let out_dir =
            std::env::temp_dir().join(format!("myoreflex-mujoco-eval-{}", std::process::id()));
        let o = Command::new(env!("CARGO_BIN_EXE_myoreflex"))
            .args(["eval", "--config"])
            .arg(&bat)
            .arg("--params")
            .arg(&best)
            .args([
                "--engine",
                "mujoco",
                "--myoassist_parity",
                flag,
                "--json",
                "--out",
            ])
            .arg(&out_dir)
            .output()
            .expect("run myoreflex");
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{}: eval failed: {}",
            best.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value =
            serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
        let cost_txt = PathBuf::from(
            best.to_string_lossy()
                .replace("_Best.txt", "_Best_Cost.txt"),
        );
        let mut bad = Vec::new();
        for (k, want) in cost_file(&cost_txt) {
            let Some(got) = v[&k].as_f64() else { continue };
            if (got - want).abs() > 1e-6 * want.abs().max(1e-3) {
                bad.push(format!("{k}: got {got} want {want}"));
            }
            checked += 1;
        }
        if let Some(want) = recorded_total(&best) {
            let got = v["cost"].as_f64().expect("cost");
            eprintln!(
                "{}: total {got} vs recorded {want} (rel {:e})",
                best.display(),
                (got - want).abs() / want
            );
            if (got - want).abs() > 1e-6 * want {
                bad.push(format!("total cost: got {got} want {want}"));
            }
        }
        assert!(bad.is_empty(), "{}:\n{}", best.display(), bad.join("\n"));
        let _ = std::fs::remove_dir_all(&out_dir);
    }
    assert!(checked > 0);
}
