//! A training run that is stopped (by `--maxiter` or an interrupt) and resumed from its
//! checkpoint ends with bit-identical result files to an uninterrupted run with the same seed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use myoreflex::optim::{BoundTransform, CmaOptions};
use myoreflex::results::Checkpoint;
use myoreflex::train::{self, NewRun, Problem, RunSettings};

/// A shifted Rosenbrock with bounds-relevant optimum; counts evaluations and can raise the
/// interrupt flag after a number of them.
struct Rosen<'a> {
    calls: AtomicU64,
    interrupt_after: u64,
    flag: &'a AtomicBool,
}

impl Problem for Rosen<'_> {
    fn cost(&self, x: &[f64]) -> f64 {
        let k = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if k == self.interrupt_after {
            self.flag.store(true, Ordering::SeqCst);
        }
        x.windows(2)
            .map(|w| 100.0 * (w[0] * w[0] - w[1]).powi(2) + (w[0] - 1.0).powi(2))
            .sum()
    }
    fn cost_report(&self, x: &[f64]) -> (f64, String) {
        let c = self.cost(x);
        (c, format!("Total_Cost : {c}\n"))
    }
}

fn new_run(dir: &Path, maxiter: u64) -> NewRun {
    std::fs::create_dir_all(dir).unwrap();
    let n = 6;
    let mut o = CmaOptions::default();
    o.parse(&format!("seed:42,maxiter:{maxiter}")).unwrap();
    let mut lb = vec![0.0; n];
    lb[5] = f64::NEG_INFINITY;
    NewRun {
        x0: vec![0.5; n],
        bounds: BoundTransform::new(lb, vec![2.0; n], n).unwrap(),
        sigma0: 0.01,
        stds: vec![10.0; n],
        options: o,
        run_dir: dir.to_path_buf(),
        trial: "myorfl_Test_2D_1_25_2026Jan01_0000_None".into(),
        stamp: "0101_0000".into(),
        config_name: "test".into(),
        config: serde_json::json!({}),
    }
}

fn files(dir: &Path) -> Vec<Vec<u8>> {
    [
        "Best.txt",
        "BestLast.txt",
        "Best_Cost.txt",
        "BestLast_Cost.txt",
    ]
    .iter()
    .map(|f| {
        std::fs::read(dir.join(format!("myorfl_Test_2D_1_25_2026Jan01_0000_None_{f}"))).unwrap()
    })
    .collect()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("myoreflex-train-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn settings(threads: usize) -> RunSettings {
    RunSettings {
        threads,
        progress: false,
    }
}

#[test]
fn resume_after_maxiter_split_and_interrupt_is_bit_identical() {
    let never = AtomicBool::new(false);
    let p = Rosen {
        calls: AtomicU64::new(0),
        interrupt_after: 0,
        flag: &never,
    };

    // uninterrupted, 2 threads
    let a = tmp("a");
    let ck = train::start(new_run(&a, 40)).unwrap();
    let sa = train::run(ck, &p, settings(2), &never).unwrap();
    assert_eq!(sa.generations, 40);
    assert_eq!(sa.reasons, vec!["maxiter".to_string()]);

    // split by maxiter: 15 generations, then resume from the folder with maxiter 40, 1 thread
    let b = tmp("b");
    let ck = train::start(new_run(&b, 15)).unwrap();
    let sb1 = train::run(ck, &p, settings(1), &never).unwrap();
    assert_eq!(sb1.generations, 15);
    let mut ck = Checkpoint::load(&b).unwrap();
    ck.es.set_maxiter(40);
    let sb = train::run(ck, &p, settings(1), &never).unwrap();

    // interrupted after 100 evaluations (inside generation 11), resumed from the file
    let c = tmp("c");
    let flag = AtomicBool::new(false);
    let pi = Rosen {
        calls: AtomicU64::new(0),
        interrupt_after: 100,
        flag: &flag,
    };
    let ck = train::start(new_run(&c, 40)).unwrap();
    let sc1 = train::run(ck, &pi, settings(2), &flag).unwrap();
    assert!(sc1.interrupted && sc1.generations < 40, "{sc1:?}");
    let ck = Checkpoint::load(&c.join("myorfl_Test_2D_1_25_2026Jan01_0000_None_checkpoint.json"))
        .unwrap();
    assert_eq!(ck.es.iteration(), sc1.generations);
    let sc = train::run(ck, &p, settings(2), &never).unwrap();

    for s in [&sb, &sc] {
        assert_eq!(s.generations, sa.generations);
        assert_eq!(
            s.best.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            sa.best.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(
            s.best_last.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            sa.best_last.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }
    assert_eq!(files(&b), files(&a));
    assert_eq!(files(&c), files(&a));
    // the final checkpoints hold the same state too
    assert_eq!(
        Checkpoint::load(&a).unwrap().es,
        Checkpoint::load(&c).unwrap().es
    );
    // logs: one csv row and one fit.dat row per generation, across the resume
    let csv =
        std::fs::read_to_string(c.join("myorfl_Test_2D_1_25_2026Jan01_0000_None_generations.csv"))
            .unwrap();
    assert_eq!(csv.lines().count(), 41);
    let fit =
        std::fs::read_to_string(c.join("outcmaes/myorfl_Test_2D_1_25_2026Jan01_0000_None_fit.dat"))
            .unwrap();
    assert_eq!(fit.lines().filter(|l| !l.starts_with('%')).count(), 40);
    assert!(c
        .join("myorfl_Test_2D_1_25_2026Jan01_0000_None_convergence.svg")
        .exists());
    for d in [a, b, c] {
        std::fs::remove_dir_all(d).ok();
    }
}

#[test]
fn corrupt_or_missing_checkpoints_are_clear_errors() {
    let d = tmp("corrupt");
    std::fs::create_dir_all(&d).unwrap();
    let e = Checkpoint::load(&d).unwrap_err().to_string();
    assert!(e.contains("no checkpoint"), "{e}");
    let f = d.join("x_checkpoint.json");
    std::fs::write(
        &f,
        "{\"format\": \"myoreflex-cmaes-checkpoint\", \"version\": 1, \"trial\": 3",
    )
    .unwrap();
    let e = Checkpoint::load(&d).unwrap_err().to_string();
    assert!(
        e.contains("corrupt") && e.contains("x_checkpoint.json"),
        "{e}"
    );
    std::fs::write(&f, "{}").unwrap();
    assert!(Checkpoint::load(&f)
        .unwrap_err()
        .to_string()
        .contains("corrupt"));
    // a truncated but parseable state is caught by the consistency check
    let never = AtomicBool::new(false);
    let ck = train::start(new_run(&d.join("run"), 3)).unwrap();
    let mut v: serde_json::Value = serde_json::to_value(&ck).unwrap();
    v["es"]["mean"] = serde_json::json!([1.0]);
    std::fs::write(&f, v.to_string()).unwrap();
    let e = Checkpoint::load(&f).unwrap_err().to_string();
    assert!(e.contains("mean"), "{e}");
    let e = Checkpoint::load(&d.join("r.pkl")).unwrap_err().to_string();
    assert!(e.contains("pycma pickle"), "{e}");
    drop(never);
    std::fs::remove_dir_all(&d).ok();
}
