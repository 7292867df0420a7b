//! MuJoCo 3.3.3 reproduces the open-loop dynamics recordings (`dynamics_*_meta.json` + parts,
//! reference README section 13) bit for bit: started from `meta.initial_state` and driven by the
//! recorded ctrl, every q/v/act column and every forward-pass column of every row; and the
//! engine's MyoSuite stepping (mj_step2, mj_step x 9, mj_step1) + observation pass gives the
//! same states at the control-step boundaries.

#![cfg(feature = "mujoco")]

mod mujoco_support;

use mujoco_support::{nums, read_json, reference_files, same, strs, Table};
use myoreflex::engine::{Engine, DOF_NAMES, MUSCLE_NAMES};
use myoreflex::mujoco::{contact, MujocoEngine, Obj};

struct Case {
    tag: String,
    meta: serde_json::Value,
    table: Table,
    engine: MujocoEngine,
}

fn cases() -> Vec<Case> {
    let metas = reference_files("dynamics_", "_meta.json");
    assert!(
        !metas.is_empty(),
        "no dynamics_*_meta.json in {}",
        myoreflex::reference::dir().display()
    );
    let dir = myoreflex::reference::dir();
    metas
        .iter()
        .map(|p| {
            let meta = read_json(p);
            let tag = meta["tag"].as_str().expect("tag").to_string();
            let mut parts: Vec<_> = meta["files"]
                .as_array()
                .expect("files")
                .iter()
                .map(|f| dir.join(f["file"].as_str().expect("file name")))
                .collect();
            // every part found on disk must be listed
            let found = reference_files(&format!("dynamics_{tag}_part"), ".csv");
            assert_eq!(
                found.len(),
                parts.len(),
                "{tag}: parts on disk differ from meta.files"
            );
            parts.sort_by_key(|p| {
                let n = p
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.rsplit("part").next())
                    .and_then(|s| s.parse::<u32>().ok());
                n.unwrap_or(0)
            });
            let table = Table::read_parts(&parts);
            let model = dir.join(meta["model_xml"].as_str().expect("model_xml"));
            let engine = MujocoEngine::load(&model).unwrap_or_else(|e| panic!("{tag}: {e}"));
            Case {
                tag,
                meta,
                table,
                engine,
            }
        })
        .collect()
}

/// Puts the engine at `meta.initial_state` (full qpos/qvel/act, time).
fn start(c: &mut Case) {
    let init = &c.meta["initial_state"];
    let d = c.engine.data_mut();
    d.reset();
    d.qpos_mut().copy_from_slice(&nums(&init["qpos"]));
    d.qvel_mut().copy_from_slice(&nums(&init["qvel"]));
    d.act_mut().copy_from_slice(&nums(&init["act"]));
    d.set_time(mujoco_support::num(&init["time"]));
}

/// Writes row `r`'s ctrl columns into data.ctrl (by actuator name).
fn set_row_ctrl(c: &mut Case, r: usize) {
    let names = strs(&c.meta["actuator_names"]);
    let vals: Vec<(usize, f64)> = names
        .iter()
        .map(|n| {
            let a = c
                .engine
                .model()
                .id(Obj::Actuator, n)
                .unwrap_or_else(|| panic!("no actuator {n}"));
            (a, c.table.get(r, &format!("ctrl_{n}")))
        })
        .collect();
    let ctrl = c.engine.data_mut().ctrl_mut();
    for (a, v) in vals {
        ctrl[a] = v;
    }
}

fn check_state(c: &Case, r: usize, what: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let d = c.engine.data();
    let m = c.engine.model();
    let t = &c.table;
    let mut cmp = |col: String, got: f64| {
        let want = t.get(r, &col);
        if !same(got, want) && bad.len() < 10 {
            bad.push(format!(
                "{} {what} row {r} {col}: got {got:e} want {want:e} (diff {:e})",
                c.tag,
                got - want
            ));
        }
    };
    cmp("time".into(), d.time());
    for dof in DOF_NAMES {
        let j = m.id(Obj::Joint, dof).expect("dof");
        cmp(format!("q_{dof}"), d.qpos()[m.jnt_qposadr()[j] as usize]);
        cmp(format!("v_{dof}"), d.qvel()[m.jnt_dofadr()[j] as usize]);
    }
    for mus in MUSCLE_NAMES {
        let a = m.id(Obj::Actuator, mus).expect("muscle");
        cmp(
            format!("act_{mus}"),
            d.act()[m.actuator_actadr()[a] as usize],
        );
    }
    bad
}

/// Forward-pass columns of row `r` against the acceleration-stage results in data (valid right
/// after `mj_step` for the pre-step state, or after `mj_forward`). Returns mismatches.
fn check_forward(c: &Case, r: usize, what: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let d = c.engine.data();
    let m = c.engine.model();
    let t = &c.table;
    let mut cmp = |col: String, got: f64, rel_tol: f64, scale: f64| {
        let want = t.get(r, &col);
        let ok = if rel_tol == 0.0 {
            same(got, want)
        } else {
            (got - want).abs() <= rel_tol * scale.max(1e-300)
        };
        if !ok && bad.len() < 10 {
            bad.push(format!(
                "{} {what} row {r} {col}: got {got:e} want {want:e} (diff {:e})",
                c.tag,
                got - want
            ));
        }
    };
    for mus in MUSCLE_NAMES {
        let a = m.id(Obj::Actuator, mus).expect("muscle");
        cmp(format!("len_{mus}"), d.actuator_length()[a], 0.0, 0.0);
        cmp(format!("vel_{mus}"), d.actuator_velocity()[a], 0.0, 0.0);
        cmp(format!("frc_{mus}"), d.actuator_force()[a], 0.0, 0.0);
    }
    for s in ["r_foot", "r_toes", "l_foot", "l_toes"] {
        let id = m.id(Obj::Sensor, s).expect("touch sensor");
        cmp(
            format!("touch_{s}"),
            d.sensordata()[m.sensor_adr()[id] as usize],
            0.0,
            0.0,
        );
    }
    // contact forces: sums of products, compared to 1e-12 of the largest force in the row
    let per_body = contact::body_contact_forces(d);
    let bodies = strs(&c.meta["contact_bodies"]);
    let scale = bodies
        .iter()
        .flat_map(|b| ["cfx_", "cfy_", "cfz_"].map(|p| t.get(r, &format!("{p}{b}")).abs()))
        .fold(t.get(r, "grf_z_total").abs(), f64::max);
    for b in &bodies {
        let id = m.id(Obj::Body, b).unwrap_or_else(|| panic!("no body {b}"));
        let (f, n) = per_body[id];
        for (k, p) in ["cfx_", "cfy_", "cfz_"].iter().enumerate() {
            cmp(format!("{p}{b}"), f[k], 1e-12, scale);
        }
        cmp(format!("ncon_{b}"), n as f64, 0.0, 0.0);
    }
    cmp(
        "grf_z_total".into(),
        contact::ground_force_z(d),
        1e-12,
        scale,
    );
    cmp("ncon_total".into(), d.ncon() as f64, 0.0, 0.0);
    for dof in DOF_NAMES {
        let j = m.id(Obj::Joint, dof).expect("dof");
        cmp(
            format!("qacc_{dof}"),
            d.qacc()[m.jnt_dofadr()[j] as usize],
            0.0,
            0.0,
        );
    }
    bad
}

#[test]
fn mujoco_dynamics_replay_bit_for_bit() {
    for mut c in cases() {
        start(&mut c);
        let n = c.table.rows.len();
        let mut bad = Vec::new();
        for r in 0..n {
            assert_eq!(
                c.table.get(r, "step") as usize,
                r,
                "{}: rows out of order",
                c.tag
            );
            bad.extend(check_state(&c, r, "mj_step replay"));
            set_row_ctrl(&mut c, r);
            c.engine.data_mut().step();
            // after mj_step the acceleration-stage results are those of row r's state
            bad.extend(check_forward(&c, r, "mj_step replay"));
            if bad.len() >= 10 {
                break;
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        eprintln!("{}: {n} rows reproduced bit for bit", c.tag);
    }
}

#[test]
fn mujoco_dynamics_checkpoints_forward_pass() {
    for mut c in cases() {
        let cps = c.meta["full_state_checkpoints"]["states"]
            .as_array()
            .expect("checkpoints")
            .clone();
        let n = c.table.rows.len();
        let mut checked = 0;
        for cp in &cps {
            let r = cp["step"].as_u64().expect("step") as usize;
            if r >= n {
                continue;
            }
            let d = c.engine.data_mut();
            d.reset();
            d.qpos_mut().copy_from_slice(&nums(&cp["qpos"]));
            d.qvel_mut().copy_from_slice(&nums(&cp["qvel"]));
            d.act_mut().copy_from_slice(&nums(&cp["act"]));
            d.set_time(mujoco_support::num(&cp["time"]));
            set_row_ctrl(&mut c, r);
            c.engine.data_mut().forward();
            let mut bad = check_state(&c, r, "checkpoint");
            bad.extend(check_forward(&c, r, "checkpoint forward"));
            assert!(bad.is_empty(), "{}", bad.join("\n"));
            checked += 1;
        }
        assert!(
            checked > 0,
            "{}: no checkpoint inside the written rows",
            c.tag
        );
        eprintln!("{}: {checked} checkpoints", c.tag);
    }
}

/// The engine's control step (mj_step2, mj_step x (n-1), mj_step1) with the observation pass
/// before each step gives the recorded states at every control-step boundary, and the
/// observation (with that row's ctrl in place) reads that row's sensors.
#[test]
fn mujoco_dynamics_engine_control_steps() {
    for mut c in cases() {
        let frame_skip = c.meta["frame_skip"].as_u64().unwrap_or(10) as usize;
        start(&mut c);
        c.engine.data_mut().forward();
        let n = c.table.rows.len();
        let names = strs(&c.meta["actuator_names"]);
        let mut bad = Vec::new();
        let mut r = 0;
        while r + frame_skip <= n {
            let mut mus = [0.0; 22];
            for (i, m) in MUSCLE_NAMES.iter().enumerate() {
                mus[i] = c.table.get(r, &format!("ctrl_{m}"));
            }
            let exo: Vec<f64> = c
                .engine
                .exo_actuators()
                .to_vec()
                .iter()
                .map(|&a| {
                    let name = c
                        .engine
                        .model()
                        .name(Obj::Actuator, a)
                        .expect("actuator name");
                    assert!(
                        names.contains(&name),
                        "{}: exo actuator {name} not recorded",
                        c.tag
                    );
                    c.table.get(r, &format!("ctrl_{name}"))
                })
                .collect();
            c.engine.set_ctrl(&mus, &exo);
            let o = c.engine.observe();
            bad.extend(check_state(&c, r, "engine"));
            for (i, s) in ["r_foot", "r_toes", "l_foot", "l_toes"].iter().enumerate() {
                let want = c.table.get(r, &format!("touch_{s}"));
                if !same(o.touch[i], want) {
                    bad.push(format!(
                        "{} engine row {r} touch_{s}: got {:e} want {want:e}",
                        c.tag, o.touch[i]
                    ));
                }
            }
            for (i, m) in MUSCLE_NAMES.iter().enumerate() {
                let want = c.table.get(r, &format!("frc_{m}"));
                if !same(o.muscle_force[i], want) {
                    bad.push(format!(
                        "{} engine row {r} frc_{m}: got {:e} want {want:e}",
                        c.tag, o.muscle_force[i]
                    ));
                }
            }
            // the 8 limited leg DOFs: every DOF but the pelvis
            for (i, dof) in DOF_NAMES[3..].iter().enumerate() {
                let want = c.table.get(r, &format!("lim_{dof}"));
                if (o.limit_torque[i] - want).abs() > 1e-12 * want.abs().max(1.0) {
                    bad.push(format!(
                        "{} engine row {r} lim_{dof}: got {:e} want {want:e}",
                        c.tag, o.limit_torque[i]
                    ));
                }
            }
            let want = c.table.get(r, "grf_z_total");
            if (o.grf_z_total - want).abs() > 1e-12 * want.abs().max(1.0) {
                bad.push(format!(
                    "{} engine row {r} grf_z_total: got {:e} want {want:e}",
                    c.tag, o.grf_z_total
                ));
            }
            if bad.len() > 10 {
                break;
            }
            c.engine
                .step(frame_skip)
                .unwrap_or_else(|e| panic!("{}: {e}", c.tag));
            r += frame_skip;
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        eprintln!(
            "{}: {} control steps of {frame_skip} ms",
            c.tag,
            r / frame_skip
        );
    }
}
