//! No parameter slice or load sequence makes the exo controller panic or command a
//! non-finite or out-of-range torque.

use controller::exo::{ExoController, ExoKind, Knots, Pchip, SlewLimiter, MAX_POINTS};
use proptest::prelude::*;

/// Any f64, weighted toward the interesting ones.
fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0..1.0f64,
        1 => -2.0..3.0f64,
        1 => prop::sample::select(vec![0.0, 1.0, 0.01, 0.5, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, -1e-300]),
        1 => any::<f64>(),
    ]
}

fn kind() -> impl Strategy<Value = ExoKind> {
    prop_oneof![
        Just(ExoKind::FourParam),
        (0usize..=MAX_POINTS + 1).prop_map(ExoKind::NPoint)
    ]
}

fn case() -> impl Strategy<Value = (ExoKind, Vec<f64>, f64, bool)> {
    (kind(), any::<bool>(), any::<bool>()).prop_flat_map(|(k, wrong_len, fixed)| {
        let len = if wrong_len {
            0..40usize
        } else {
            k.len()..k.len() + 1
        };
        let max = prop_oneof![3 => 0.0..200.0f64, 1 => any_value()];
        (
            Just(k),
            prop::collection::vec(any_value(), len),
            max,
            Just(fixed),
        )
    })
}

fn loads() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![4 => 0.0..1.5f64, 1 => any_value()], 0..400)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn torque_is_finite_and_clamped((kind, p, max, fixed) in case(), loads in loads(), dt in prop_oneof![Just(0.01), Just(0.001), 1e-4..0.05f64]) {
        if let Ok(mut exo) = ExoController::new(kind, &p, max, fixed) {
            for &l in &loads {
                let t = exo.step(l, dt);
                prop_assert!(t.is_finite() && (0.0..=max).contains(&t), "torque {t} for load {l}");
                let pct = exo.stance_pct();
                prop_assert!((0.0..=100.0).contains(&pct));
            }
        }
        // The same in f32, the firmware's type.
        let p32: Vec<f32> = p.iter().map(|&v| v as f32).collect();
        if let Ok(mut exo) = ExoController::<f32>::new(kind, &p32, max as f32, fixed) {
            for &l in &loads {
                let t = exo.step(l as f32, dt as f32);
                prop_assert!(t.is_finite() && t >= 0.0 && t <= max as f32);
            }
        }
    }

    #[test]
    fn pchip_never_panics(x in prop::collection::vec(any_value(), 0..20), y in prop::collection::vec(any_value(), 0..20), v in any_value()) {
        let n = x.len().min(y.len());
        if let Ok(k) = Knots::from_slices(&x[..n], &y[..n]) {
            if let Ok(p) = Pchip::new(&k) {
                let _ = p.eval(v);
                let _ = p.eval_derivative(v);
            }
        }
    }

    #[test]
    fn pchip_stays_within_data_on_valid_knots(mut x in prop::collection::vec(0.0..100.0f64, 2..18), y in prop::collection::vec(-50.0..50.0f64, 18), v in 0.0..1.0f64) {
        x.sort_by(f64::total_cmp);
        x.dedup();
        prop_assume!(x.len() >= 2 && x.windows(2).all(|w| w[1] > w[0]));
        let y = &y[..x.len()];
        let p = Pchip::new(&Knots::from_slices(&x, y).unwrap()).unwrap();
        let at = x[0] + v * (x[x.len() - 1] - x[0]);
        let r = p.eval(at);
        let (lo, hi) = y.iter().fold((f64::MAX, f64::MIN), |(a, b), &c| (a.min(c), b.max(c)));
        prop_assert!(r.is_finite() && r >= lo - 1e-9 && r <= hi + 1e-9, "{r} outside [{lo}, {hi}]");
    }

    #[test]
    fn slew_limiter_bounds_each_step(rate in any_value(), targets in prop::collection::vec(any_value(), 0..100), dt in any_value()) {
        let mut s = SlewLimiter::new(rate);
        let mut last = 0.0;
        for t in targets {
            let out = s.step(t, dt);
            prop_assert!(out.is_finite());
            if rate.is_finite() && rate >= 0.0 && dt.is_finite() && dt >= 0.0 {
                prop_assert!((out - last).abs() <= rate * dt * (1.0 + 1e-12) + 1e-300);
            }
            last = out;
        }
    }
}

#[test]
fn slew_limiter_reaches_target() {
    let mut s = SlewLimiter::new(1000.0); // 1 N m per ms
    let mut out = 0.0;
    for _ in 0..5 {
        out = s.step(3.5, 0.001);
    }
    assert_eq!(out, 3.5);
    assert_eq!(SlewLimiter::new(1000.0).step(3.5, 0.001), 1.0);
    assert_eq!(SlewLimiter::new(1000.0).step(-3.5, 0.001), -1.0);
}

#[test]
fn mujoco_control_is_minus_torque_over_100() {
    assert_eq!(controller::exo::mujoco_control(50.0f64), -0.5);
}
