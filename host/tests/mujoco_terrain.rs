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
            original_heightfield: true,
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

/// Without the parity switch a slope is the ground plane tilted to the nominal grade through the
/// world origin; the heightfield stays hidden and the feet land on the tilted plane.
#[test]
fn mujoco_terrain_tilted_plane() {
    let path = models::model_file(&models::reference_models_dir(), "baseline").expect("baseline");
    let mut e = MujocoEngine::load(&path).expect("load");
    let plane = e
        .model()
        .id(Obj::Geom, "ground-plane")
        .expect("ground plane");
    let terrain_geom = e.model().id(Obj::Geom, "terrain").expect("terrain");
    let spec = ResetSpec {
        keyframe: "walk_left".into(),
        slope_deg: 5.0,
        ..Default::default()
    };
    e.reset(&spec).expect("reset");
    assert_eq!(e.model().geom_pos()[3 * terrain_geom + 2], -10.0);
    // world orientation of the plane = ground body quat x geom quat; its normal z axis
    let m = e.model();
    let b = m.geom_bodyid()[plane] as usize;
    let q = |s: &[f64], i: usize| [s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]];
    let (a, g) = (q(m.body_quat(), b), q(m.geom_quat(), plane));
    let w = [
        a[0] * g[0] - a[1] * g[1] - a[2] * g[2] - a[3] * g[3],
        a[0] * g[1] + a[1] * g[0] + a[2] * g[3] - a[3] * g[2],
        a[0] * g[2] - a[1] * g[3] + a[2] * g[0] + a[3] * g[1],
        a[0] * g[3] + a[1] * g[2] - a[2] * g[1] + a[3] * g[0],
    ];
    // z axis of the rotation matrix of w
    let nz = [
        2.0 * (w[1] * w[3] + w[0] * w[2]),
        2.0 * (w[2] * w[3] - w[0] * w[1]),
        1.0 - 2.0 * (w[1] * w[1] + w[2] * w[2]),
    ];
    let s = 5f64.to_radians();
    assert!(
        (nz[0] + s.sin()).abs() < 1e-6 && nz[1].abs() < 1e-3 && (nz[2] - s.cos()).abs() < 1e-6,
        "normal {nz:?}"
    );
    let mut touched = false;
    for _ in 0..10 {
        e.step(10).expect("steps");
        touched |= e.observe().grf_z_total > 100.0;
    }
    assert!(touched, "the feet never loaded the tilted plane");
    // back to the loaded plane on flat ground
    e.reset(&ResetSpec {
        keyframe: "walk_left".into(),
        ..Default::default()
    })
    .expect("flat");
    assert_eq!(e.model().geom_pos()[3 * plane], 0.0);
}
