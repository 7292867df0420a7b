//! `myoreflex train` on real (short) episodes: a SIGINT stops the run at a generation boundary
//! with the checkpoint and result files written and a non-zero exit, and `--pickle_path` then
//! finishes it with the same final parameters as an uninterrupted run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn work(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("myoreflex-train-sig-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn args(save: &str, maxiter: &str) -> Vec<String> {
    [
        "train",
        "--config",
        "tutorial",
        "--sim_time",
        "1",
        "--popsize",
        "4",
        "--maxiter",
        maxiter,
        "--seed",
        "5",
        "--threads",
        "2",
        "--quiet",
        "--save_path",
        save,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run_dir(cwd: &Path, stem: &str) -> PathBuf {
    std::fs::read_dir(cwd.join("results"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(stem))
        .unwrap()
}

fn best(dir: &Path) -> Vec<u8> {
    let p = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_str().unwrap().ends_with("_Best.txt"))
        .unwrap();
    std::fs::read(p).unwrap()
}

#[test]
fn sigint_checkpoints_and_resume_finishes_identically() {
    let w = work("int");
    let bin = env!("CARGO_BIN_EXE_myoreflex");
    let maxiter = "25";
    let full = Command::new(bin)
        .current_dir(&w)
        .args(args("results/full", maxiter))
        .output()
        .unwrap();
    assert!(
        full.status.success(),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );

    let mut child = Command::new(bin)
        .current_dir(&w)
        .args(args("results/int", maxiter))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // wait for the first generation's checkpoint, then interrupt
    let t0 = Instant::now();
    loop {
        let done = w.join("results").exists()
            && std::fs::read_dir(w.join("results"))
                .unwrap()
                .flatten()
                .any(|e| {
                    let p = e.path();
                    p.file_name().unwrap().to_str().unwrap().starts_with("int_")
                        && std::fs::read_dir(&p)
                            .unwrap()
                            .flatten()
                            .any(|f| f.path().to_str().unwrap().ends_with("_generations.csv"))
                });
        if done || t0.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let dir = run_dir(&w, "int_");
    eprintln!("interrupted run: {err}");
    if out.status.success() {
        // the run finished before the signal arrived: nothing to resume, results must match
        assert_eq!(best(&dir), best(&run_dir(&w, "full_")));
        return;
    }
    assert!(
        err.contains("interrupted") && err.contains("--pickle_path"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let resumed = Command::new(bin)
        .current_dir(&w)
        .args([
            "train",
            "--config",
            "tutorial",
            "--sim_time",
            "1",
            "--quiet",
            "--pickle_path",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert_eq!(best(&dir), best(&run_dir(&w, "full_")));
    std::fs::remove_dir_all(&w).ok();
}
