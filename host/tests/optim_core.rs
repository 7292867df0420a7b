//! Behaviour of the CMA-ES core: determinism, checkpoint resume, thread independence, bounds
//! and pycma's termination rules (`../shared/spec/cmaes.md` section 4.3).

use myoreflex::optim::{BoundTransform, CmaEs, CmaOptions, Evaluator};

fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

fn rosen(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[0] * w[0] - w[1]).powi(2) + (w[0] - 1.0).powi(2))
        .sum()
}

fn opts(s: &str) -> CmaOptions {
    let mut o = CmaOptions::default();
    o.parse(s).unwrap();
    o
}

fn step(es: &mut CmaEs, f: fn(&[f64]) -> f64) {
    let xs = es.ask();
    let v: Vec<f64> = xs.iter().map(|x| f(x)).collect();
    es.tell(&v).unwrap();
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn checkpoint_resume_is_bit_identical() {
    let n = 12;
    let make = || {
        CmaEs::new(
            &vec![0.1; n],
            0.3,
            Some(&vec![2.0; n]),
            BoundTransform::none(n),
            opts("seed:5"),
        )
        .unwrap()
    };
    let mut straight = make();
    for _ in 0..120 {
        step(&mut straight, rosen);
    }
    let mut a = make();
    for _ in 0..40 {
        step(&mut a, rosen);
    }
    let json = serde_json::to_string(&a).unwrap();
    drop(a);
    let mut b: CmaEs = serde_json::from_str(&json).unwrap();
    for _ in 40..120 {
        step(&mut b, rosen);
    }
    assert_eq!(bits(b.mean()), bits(straight.mean()));
    assert_eq!(b.sigma().to_bits(), straight.sigma().to_bits());
    assert_eq!(bits(&b.best().x), bits(&straight.best().x));
    assert_eq!(b, straight);
}

#[test]
fn same_seed_same_result_for_any_thread_count() {
    let n = 8;
    let run = |threads: usize, seed: u64| {
        let ev = Evaluator::new(threads).unwrap();
        let mut es = CmaEs::new(
            &vec![0.0; n],
            0.5,
            None,
            BoundTransform::none(n),
            opts(&format!("seed:{seed}")),
        )
        .unwrap();
        for _ in 0..60 {
            let xs = es.ask();
            let v = ev.evaluate(&rosen, &xs);
            es.tell(&v).unwrap();
        }
        es
    };
    let one = run(1, 3);
    let two = run(2, 3);
    assert_eq!(one, two);
    assert_ne!(bits(run(1, 4).mean()), bits(one.mean()));
}

#[test]
fn bounds_keep_every_evaluation_feasible_and_reach_the_boundary() {
    // optimum of sum (x - 3)^2 lies outside [0, 1] in coordinates 0..3, inside [-inf, inf] else;
    // coordinate 4 has only a lower bound at 5
    let inf = f64::INFINITY;
    let lb = vec![0.0, 0.0, 0.0, -inf, 5.0];
    let ub = vec![1.0, 1.0, 1.0, inf, inf];
    let bt = BoundTransform::new(lb.clone(), ub.clone(), 5).unwrap();
    let mut es = CmaEs::new(
        &[0.5, 0.5, 0.5, 0.0, 6.0],
        0.3,
        None,
        bt,
        opts("seed:2,tolfun:1e-12,tolx:1e-12"),
    )
    .unwrap();
    let f = |x: &[f64]| x.iter().map(|v| (v - 3.0) * (v - 3.0)).sum::<f64>();
    while es.stop().is_empty() {
        let xs = es.ask();
        for x in &xs {
            for i in 0..5 {
                assert!(
                    x[i] >= lb[i] && x[i] <= ub[i],
                    "x[{i}] = {} out of bounds",
                    x[i]
                );
            }
        }
        let v: Vec<f64> = xs.iter().map(|x| f(x)).collect();
        es.tell(&v).unwrap();
    }
    let x = &es.best().x;
    for i in 0..3 {
        assert!((x[i] - 1.0).abs() < 1e-6, "x[{i}] = {}", x[i]);
    }
    assert!((x[3] - 3.0).abs() < 1e-5, "x[3] = {}", x[3]);
    assert!((x[4] - 5.0).abs() < 1e-6, "x[4] = {}", x[4]);
}

#[test]
fn start_on_a_bound_is_allowed() {
    let bt = BoundTransform::new(vec![1.0; 3], vec![50.0; 3], 3).unwrap();
    let mut es = CmaEs::new(&[1.0; 3], 0.1, None, bt, opts("seed:1")).unwrap();
    let xs = es.ask();
    assert!(xs.iter().flatten().all(|v| (1.0..=50.0).contains(v)));
}

#[test]
fn sphere_default_stop_is_tolfun_near_pycma() {
    let mut es = CmaEs::new(
        &[1.0; 10],
        1.0,
        None,
        BoundTransform::none(10),
        opts("seed:11"),
    )
    .unwrap();
    while es.stop().is_empty() {
        step(&mut es, sphere);
    }
    assert!(es.stop().iter().any(|s| s == "tolfun"), "{:?}", es.stop());
    let e = es.evaluations();
    assert!(
        (1800..=2900).contains(&e),
        "stopped after {e} evaluations (pycma about 2.3k)"
    );
}

#[test]
fn constant_function_stops_with_tolfun_after_one_iteration() {
    let mut es = CmaEs::new(
        &[1.0; 5],
        1.0,
        None,
        BoundTransform::none(5),
        opts("seed:1"),
    )
    .unwrap();
    step(&mut es, |_| 3.0);
    assert_eq!(es.iteration(), 1);
    assert!(es.stop().iter().any(|s| s == "tolfun"), "{:?}", es.stop());
}

#[test]
fn tiny_sigma_stops_with_tolfacupx() {
    let mut es = CmaEs::new(
        &[10.0; 5],
        1e-6,
        None,
        BoundTransform::none(5),
        opts("seed:1"),
    )
    .unwrap();
    while es.stop().is_empty() && es.iteration() < 200 {
        step(&mut es, sphere);
    }
    assert!(
        es.stop().iter().any(|s| s == "tolfacupx"),
        "{:?} at {}",
        es.stop(),
        es.iteration()
    );
    assert!(es.iteration() < 60, "{}", es.iteration());
}

#[test]
fn maxiter_and_nan_values() {
    let mut es = CmaEs::new(
        &[1.0; 5],
        0.5,
        None,
        BoundTransform::none(5),
        opts("seed:1,maxiter:7"),
    )
    .unwrap();
    let mut k = 0u64;
    while es.stop().is_empty() {
        let xs = es.ask();
        let v: Vec<f64> = xs
            .iter()
            .map(|x| {
                k += 1;
                if k % 7 == 0 {
                    f64::NAN
                } else {
                    sphere(x)
                }
            })
            .collect();
        es.tell(&v).unwrap();
    }
    assert_eq!(es.stop(), ["maxiter".to_string()]);
    assert_eq!(es.iteration(), 7);
    assert!(es.best().f.is_finite());
}

#[test]
fn bad_setup_is_an_error_not_a_panic() {
    let none = BoundTransform::none(2);
    assert!(CmaEs::new(
        &[],
        1.0,
        None,
        BoundTransform::none(0),
        CmaOptions::default()
    )
    .is_err());
    assert!(CmaEs::new(
        &[1.0, f64::NAN],
        1.0,
        None,
        none.clone(),
        CmaOptions::default()
    )
    .is_err());
    assert!(CmaEs::new(&[1.0, 1.0], -1.0, None, none.clone(), CmaOptions::default()).is_err());
    assert!(CmaEs::new(
        &[1.0, 1.0],
        1.0,
        Some(&[1.0]),
        none.clone(),
        CmaOptions::default()
    )
    .is_err());
    assert!(CmaEs::new(&[1.0; 3], 1.0, None, none.clone(), CmaOptions::default()).is_err());
    let mut es = CmaEs::new(&[1.0, 1.0], 1.0, None, none, CmaOptions::default()).unwrap();
    es.ask();
    assert!(es.tell(&[1.0]).is_err());
}

#[test]
fn coordinate_conditioning_moves_into_sigma_vec_and_still_converges() {
    // ellipsoid with axis ratio 1e5 (condition 1e10): C's variances pass 1e8 on the way
    let f = |x: &[f64]| -> f64 {
        let n = x.len();
        x.iter()
            .enumerate()
            .map(|(i, v)| 10f64.powf(10.0 * i as f64 / (n - 1) as f64) * v * v)
            .sum()
    };
    let mut es = CmaEs::new(
        &[1.0; 6],
        1.0,
        None,
        BoundTransform::none(6),
        opts("seed:3,ftarget:1e-10"),
    )
    .unwrap();
    while es.stop().is_empty() {
        let xs = es.ask();
        let v: Vec<f64> = xs.iter().map(|x| f(x)).collect();
        es.tell(&v).unwrap();
    }
    assert!(es.best().f <= 1e-10, "{:?} f {}", es.stop(), es.best().f);
    let sv = es.sigma_vec();
    let ratio =
        sv.iter().cloned().fold(0.0, f64::max) / sv.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(
        ratio > 100.0,
        "sigma_vec ratio {ratio}: the coordinate scaling was not moved out of C"
    );
}
