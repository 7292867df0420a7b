//! The slope terrain of the original on MuJoCo: the heightfield is raised and collidable for a
//! slope, hidden again for flat ground, and the reset's height rule uses the ramp's offset.

#![cfg(feature = "mujoco")]

use myoreflex::engine::{Engine, ResetSpec};
use myoreflex::mujoco::{models, terrain, MujocoEngine, Obj};

#[test]
fn mujoco_terrain_slope_and_back_to_flat() {
    let path = models::model_file(&models::reference_models_dir(), "baseline").expect("baseline");
    let mut e = MujocoEngine::load(&path).expect("load");
    let g = e.model().id(Obj::Geom, "terrain").expect("terrain geom");
    let pos = |e: &MujocoEngine| e.model().geom_pos()[3 * g + 2];
    assert_eq!(pos(&e), -10.0);
    for slope in [-10.0, 5.0] {
        let spec = ResetSpec {
            keyframe: "walk_left".into(),
            slope_deg: slope,
            height_offset: terrain::height_offset(slope),
            ..Default::default()
        };
        e.reset(&spec).expect("reset on a slope");
        assert_eq!(pos(&e), -0.005);
        let o = e.observe();
        // the lowest heel/toe site sits at the offset: the body is lifted for downhill
        assert!(
            o.min_body_z > spec.height_offset - 0.2,
            "slope {slope}: {}",
            o.min_body_z
        );
        e.step(10).expect("steps on a slope");
    }
    e.reset(&ResetSpec {
        keyframe: "walk_left".into(),
        ..Default::default()
    })
    .expect("flat");
    assert_eq!(pos(&e), -10.0);
}
