//! Evaluation counts to reach f ≤ 1e-8 against pycma 4.5.0's medians over 11 seeds
//! (`../shared/spec/cmaes.md` section 4.1): the median must lie within ±15 % of pycma's.

use myoreflex::optim::{BoundTransform, CmaEs, CmaOptions};

fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

fn elli(x: &[f64]) -> f64 {
    let n = x.len();
    x.iter()
        .enumerate()
        .map(|(i, v)| 10f64.powf(6.0 * i as f64 / (n - 1) as f64) * v * v)
        .sum()
}

fn rosen(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[0] * w[0] - w[1]).powi(2) + (w[0] - 1.0).powi(2))
        .sum()
}

/// Evaluations at which the best-ever value first reached 1e-8 (pycma `evals_best`), or None.
fn run(f: fn(&[f64]) -> f64, x0: f64, sigma0: f64, n: usize, seed: u64) -> Option<u64> {
    let mut o = CmaOptions::default();
    o.seed = Some(seed);
    o.ftarget = Some(1e-8);
    let mut es = CmaEs::new(&vec![x0; n], sigma0, None, BoundTransform::none(n), o).unwrap();
    while es.stop().is_empty() {
        let xs = es.ask();
        let v: Vec<f64> = xs.iter().map(|x| f(x)).collect();
        es.tell(&v).unwrap();
    }
    (es.best().f <= 1e-8).then_some(es.best().evals)
}

fn check(name: &str, f: fn(&[f64]) -> f64, x0: f64, sigma0: f64, anchor: f64, min_success: usize) {
    let runs: Vec<Option<u64>> = (1..=11).map(|s| run(f, x0, sigma0, 10, 1000 + s)).collect();
    let mut ok: Vec<u64> = runs.iter().flatten().copied().collect();
    ok.sort();
    // failures count as infinitely many evaluations, as a median over all 11 runs
    let mut all: Vec<f64> = runs
        .iter()
        .map(|r| r.map(|v| v as f64).unwrap_or(f64::INFINITY))
        .collect();
    all.sort_by(f64::total_cmp);
    let med = all[5];
    eprintln!(
        "{name}-10: median {med} evaluations (pycma {anchor}), successes {}/11, runs {ok:?}",
        ok.len()
    );
    assert!(
        ok.len() >= min_success,
        "{name}: only {}/11 runs reached 1e-8",
        ok.len()
    );
    assert!(
        med <= 1.15 * anchor && med >= 0.85 * anchor,
        "{name}: median {med} is not within 15% of pycma's {anchor}"
    );
}

#[test]
fn sphere_10d_matches_pycma() {
    check("sphere", sphere, 1.0, 1.0, 1257.0, 10);
}

#[test]
fn ellipsoid_10d_matches_pycma() {
    check("ellipsoid", elli, 1.0, 1.0, 3978.0, 10);
}

#[test]
fn rosenbrock_10d_matches_pycma() {
    check("rosenbrock", rosen, 0.0, 0.5, 5250.0, 9);
}
