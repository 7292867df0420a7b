//! `myoreflex train` end to end through the binary, with the hidden stand-in objective
//! (`--objective sphere`) so that no simulator time is spent: result files, resume through
//! `--pickle_path`, and clear errors (non-zero exit, no panic, earlier results untouched).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_myoreflex")
}

fn work(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("myoreflex-train-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn train(cwd: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(cwd)
        .arg("train")
        .arg("--objective")
        .arg("sphere")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The single run folder under `cwd/results` whose name starts with `stem`.
fn run_dir(cwd: &Path, stem: &str) -> PathBuf {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cwd.join("results"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with(stem))
        .collect();
    assert_eq!(v.len(), 1, "{v:?}");
    v.remove(0)
}

fn file_ending(dir: &Path, suffix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no *{suffix} in {}", dir.display()))
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn debug_config_writes_every_result_file_and_resumes_bit_identically() {
    let w = work("resume");
    let o = train(
        &w,
        &[
            "--config",
            "debug",
            "--maxiter",
            "12",
            "--seed",
            "9",
            "--save_path",
            "results/full",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let full = run_dir(&w, "full_");
    for suffix in [
        "_Best.txt",
        "_BestLast.txt",
        "_Best_Cost.txt",
        "_BestLast_Cost.txt",
        "_checkpoint.json",
        "_generations.csv",
        "_convergence.svg",
    ] {
        file_ending(&full, suffix);
    }
    let saved = full.join(format!(
        "{}.json",
        full.file_name().unwrap().to_str().unwrap()
    ));
    let saved =
        std::fs::read_to_string(&saved).unwrap_or_else(|e| panic!("{}: {e}", saved.display()));
    assert!(
        saved.contains("\"maxiter\": 12") && !saved.contains("n_points"),
        "{saved}"
    );
    for dat in ["fit", "xmean", "xrecentbest", "stddev", "axlen"] {
        file_ending(&full.join("outcmaes"), &format!("_{dat}.dat"));
    }
    let best = std::fs::read_to_string(file_ending(&full, "_Best.txt")).unwrap();
    assert_eq!(best.lines().count(), 81);
    assert!(
        best.lines().all(|l| l.contains("e+") || l.contains("e-")),
        "%.18e format: {best}"
    );

    // same run stopped after 5 generations and resumed with --pickle_path
    let o = train(
        &w,
        &[
            "--config",
            "debug",
            "--maxiter",
            "5",
            "--seed",
            "9",
            "--save_path",
            "results/split",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let split = run_dir(&w, "split_");
    // a --config that disagrees with the checkpoint's is refused, nothing is written
    let o = train(
        &w,
        &[
            "--config",
            "baseline",
            "--maxiter",
            "12",
            "--pickle_path",
            split.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("checkpoint") && stderr(&o).contains("drop --config"),
        "{}",
        stderr(&o)
    );
    // without --config the checkpoint's own config (debug, seed 9) is resumed
    let o = train(
        &w,
        &[
            "--maxiter",
            "12",
            "--pickle_path",
            split.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for suffix in ["_Best.txt", "_BestLast.txt", "_Best_Cost.txt"] {
        assert_eq!(
            std::fs::read(file_ending(&split, suffix)).unwrap(),
            std::fs::read(file_ending(&full, suffix)).unwrap(),
            "{suffix}"
        );
    }
    // threads do not change the result
    let o = train(
        &w,
        &[
            "--config",
            "debug",
            "--maxiter",
            "12",
            "--seed",
            "9",
            "--threads",
            "1",
            "--save_path",
            "results/one",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let one = run_dir(&w, "one_");
    assert_eq!(
        std::fs::read(file_ending(&one, "_Best.txt")).unwrap(),
        std::fs::read(file_ending(&full, "_Best.txt")).unwrap()
    );
    std::fs::remove_dir_all(&w).ok();
}

#[test]
fn bad_input_is_a_clear_error_and_leaves_earlier_results_alone() {
    let w = work("bad");
    let o = train(
        &w,
        &[
            "--config",
            "debug",
            "--maxiter",
            "2",
            "--seed",
            "1",
            "--save_path",
            "results/old",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let old = run_dir(&w, "old_");
    let before = snapshot(&w.join("results"));

    std::fs::write(w.join("short_BestLast.txt"), "1.0\n2.0\n").unwrap();
    std::fs::create_dir_all(w.join("nan")).unwrap();
    std::fs::write(w.join("nan/x_BestLast.txt"), "1.0\nnan\n").unwrap();
    std::fs::write(w.join("a_file"), "").unwrap();
    std::fs::create_dir_all(w.join("corrupt")).unwrap();
    std::fs::write(
        w.join("corrupt/r_checkpoint.json"),
        "{\"format\": \"myoreflex-cmaes",
    )
    .unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--config", "no_such_config"], "no_such_config"),
        (vec!["--config", "debug", "--popsize", "-4"], "popsize"),
        (
            vec!["--config", "debug", "--param_path", "short_BestLast.txt"],
            "holds 2 parameters",
        ),
        (vec!["--config", "debug", "--param_path", "nan"], "finite"),
        (
            vec!["--config", "debug", "--pickle_path", "corrupt"],
            "corrupt",
        ),
        (
            vec!["--config", "debug", "--save_path", "a_file/sub"],
            "results folder",
        ),
        (
            vec![
                "--config",
                "debug",
                "--cma_options",
                "tolfun:1e-9,tolfunny:3",
            ],
            "tolfunny",
        ),
        (
            vec!["--ExoOn", "0", "--pickle_path", old.to_str().unwrap()],
            "77",
        ),
        (
            vec![
                "--config",
                "baseline",
                "--pickle_path",
                old.to_str().unwrap(),
            ],
            "drop --config",
        ),
    ];
    for (args, needle) in cases {
        let mut a = args.clone();
        a.push("--quiet");
        let o = train(&w, &a);
        let e = stderr(&o);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(e.contains("error:") && e.contains(needle), "{args:?}: {e}");
        assert!(!e.contains("panicked"), "{args:?}: {e}");
    }
    assert_eq!(
        snapshot(&w.join("results")),
        before,
        "earlier results changed"
    );
    std::fs::remove_dir_all(&w).ok();
}
