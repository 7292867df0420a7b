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
        let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&r).expect("meta")).expect("json");
        let name = meta["model"].as_str().expect("model");
        let mjcf = models::model_file(&models::reference_models_dir(), name).expect("model file");
        let mut native = NativeEngine::new(myoreflex::sim::bench::reference_model(name).expect("native model")).expect("native engine");
        let rep = compare::compare(&r, &mjcf, &mut native).expect("compare");
        eprint!("{rep}");
        assert!(rep.start_points >= 5, "{}: only {} start points", rep.tag, rep.start_points);
        let h10 = &rep.horizons[0];
        assert_eq!(h10.ms, 10);
        assert!(h10.q_ang_median < 1e-3, "{}: median angular distance at 10 ms {:e} rad", rep.tag, h10.q_ang_median);
        assert!(h10.q_lin_median < 1e-4, "{}: median pelvis distance at 10 ms {:e} m", rep.tag, h10.q_lin_median);
    }
}
