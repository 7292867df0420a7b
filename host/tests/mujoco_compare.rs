//! Native simulator vs MuJoCo on every open-loop recording: the comparison runs, covers start
//! points, and the native simulator stays close over short horizons (loose bounds: this guards
//! the comparison itself and gross regressions; the figures are printed).

#![cfg(feature = "mujoco")]

use myoreflex::mujoco::{compare, models};
use myoreflex::sim::engine::NativeEngine;

#[test]
fn mujoco_compare_native_open_loop() {
    let recs = compare::recordings(&myoreflex::reference::dir()).expect("reference folder");
    assert!(!recs.is_empty(), "no dynamics recordings");
    for r in recs {
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&r).expect("meta")).expect("json");
        let name = meta["model"].as_str().expect("model");
        let mjcf = models::model_file(&models::reference_models_dir(), name).expect("model file");
        // the shipped model file, as eval builds it (hulls in MuJoCo's graph order)
        let model = myoreflex::model::shipped(name).expect("shipped model");
        let mut native =
            NativeEngine::new(myoreflex::sim::build::build(&model).expect("native model"))
                .expect("native engine");
        let rep = compare::compare(&r, &mjcf, &mut native).expect("compare");
        eprint!("{rep}");
        assert!(
            rep.start_points >= 5,
            "{}: only {} start points",
            rep.tag,
            rep.start_points
        );
        let h10 = &rep.horizons[0];
        assert_eq!(h10.ms, 10);
        assert!(
            h10.q_ang_median < 1e-3,
            "{}: median angular distance at 10 ms {:e} rad",
            rep.tag,
            h10.q_ang_median
        );
        assert!(
            h10.q_lin_median < 1e-4,
            "{}: median pelvis distance at 10 ms {:e} m",
            rep.tag,
            h10.q_lin_median
        );
    }
}

/// The closed-loop comparison runs the same parameters on both engines and reports the gait of
/// each; on MuJoCo the tutorial example walks the whole (shortened) episode.
#[test]
fn mujoco_compare_closed_loop_gait() {
    let dir = myoreflex::reference::dir().join("params/optim_results/tutorial_example");
    let params =
        myoreflex::io::read_params(&dir.join("myorfl_Kine_2D_1_25_2025Aug11_1439_None_Best.txt"))
            .expect("params");
    let cfg = myoreflex::config::load(
        Some(
            dir.join("tutorial_0811_1439.bat")
                .to_str()
                .expect("utf-8 path"),
        ),
        &[
            ("sim_time".into(), serde_json::json!(2.0)),
            ("kinematics".into(), serde_json::json!(true)),
        ],
    )
    .expect("config");
    let g = myoreflex::mujoco::gait::compare(&cfg, &params, &["native".into(), "mujoco".into()], 1)
        .expect("compare");
    eprint!("{g}");
    assert_eq!(g.runs.len(), 2);
    let mj = &g.runs[1];
    assert_eq!(mj.engine, "mujoco");
    assert!(
        (mj.gait.walked_s - 2.0).abs() < 1e-9,
        "MuJoCo episode stopped at {} s",
        mj.gait.walked_s
    );
    assert!(
        mj.gait.distance_m > 2.0 && mj.gait.distance_m < 3.5,
        "distance {}",
        mj.gait.distance_m
    );
    assert!(g
        .runs
        .iter()
        .all(|r| r.cost.is_finite() && r.cpu_seconds >= 0.0));
}
