//! On MuJoCo 3.3.3 the engine's reset, stepping and observation give exactly the controller
//! inputs the original recorded (`reflex_*_meta.json` + CSV, reference README section 9):
//! every `in_*` column of every row to 1e-9, when the recorded controller outputs
//! (`out_*_stim_*`, `exo_*_ctrl`) are fed back as controls (open loop, so this checks the
//! engine independently of the controller). Also the reset sample of the meta.

#![cfg(feature = "mujoco")]

mod mujoco_support;

use controller::muscles::{Muscle, Side, MUSCLES};
use controller::params::pose::{Pose, PoseKey};
use mujoco_support::{num, nums, read_json, reference_files, Table};
use myoreflex::engine::{muscle_index, Engine, Observation, ResetSpec, MUSCLE_NAMES};
use myoreflex::mujoco::{models, MujocoEngine, Obj};
use std::collections::BTreeMap;

/// The original's `get_intrinsic_EulerXYZ`.
fn euler(q: [f64; 4]) -> [f64; 3] {
    let [w, x, y, z] = q;
    let roll = (2.0 * (w * x + y * z)).atan2(1.0 - 2.0 * (x * x + y * y));
    let sinp = 2.0 * (w * y - z * x);
    let pitch = if sinp.abs() >= 1.0 {
        std::f64::consts::FRAC_PI_2.copysign(sinp)
    } else {
        sinp.asin()
    };
    let yaw = (2.0 * (w * z + x * y)).atan2(1.0 - 2.0 * (y * y + z * z));
    [roll, pitch, yaw]
}

/// The original's `rotate_frame`.
fn rotate(x: f64, y: f64, th: f64) -> (f64, f64) {
    (th.cos() * x - th.sin() * y, th.sin() * x + th.cos() * y)
}

/// The sensor dictionary of `myoLeg_reflex.get_sensor_data`, keyed like the `in_*` columns.
fn inputs(o: &Observation, mass: f64, f0: &[f64; 22]) -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    let pe = euler(o.pelvis_quat);
    m.insert("theta".into(), pe[1]);
    m.insert("dtheta".into(), -o.torso_angvel_local[1]);
    m.insert("theta_f".into(), pe[0]);
    m.insert("dtheta_f".into(), o.torso_angvel_local[0]);
    let (px, py) = rotate(o.pelvis_pos[0], o.pelvis_pos[1], -pe[2]);
    let (vx, vy) = rotate(o.pelvis_vel[0], o.pelvis_vel[1], -pe[2]);
    m.insert("pelvis_pos_x".into(), px);
    m.insert("pelvis_pos_y".into(), py);
    m.insert("pelvis_vel_x".into(), vx);
    m.insert("pelvis_vel_y".into(), vy);
    let bw = mass * 9.8;
    let load = [
        (o.touch[0] + o.touch[1]) / bw,
        (o.touch[2] + o.touch[3]) / bw,
    ];
    for side in Side::BOTH {
        let (s, c) = (side.idx(), side.other().idx());
        let p = side.letter();
        m.insert(format!("{p}_load_ipsi"), load[s]);
        m.insert(format!("{p}_load_contra"), load[c]);
        m.insert(
            format!("{p}_contact_ipsi"),
            f64::from(u8::from(load[s] > 0.1)),
        );
        m.insert(
            format!("{p}_contact_contra"),
            f64::from(u8::from(load[c] > 0.1)),
        );
        let (tx, ty) = rotate(o.talus_pos[c][0], o.talus_pos[c][1], -pe[2]);
        let (tvx, tvy) = rotate(o.talus_vel[c][0], o.talus_vel[c][1], -pe[2]);
        m.insert(format!("{p}_talus_contra_pos_x"), tx);
        m.insert(format!("{p}_talus_contra_pos_y"), ty);
        m.insert(format!("{p}_talus_contra_vel_x"), tvx);
        m.insert(format!("{p}_talus_contra_vel_y"), tvy);
        let off = 3 + 4 * s; // hip, knee, ankle, mtp of this side in DOF_NAMES
        m.insert(format!("{p}_phi_hip"), std::f64::consts::PI - o.q[off]);
        m.insert(format!("{p}_phi_knee"), std::f64::consts::PI + o.q[off + 1]);
        m.insert(
            format!("{p}_phi_ankle"),
            0.5 * std::f64::consts::PI - o.q[off + 2],
        );
        m.insert(
            format!("{p}_phi_mtp"),
            0.5 * std::f64::consts::PI - o.q[off + 3],
        );
        m.insert(format!("{p}_dphi_hip"), -o.qd[off]);
        m.insert(format!("{p}_dphi_knee"), o.qd[off + 1]);
        for mus in [
            Muscle::Glu,
            Muscle::Ham,
            Muscle::Vas,
            Muscle::Gas,
            Muscle::Sol,
            Muscle::Fdl,
        ] {
            let i = muscle_index(&format!("{}_{p}", mus.actuator())).expect("muscle");
            m.insert(
                format!("{p}_F_{}", mus.name()),
                -(o.muscle_force[i] / f0[i]),
            );
        }
    }
    m
}

/// The per-step cost record of `collectCost` (the columns the reference cost CSVs hold).
fn cost_record(o: &Observation, mass: f64, new_step: bool) -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    m.insert("sim_time".into(), (o.time * 1e4).round() / 1e4);
    m.insert("new_step".into(), f64::from(u8::from(new_step)));
    for (k, c) in ["x", "y", "z"].iter().enumerate() {
        m.insert(format!("pelvis_{c}"), o.pelvis_pos[k]);
    }
    m.insert("pelvis_dist_abs_y".into(), o.pelvis_pos[1].abs());
    m.insert("torso_pitch".into(), euler(o.torso_quat)[1]);
    m.insert("torso_dpitch".into(), -o.torso_angvel_local[1]);
    let bw = mass * 9.8;
    m.insert("GRF_r".into(), (o.touch[0] + o.touch[1]) / bw);
    m.insert("GRF_l".into(), (o.touch[2] + o.touch[3]) / bw);
    for side in Side::BOTH {
        let (s, p) = (side.idx(), side.letter());
        let off = 3 + 4 * s;
        m.insert(format!("{p}_hip"), std::f64::consts::PI - o.q[off]);
        m.insert(format!("{p}_knee"), std::f64::consts::PI + o.q[off + 1]);
        m.insert(
            format!("{p}_ankle"),
            0.5 * std::f64::consts::PI - o.q[off + 2],
        );
        for (j, joint) in ["hip", "knee", "ankle"].iter().enumerate() {
            for (k, c) in ["x", "y", "z"].iter().enumerate() {
                m.insert(format!("{p}_{joint}_pos_{c}"), o.joint_anchor[s][j][k]);
            }
        }
    }
    for (i, name) in MUSCLE_NAMES.iter().enumerate() {
        m.insert(format!("act_{name}"), o.act[i]);
    }
    m
}

/// Compares the keys of `got` that are columns of `table` row `r`; appends mismatches.
fn compare(
    what: &str,
    table: &Table,
    r: usize,
    got: &BTreeMap<String, f64>,
    prefix: &str,
    tol: f64,
    bad: &mut Vec<String>,
) -> usize {
    let mut n = 0;
    for (k, g) in got {
        let col = format!("{prefix}{k}");
        if table.index.contains_key(&col) {
            let w = table.get(r, &col);
            if (g - w).abs() > tol && bad.len() < 20 {
                bad.push(format!(
                    "{what} row {r} {col}: got {g:e} want {w:e} (diff {:e})",
                    g - w
                ));
            }
            n += 1;
        }
    }
    n
}

#[test]
fn mujoco_reflex_inputs_open_loop() {
    let metas = reference_files("reflex_", "_meta.json");
    assert!(!metas.is_empty(), "no reflex_*_meta.json found");
    let dir = myoreflex::reference::dir();
    for path in metas {
        let meta = read_json(&path);
        let tag = meta["tag"].as_str().expect("tag").to_string();
        let flags = &meta["config_flags"];
        let model_name = flags["model"].as_str().expect("model");
        let model =
            models::model_file(&models::reference_models_dir(), model_name).expect("known model");
        let mut engine = MujocoEngine::load(&model).unwrap_or_else(|e| panic!("{tag}: {e}"));
        let params = nums(&meta["params"]);
        let key = PoseKey::parse(flags["pose_key"].as_str().expect("pose_key")).expect("pose key");
        let delayed = flags["delayed"].as_i64().unwrap_or(0) != 0;
        let frame_skip = meta["frame_skip"].as_u64().expect("frame_skip") as usize;

        // reset as myoLeg_reflex.reset
        let pose = Pose::<f64>::from_vector(&params, key).expect("pose");
        let spec = ResetSpec::from_pose(&pose, key);
        engine
            .reset(&spec)
            .unwrap_or_else(|e| panic!("{tag}: reset: {e}"));
        let n_exo = engine.n_exo();
        if delayed {
            engine.set_ctrl(&[0.0; 22], &vec![0.0; n_exo]);
            engine.step(1).expect("zero step");
        }

        let mass = engine.total_mass();
        let gain = engine.model().actuator_gainprm().to_vec();
        let mut f0 = [0.0; 22];
        for (i, name) in MUSCLE_NAMES.iter().enumerate() {
            let a = engine.model().id(Obj::Actuator, name).expect("muscle");
            f0[i] = gain[10 * a + 2];
        }

        let mut bad = Vec::new();
        // the reset sample
        let o = engine.observe();
        let got = inputs(&o, mass, &f0);
        for (k, v) in meta["reset"]["sample"].as_object().expect("reset.sample") {
            if let Some(g) = got.get(k) {
                let w = num(v);
                if (g - w).abs() > 1e-9 {
                    bad.push(format!("{tag} reset sample {k}: got {g:e} want {w:e}"));
                }
            }
        }

        let files: Vec<_> = meta["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| dir.join(f.as_str().expect("file")))
            .collect();
        let table = Table::read_parts(&files);
        // the cost record of the same run, where one was recorded (rows after each env step)
        let cost_files = reference_files(&format!("cost_{tag}"), ".csv");
        let cost = (!cost_files.is_empty()).then(|| Table::read_parts(&cost_files));
        let mut checked = 0;
        let mut cost_checked = 0;
        let mut o = o;
        let mut heel = [false; 2];
        for r in 0..table.rows.len() {
            if (o.time - table.get(r, "time")).abs() > 1e-12 {
                bad.push(format!(
                    "{tag} row {r}: time {} want {}",
                    o.time,
                    table.get(r, "time")
                ));
            }
            checked += compare(
                &tag,
                &table,
                r,
                &inputs(&o, mass, &f0),
                "in_",
                1e-9,
                &mut bad,
            );
            if bad.len() >= 20 {
                break;
            }
            let mut mus = [0.01; 22];
            for side in Side::BOTH {
                let p = side.letter();
                for m in MUSCLES {
                    let i = muscle_index(&format!("{}_{p}", m.actuator())).expect("muscle");
                    mus[i] = table.get(r, &format!("out_{p}_stim_{}", m.name()));
                }
            }
            let exo: Vec<f64> = (0..n_exo)
                .map(|k| {
                    let col = format!("exo_{}_ctrl", ["r", "l"][k]);
                    if table.index.contains_key(&col) {
                        table.get(r, &col)
                    } else {
                        0.0
                    }
                })
                .collect();
            engine.set_ctrl(&mus, &exo);
            engine
                .step(frame_skip)
                .unwrap_or_else(|e| panic!("{tag}: {e}"));
            o = engine.observe();
            // update_footstep: heel sensors only, rising edge
            let now = [o.touch[0] > 0.1 * mass * 9.8, o.touch[2] > 0.1 * mass * 9.8];
            let new_step = (!heel[0] && now[0]) || (!heel[1] && now[1]);
            heel = now;
            if let Some(c) = cost.as_ref().filter(|c| r < c.rows.len()) {
                assert_eq!(
                    c.get(r, "step") as usize,
                    r,
                    "{tag}: cost rows out of order"
                );
                cost_checked += compare(
                    &format!("{tag} cost"),
                    c,
                    r,
                    &cost_record(&o, mass, new_step),
                    "",
                    1e-9,
                    &mut bad,
                );
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        eprintln!(
            "{tag}: {} rows, {checked} inputs and {cost_checked} cost-record values within 1e-9",
            table.rows.len()
        );
    }
}
