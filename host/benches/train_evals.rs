//! `cargo bench -p myoreflex --bench train_evals`: full training evaluations per second (episode
//! + cost, the `train` objective) at 1 and 2 threads, on a controller that walks on the native
//! simulator (the shipped `results/preoptimized/baseline_1_25`, 1.25 m/s, with its own config),
//! slightly perturbed per candidate like a CMA-ES population, so that episodes run their whole
//! `sim_time` (20 s) unless they fall (a cost near 9.9e4).
//! Goal (issue 4): at least 50 full 20 s evaluations per second per core.

use std::time::Instant;

use myoreflex::optim::Evaluator;
use myoreflex::train::episode::EpisodeProblem;
use myoreflex::train::Problem;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../results/preoptimized/baseline_1_25");
    // the folder's parameter file and saved config (whatever the run's names)
    let pick = |suffix: &str| {
        let mut v: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                n.ends_with(suffix) && n != "bands.json"
            })
            .collect();
        v.sort();
        v.pop().unwrap_or_else(|| {
            eprintln!("error: no *{suffix} in {}", dir.display());
            std::process::exit(1);
        })
    };
    let params = pick("_Best.txt");
    let config = pick(".json");
    let x = match myoreflex::io::read_params(&params) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let cfg = match myoreflex::config::load(Some(&config.to_string_lossy()), &[]) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let problem = match EpisodeProblem::new(&cfg) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let lambda = 8;
    let pop: Vec<Vec<f64>> = (0..lambda)
        .map(|k| {
            x.iter()
                .enumerate()
                .map(|(i, v)| v * (1.0 + 1e-3 * (((i + 3 * k) % 7) as f64 - 3.0) / 3.0))
                .collect()
        })
        .collect();
    let walked = problem.cost(&x);
    for threads in [1, 2] {
        let ev = match Evaluator::new(threads) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        let _warm = ev.evaluate(&|x: &[f64]| problem.cost(x), &pop[..threads]);
        let t = Instant::now();
        let costs = ev.evaluate(&|x: &[f64]| problem.cost(x), &pop);
        let s = t.elapsed().as_secs_f64();
        let best = costs.iter().cloned().fold(f64::INFINITY, f64::min);
        println!(
            "train_evals/baseline_1_25 (sim_time {} s, cost of the unperturbed vector {walked:.2}, best of population {best:.2}): {threads} thread(s): {:.2} evaluations/s ({:.2} per thread)",
            cfg.sim_time,
            lambda as f64 / s,
            lambda as f64 / s / threads as f64
        );
    }
}
