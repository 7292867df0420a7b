//! The exo controller on the loads of every recorded episode with an exo (`reflex_*_meta.json`
//! with `exo: true`): stance timer, average, % stance, torque and MuJoCo control of both legs
//! reproduced bit for bit.

use controller::exo::{mujoco_control, ExoController, ExoKind, Profile};
use controller::params::N_HUMAN;
use myoreflex::io::CsvTable;
use serde_json::Value;

#[test]
fn exo_columns_of_every_recorded_episode() {
    let dir = myoreflex::reference::dir();
    let mut metas: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reflex_") && n.ends_with("_meta.json"))
        })
        .collect();
    metas.sort();
    assert!(
        !metas.is_empty(),
        "no reflex_*_meta.json in {}",
        dir.display()
    );
    let mut episodes = 0;
    for meta_path in metas {
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
        if meta["exo"] != Value::Bool(true) {
            continue;
        }
        let name = meta_path.display().to_string();
        let flags = &meta["config_flags"];
        let params: Vec<f64> = meta["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let kind = if flags["use_4param_spline"].as_bool().unwrap_or(false) {
            ExoKind::FourParam
        } else {
            ExoKind::NPoint(flags["n_points"].as_u64().unwrap_or(4) as usize) // the original's default
        };
        let max_torque = flags["max_torque"].as_f64().unwrap_or(10.0); // the original's default
        let fixed = flags["fixed_exo"].as_bool().unwrap_or(false);
        let dt = meta["ctrl_dt"].as_f64().unwrap();
        let parts: Vec<_> = meta["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| dir.join(f.as_str().unwrap()))
            .collect();
        let table = CsvTable::read_parts(&parts, false).unwrap_or_else(|e| panic!("{name}: {e}"));
        for s in ["r", "l"] {
            let profile = Profile::build(kind, &params[N_HUMAN..], max_torque, fixed)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let mut exo = ExoController::from_profile(profile);
            let col = |c: &str| table.column(c).unwrap_or_else(|e| panic!("{name}: {e}"));
            let load = col(&format!("in_{s}_load_ipsi"));
            let want = [
                col(&format!("exo_{s}_stance_time")),
                col(&format!("exo_{s}_avg_stance")),
                col(&format!("exo_{s}_stance_pct")),
                col(&format!("exo_{s}_torque")),
                col(&format!("exo_{s}_ctrl")),
            ];
            for (i, &l) in load.iter().enumerate() {
                let torque = exo.step(l, dt);
                let got = [
                    exo.stance().stance_time(),
                    exo.stance().avg_stance(),
                    exo.stance_pct(),
                    torque,
                    mujoco_control(torque),
                ];
                for (k, g) in got.iter().enumerate() {
                    assert_eq!(
                        g.to_bits(),
                        want[k][i].to_bits(),
                        "{name} leg {s} row {i} column {k}: {g} vs {}",
                        want[k][i]
                    );
                }
            }
        }
        episodes += 1;
    }
    assert!(episodes > 0, "no recorded episode with an exo");
    eprintln!("{episodes} recorded exo episodes reproduced bit for bit");
}
