//! Property tests of the reflex controller: no parameter vector and no sensor input (including
//! NaN and infinities) makes it panic, and every stimulation it sends is finite and in
//! [0.01, 1], in f64 and in f32, delayed and non-delayed.

use controller::float::Real;
use controller::muscles::N_MUSCLES;
use controller::params::pose::{Pose, PoseKey};
use controller::params::reflex_table::ReflexParams;
use controller::params::{ExoKind, Layout};
use controller::reflex::{DelayMode, LegSensors, Reflex, ResetState, Sensors};
use proptest::prelude::*;

/// Any f64: ordinary magnitudes most of the time, plus extremes and non-finite values.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -10.0f64..10.0,
        1 => prop::num::f64::ANY,
        1 => prop::sample::select(vec![0.0, -0.0, 0.1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e308, -1e308, 1e-310]),
    ]
}

fn leg(v: &[f64], contact: (bool, bool)) -> LegSensors<f64> {
    LegSensors {
        load_ipsi: v[0],
        load_contra: v[1],
        contact_ipsi: contact.0,
        contact_contra: contact.1,
        talus_contra_pos_x: v[2],
        talus_contra_vel_x: v[3],
        phi_hip: v[4],
        dphi_hip: v[5],
        phi_knee: v[6],
        dphi_knee: v[7],
        phi_ankle: v[8],
        phi_mtp: v[9],
        f_glu: v[10],
        f_ham: v[11],
        f_vas: v[12],
        f_gas: v[13],
        f_sol: v[14],
        f_fdl: v[15],
    }
}

fn sensors() -> impl Strategy<Value = Sensors<f64>> {
    (prop::collection::vec(value(), 36), any::<[bool; 4]>()).prop_map(|(v, c)| Sensors {
        theta: v[0],
        dtheta: v[1],
        pelvis_pos_x: v[2],
        pelvis_vel_x: v[3],
        leg: [leg(&v[4..20], (c[0], c[1])), leg(&v[20..36], (c[2], c[3]))],
    })
}

fn check<R: Real>(
    mode: DelayMode,
    pose: PoseKey,
    x: &[f64],
    samples: &[Sensors<f64>],
) -> Result<(), TestCaseError> {
    let p: Vec<R> = x.iter().map(|&v| R::c(v)).collect();
    let reflex51: [R; 51] = core::array::from_fn(|i| p[i]);
    let params = ReflexParams::from_normalized(&reflex51);
    let pose_vals = Pose::from_vector(&p, pose).unwrap();
    let mut c = Reflex::<R>::new(mode);
    let init = ResetState {
        pose,
        sample: samples[0].cast(),
        act: pose_vals.act,
    };
    c.reset(&init, &params);
    for s in samples {
        let out = c.step(&s.cast());
        for leg in out.stim {
            for v in leg {
                let v = v.f64();
                prop_assert!(
                    v.is_finite() && (0.01 - 1e-7..=1.0).contains(&v),
                    "stim {v}"
                );
            }
        }
        let u = out.actuator_ctrl();
        prop_assert_eq!(u.len(), 2 * N_MUSCLES);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn stimulations_always_in_range(
        x in prop::collection::vec(value(), 77),
        samples in prop::collection::vec(sensors(), 1..40),
        delayed in any::<bool>(),
        right in any::<bool>(),
    ) {
        let mode = DelayMode::from_flag(delayed);
        let pose = if right { PoseKey::WalkRight } else { PoseKey::WalkLeft };
        check::<f64>(mode, pose, &x, &samples)?;
        check::<f32>(mode, pose, &x, &samples)?;
    }

    #[test]
    fn layout_x0_inside_bounds(n in 1usize..=controller::params::MAX_NPOINT, four in any::<bool>(), on in any::<bool>()) {
        let l = Layout::from_flags(on, four, n).unwrap();
        let expect = match (on, four) { (false, _) => 77, (true, true) => 81, (true, false) => 77 + 2 * n };
        prop_assert_eq!(l.len(), expect);
        let x0: Vec<f64> = l.x0_iter().collect();
        let b: Vec<(f64, f64)> = l.bounds().collect();
        prop_assert_eq!(x0.len(), expect);
        prop_assert_eq!(b.len(), expect);
        for (v, (lo, hi)) in x0.iter().zip(&b) {
            prop_assert!(*lo <= *v && *v <= *hi);
        }
        if let Some(ExoKind::NPoint(_)) = l.exo {
            prop_assert_eq!(x0[77 + n / 2], 0.5);
        }
    }
}
