//! The episode objective of `train`: reusing an engine for the next episode gives bit-identical
//! costs to a fresh engine (so results do not depend on which thread ran what), and a short
//! real training run completes.

use myoreflex::train::episode::EpisodeProblem;
use myoreflex::train::Problem;

fn cfg(name: &str, sim_time: f64) -> myoreflex::config::RunConfig {
    myoreflex::config::load(
        Some(name),
        &[("sim_time".into(), serde_json::json!(sim_time))],
    )
    .unwrap()
}

#[test]
fn reused_engine_gives_the_same_cost_as_a_fresh_one() {
    let c = cfg("tutorial", 1.5);
    let layout =
        controller::params::Layout::from_flags(c.exo_on, c.use_4param_spline, c.n_points).unwrap();
    let x0: Vec<f64> = layout.x0_iter().collect();
    let mut x1 = x0.clone();
    for (i, v) in x1.iter_mut().enumerate().take(50) {
        *v += 0.05 * ((i * 7919 % 13) as f64 - 6.0) / 6.0;
    }
    let used = EpisodeProblem::new(&c).unwrap();
    let a0 = used.cost(&x0);
    let a1 = used.cost(&x1);
    let b0 = used.cost(&x0);
    let fresh = EpisodeProblem::new(&c).unwrap();
    let c1 = fresh.cost(&x1);
    eprintln!(
        "costs: x0 {a0} / {b0}, x1 {a1} / {c1}; errors {:?}",
        used.errors()
    );
    assert_eq!(a0.to_bits(), b0.to_bits());
    assert_eq!(a1.to_bits(), c1.to_bits());
    assert_ne!(
        a0.to_bits(),
        a1.to_bits(),
        "the perturbation should change the cost"
    );
    let (total, text) = used.cost_report(&x0);
    assert_eq!(total.to_bits(), a0.to_bits());
    assert!(!text.is_empty());
}
