//! `train --cluster`: without the `mpi` feature a clear error naming it; with it, `mpirun -n 3
//! --oversubscribe` (rank 0 CMA-ES, 2 evaluating ranks) gives bit-identical result files and
//! checkpoint state to a local run with the same seed, and a worker rank that dies mid-run
//! stops the job with a checkpoint whose resume ends bit-identical too.
//! (Run by scripts/test.d/60-mpi.sh: `cargo test -p myoreflex --features mpi --test train_cluster`.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_myoreflex")
}

fn work(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "myoreflex-train-cluster-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn debug_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../training_configs/debug.json")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(not(feature = "mpi"))]
#[test]
fn cluster_without_the_mpi_feature_is_a_clear_error() {
    let w = work("nofeature");
    let o = Command::new(bin())
        .current_dir(&w)
        .args(["train", "--objective", "sphere", "--config"])
        .arg(debug_config())
        .args(["--maxiter", "2", "--cluster", "--quiet"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("`mpi` cargo feature")
            && e.contains("--features mpi")
            && !e.contains("panicked"),
        "{e}"
    );
    assert!(
        !w.join("results").exists(),
        "no run folder for a refused run"
    );
    std::fs::remove_dir_all(&w).ok();
}

#[cfg(feature = "mpi")]
mod mpi {
    use super::*;

    /// Real episodes of the debug config, kept short (the baseline model: the debug config's
    /// own x0 falls at once, which would make every cost the same tier).
    const ARGS: [&str; 14] = [
        "--model",
        "baseline",
        "--popsize",
        "6",
        "--maxiter",
        "3",
        "--sim_time",
        "1",
        "--seed",
        "5",
        "--threads",
        "1",
        "--quiet",
        "--cluster",
    ];

    fn train(cwd: &Path, ranks: Option<usize>, extra: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = match ranks {
            Some(n) => {
                let mut c = Command::new("mpirun");
                c.args(["-n", &n.to_string(), "--oversubscribe"]);
                for (k, _) in env {
                    c.args(["-x", k]);
                }
                c.arg(bin());
                c
            }
            None => Command::new(bin()),
        };
        c.current_dir(cwd)
            .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
            .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        c.envs(env.iter().copied());
        c.arg("train").arg("--config").arg(debug_config());
        let args: Vec<&str> = if ranks.is_some() {
            ARGS.to_vec()
        } else {
            ARGS[..ARGS.len() - 1].to_vec()
        };
        c.args(args).args(extra);
        c.output().unwrap_or_else(|e| {
            panic!(
                "cannot start {:?} (is openmpi-bin installed?): {e}",
                c.get_program()
            )
        })
    }

    fn run_dir(cwd: &Path) -> PathBuf {
        let v: Vec<PathBuf> = std::fs::read_dir(cwd.join("results"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(v.len(), 1, "{v:?}");
        v[0].clone()
    }

    fn file_ending(dir: &Path, suffix: &str) -> PathBuf {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no *{suffix} in {}", dir.display()))
    }

    fn es_state(dir: &Path) -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(file_ending(dir, "_checkpoint.json")).unwrap(),
        )
        .unwrap();
        v["es"].clone()
    }

    /// The result files that must match bit for bit, and the generation rows without timings.
    fn results(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = [
            "_Best.txt",
            "_BestLast.txt",
            "_Best_Cost.txt",
            "_BestLast_Cost.txt",
        ]
        .iter()
        .map(|s| {
            (
                s.to_string(),
                std::fs::read_to_string(file_ending(dir, s)).unwrap(),
            )
        })
        .collect();
        let csv = std::fs::read_to_string(file_ending(dir, "_generations.csv")).unwrap();
        let rows: Vec<String> = csv
            .lines()
            .map(|l| l.split(',').take(10).collect::<Vec<_>>().join(","))
            .collect();
        out.push(("_generations.csv".into(), rows.join("\n")));
        out
    }

    #[test]
    fn mpirun_three_ranks_matches_the_local_run_and_survives_a_killed_worker() {
        let local = work("local");
        let o = train(&local, None, &[], &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let local = run_dir(&local);
        let want = results(&local);
        assert_eq!(want[4].1.lines().count(), 4, "3 generations: {}", want[4].1);
        let costs: Vec<&str> = want[4]
            .1
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(2).unwrap())
            .collect();
        assert!(
            costs.windows(2).any(|w| w[0] != w[1]),
            "the costs should vary: {costs:?}"
        );

        let cluster = work("mpi3");
        let o = train(&cluster, Some(3), &[], &[]);
        let e = stderr(&o);
        assert!(o.status.success(), "{e}");
        assert!(e.contains("rank 0 of 3"), "{e}");
        let cluster = run_dir(&cluster);
        assert_eq!(results(&cluster), want);
        assert_eq!(es_state(&cluster), es_state(&local));
        assert!(
            cluster.join("outcmaes").is_dir() && file_ending(&cluster, "_convergence.svg").exists()
        );

        // the first worker to reach its 7th candidate (generation 2 at the earliest: a generation
        // has 6) dies instead of answering: the job stops, the checkpoint holds the last finished
        // generation, and resuming it (on 3 ranks) ends identical to the local run
        let killed = work("killed");
        let fail = [("MYOREFLEX_MPI_FAIL_AFTER", "7")];
        let o = train(&killed, Some(3), &[], &fail);
        assert!(
            !o.status.success(),
            "the job should stop when a rank dies: {}",
            stderr(&o)
        );
        let dir = run_dir(&killed);
        let it = es_state(&dir)["countiter"]
            .as_u64()
            .unwrap_or_else(|| panic!("{:?}", es_state(&dir)));
        assert!((1..=3).contains(&it), "checkpoint at generation {it}");
        let o = train(
            &killed,
            Some(3),
            &["--pickle_path", dir.to_str().unwrap()],
            &[],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(results(&dir), want);
        assert_eq!(es_state(&dir), es_state(&local));
        for d in [local, cluster, dir] {
            std::fs::remove_dir_all(d.parent().unwrap().parent().unwrap()).ok();
        }
    }
}
