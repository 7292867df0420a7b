//! Validation of the simulator against the reference recordings and physics sanity checks.

use super::fixtures::glob;
use super::replay::{load, model_for, sim_for};
use crate::engine::DOF_NAMES;

/// Forward pass at every recorded checkpoint: muscle lengths (1e-12 m) and forces (1e-9
/// relative) exactly as MuJoCo; the effective accelerations of one step are printed.
#[test]
fn forward_pass_at_checkpoints() {
    for meta in glob("dynamics_", "_meta.json") {
        let rec = load(&meta);
        let mut sim = sim_for(&rec.model);
        let mut sensor_errs = Vec::new();
        let mut lim_errs = Vec::new();
        for c in rec.checkpoints().iter() {
            let row = rec.start(&mut sim, c);
            sim.forward().unwrap();
            let mut worst_len: f64 = 0.0;
            let mut worst_frc: f64 = 0.0;
            for (i, mu) in sim.model.muscles.iter().enumerate() {
                worst_len = worst_len
                    .max((sim.ten_len[i] - rec.rows.f(row, &format!("len_{}", mu.name))).abs());
                let fr = rec.rows.f(row, &format!("frc_{}", mu.name));
                worst_frc = worst_frc.max((sim.muscle_force[i] - fr).abs() / fr.abs().max(1.0));
            }
            // sensors at this state: touch, limit torques, vertical GRF
            let scale = rec.rows.f(row, "grf_z_total").abs().max(100.0);
            let mut sens: f64 = 0.0;
            for (t, site) in sim.model.touch.iter().enumerate() {
                sens = sens.max(
                    (sim.touch[t] - rec.rows.f(row, &format!("touch_{}", site.name))).abs() / scale,
                );
            }
            sens = sens.max((sim.grf_z - rec.rows.f(row, "grf_z_total")).abs() / scale);
            let mut lim: f64 = 0.0;
            for k in 3..11 {
                let j = sim.model.independent[k];
                lim = lim.max(
                    (sim.limit_torque[j] - rec.rows.f(row, &format!("lim_{}", DOF_NAMES[k]))).abs(),
                );
            }
            sensor_errs.push(sens);
            lim_errs.push(lim);
            let mut qacc = String::new();
            let v0: Vec<f64> = (0..11).map(|k| sim.v[sim.model.independent[k]]).collect();
            let (grf, ncon) = (sim.grf_z, sim.ncon);
            sim.step().unwrap();
            for (k, n) in DOF_NAMES.iter().enumerate() {
                let j = sim.model.independent[k];
                let want = (rec.rows.f(row + 1, &format!("v_{n}"))
                    - rec.rows.f(row, &format!("v_{n}")))
                    / 0.001;
                qacc += &format!(" {:.3e}/{:.3e}", (sim.v[j] - v0[k]) / 0.001, want);
            }
            assert!(
                worst_len < 1e-12 && worst_frc < 1e-9,
                "{} row {row}: len {worst_len:e} frc {worst_frc:e}",
                rec.tag
            );
            eprintln!(
                "{} row {row}: len {worst_len:.2e} frc {worst_frc:.2e} grf {:.2}/{:.2} ncon {} iters {}\n  qacc{qacc}",
                rec.tag,
                grf,
                rec.rows.f(row, "grf_z_total"),
                ncon,
                0
            );
        }
        eprintln!(
            "SENSORS {}: touch/GRF error relative to max(GRF, 100 N): median {:.1e}; limit torque error median {:.1e} N m",
            rec.tag,
            median(&mut sensor_errs),
            median(&mut lim_errs)
        );
        assert!(
            median(&mut sensor_errs) < 1e-3,
            "{}: touch/GRF disagree with MuJoCo",
            rec.tag
        );
    }
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

/// Open-loop replays from every recorded checkpoint, driven by the recorded controls: the
/// median (over start points) of the max joint-angle error over the 9 angular DOFs at 10, 50,
/// 200 and 1000 ms. Printed for the report; asserted against bounds we currently meet.
#[test]
fn open_loop_replay_errors() {
    let horizons = [10usize, 50, 200, 1000];
    let files = glob("dynamics_", "_meta.json");
    for meta in files {
        let rec = load(&meta);
        let mut sim = sim_for(&rec.model);
        let nrows = rec.rows.rows.len();
        let mut errs: Vec<Vec<f64>> = vec![Vec::new(); horizons.len()];
        let mut act_err: f64 = 0.0;
        for c in rec.checkpoints() {
            let row0 = rec.start(&mut sim, &c);
            let mut row = row0;
            for (hi, &h) in horizons.iter().enumerate() {
                if row0 + h >= nrows {
                    break;
                }
                while row < row0 + h {
                    rec.set_ctrl(&mut sim, row);
                    if sim.step().is_err() {
                        break;
                    }
                    row += 1;
                }
                let mut e: f64 = 0.0;
                for k in 2..11 {
                    let j = sim.model.independent[k];
                    e = e.max((sim.q[j] - rec.rows.f(row, &format!("q_{}", DOF_NAMES[k]))).abs());
                }
                errs[hi].push(if e.is_finite() { e } else { f64::INFINITY });
                for (i, mu) in sim.model.muscles.iter().enumerate() {
                    act_err = act_err
                        .max((sim.act[i] - rec.rows.f(row, &format!("act_{}", mu.name))).abs());
                }
            }
        }
        let med: Vec<f64> = errs.iter_mut().map(|v| median(v)).collect();
        eprintln!(
            "REPLAY {}: median max|dq| (rad) at 10/50/200/1000 ms = {:.2e} / {:.2e} / {:.2e} / {:.2e} ({} starts); max act error {:.1e}",
            rec.tag, med[0], med[1], med[2], med[3], errs[0].len(), act_err
        );
        assert!(act_err < 1e-12, "activation must follow ctrl exactly");
        assert!(
            med[0] < 1e-4 && med[1] < 1e-2,
            "{}: replay diverges: {med:?}",
            rec.tag
        );
        // the target (median <= 1e-3 rad after 200 ms) where the model has a hull for
        // every body that touched the ground in the recording
        let model = model_for(&rec.model);
        let hull_bodies: Vec<&str> = sim
            .model
            .hulls
            .iter()
            .map(|h| model.bodies[h.group].name.as_str())
            .collect();
        let complete = rec.meta["contact_bodies"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|b| hull_bodies.contains(&b.as_str().unwrap_or("?")));
        if complete {
            assert!(
                med[2] <= 1e-3,
                "{}: median error at 200 ms {:e} > 1e-3 rad",
                rec.tag,
                med[2]
            );
        } else {
            eprintln!("  ({}: some contact bodies have no hull in this model; 200-ms target not asserted)", rec.tag);
        }
    }
}

/// The native engine's reset reproduces the original's height rule: given the recorded
/// post-reset joint angles (but not the pelvis height), it puts the pelvis at the recorded
/// height; observations have the original's semantics.
#[test]
fn engine_reset_height_rule() {
    use super::engine::NativeEngine;
    use crate::engine::{Engine, ResetSpec, MUSCLE_NAMES};
    for meta in glob("dynamics_walk", "_meta.json") {
        let rec = load(&meta);
        let sim = sim_for(&rec.model);
        let mut eng = NativeEngine::new(sim.model).unwrap();
        let init = &rec.meta["initial_state"];
        let qpos = super::fixtures::fvec(&init["qpos"]);
        let qvel = super::fixtures::fvec(&init["qvel"]);
        let act = super::fixtures::fvec(&init["act"]);
        let mut spec = ResetSpec {
            keyframe: "walk_left".into(),
            ..Default::default()
        };
        for (k, n) in DOF_NAMES.iter().enumerate() {
            let d = eng.sim.model.dofs[eng.sim.model.independent[k]].clone();
            if k != 1 {
                spec.qpos.push((n.to_string(), qpos[d.mj_adr]));
            }
            spec.qvel.push((n.to_string(), qvel[d.mj_adr]));
        }
        for (i, mu) in eng.sim.model.muscles.iter().enumerate() {
            spec.act.push((mu.name.clone(), act[i]));
        }
        eng.reset(&spec).unwrap();
        let o = eng.observe();
        let want_ty = qpos[eng.sim.model.dofs[eng.sim.model.independent[1]].mj_adr];
        assert!(
            (o.q[1] - want_ty).abs() < 1e-9,
            "{}: pelvis_ty {} vs {}",
            rec.tag,
            o.q[1],
            want_ty
        );
        // same muscle lengths (of the independent pose; coupled joints come from the keyframe)
        for (i, n) in MUSCLE_NAMES.iter().enumerate() {
            let want = rec.rows.f(0, &format!("len_{n}"));
            assert!(
                (o.muscle_len[i] - want).abs() < 1e-9,
                "{} {n}: {} vs {want}",
                rec.tag,
                o.muscle_len[i]
            );
        }
        let g = rec.rows.f(0, "grf_z_total");
        eprintln!(
            "{}: reset grf {:.2} N (MuJoCo {:.2}), touch {:?}",
            rec.tag, o.grf_z_total, g, o.touch
        );
    }
}

/// Passive leg swing with the pelvis held at (0, 1.2, 0), contacts off, arms at `stand`,
/// coupled joints on their polynomials, muscles passive (act 0) or at constant act 0.2: the
/// 8 leg angles must follow MuJoCo within 1 degree over 1 s (every case of every file).
#[test]
fn passive_swing_within_one_degree() {
    let files = glob("passive_swing_", ".csv");
    let legs = &crate::engine::DOF_NAMES[3..];
    for f in files {
        let t = super::fixtures::Csv::read(&f);
        let act_level = if f.to_string_lossy().contains("act0p2") {
            0.2
        } else {
            0.0
        };
        let mut cases: Vec<usize> = t
            .rows
            .iter()
            .map(|r| r[t.col("case")].parse::<usize>().unwrap_or(0))
            .collect();
        cases.dedup();
        for case in cases {
            let rows: Vec<usize> = (0..t.rows.len())
                .filter(|&r| t.f(r, "case") as usize == case)
                .collect();
            let mut sim = sim_for("BASELINE");
            sim.flags.contact = false;
            let stand = sim
                .model
                .keyframes
                .iter()
                .find(|k| k.name == "stand")
                .unwrap()
                .clone();
            sim.set_mujoco_state(&stand.qpos, &vec![0.0; stand.qpos.len()], &[]);
            let (tx, ty, tilt) = (
                sim.model.independent[0],
                sim.model.independent[1],
                sim.model.independent[2],
            );
            sim.q[tx] = 0.0;
            sim.q[ty] = 1.2;
            sim.q[tilt] = 0.0;
            for j in [tx, ty, tilt] {
                sim.locked[j] = true;
            }
            for (k, n) in legs.iter().enumerate() {
                sim.q[sim.model.independent[3 + k]] = t.f(rows[0], n);
            }
            for c in sim.model.couplings.clone() {
                let x = sim.q[c.dof2];
                let p = c.polycoef;
                sim.q[c.dof1] = p[0] + x * (p[1] + x * (p[2] + x * (p[3] + x * p[4])));
            }
            let nm = sim.model.muscles.len();
            for i in 0..nm {
                sim.act[i] = act_level;
                sim.ctrl[i] = act_level;
            }
            let mut worst: f64 = 0.0;
            let mut at10: f64 = 0.0;
            for (step, &r) in rows.iter().enumerate() {
                for (k, n) in legs.iter().enumerate() {
                    let e = (sim.q[sim.model.independent[3 + k]] - t.f(r, n)).abs();
                    worst = worst.max(e);
                    if step <= 10 {
                        at10 = at10.max(e);
                    }
                }
                sim.step().unwrap();
            }
            eprintln!("SWING {} case {case}: max |dq| over 1 s = {:.2e} rad ({:.3} deg), first 10 ms {:.1e}", f.display(), worst, worst.to_degrees(), at10);
            assert!(
                worst.to_degrees() < 1.0,
                "{} case {case}: {worst}",
                f.display()
            );
        }
    }
}

fn energy(sim: &Sim) -> (f64, f64) {
    let m = &sim.model;
    let nv = m.nv();
    let mut mv = [0.0; super::model::MAX_DOF];
    super::light::mass_mul(&m.tree, &sim.kin.phi, &sim.inertias, &sim.v, &mut mv);
    let ke: f64 = (0..nv).map(|i| 0.5 * sim.v[i] * mv[i]).sum();
    let g = m.gravity;
    let mut pe = 0.0;
    for (b, body) in m.bodies.iter().enumerate() {
        let c = sim.kin.com[b];
        pe -= body.mass * (g[0] * c[0] + g[1] * c[1] + g[2] * c[2]);
    }
    (ke, pe)
}

fn momentum(sim: &Sim) -> [f64; 2] {
    let m = &sim.model;
    let mut p = [0.0; 2];
    for (b, body) in m.bodies.iter().enumerate() {
        let ch = &m.chains[b];
        for &j in ch {
            let (c, _) = super::kinematics::column(m, &sim.kin, j, &sim.kin.com[b]);
            p[0] += body.mass * c[0] * sim.v[j];
            p[1] += body.mass * c[1] * sim.v[j];
        }
    }
    p
}

fn flying_body() -> Sim {
    let mut sim = sim_for("BASELINE");
    sim.flags = super::sim::Flags {
        gravity: true,
        contact: false,
        limit: false,
        equality: false,
        damping: false,
        muscles: false,
    };
    let stand = sim
        .model
        .keyframes
        .iter()
        .find(|k| k.name == "stand")
        .unwrap()
        .clone();
    sim.set_mujoco_state(&stand.qpos, &vec![0.0; stand.qpos.len()], &[]);
    // swing the legs and spin the trunk
    let ind = sim.model.independent;
    for (k, v) in [
        (0, 1.2),
        (1, 0.5),
        (2, 0.8),
        (3, 2.0),
        (4, -3.0),
        (5, 1.0),
        (7, -2.0),
        (8, 1.5),
        (9, -1.0),
    ] {
        sim.v[ind[k]] = v;
    }
    sim
}

use super::sim::Sim;

/// Without damping, muscles, contacts and constraints the total energy is conserved: its
/// drift over 0.5 s is the first-order error of the Euler step (shrinks 10x with a 10x smaller
/// step) and under 0.5 % of the kinetic energy at 0.1 ms.
#[test]
fn energy_is_conserved_without_dissipation() {
    let drift = |h: f64| {
        let mut sim = flying_body();
        sim.model.timestep = h;
        sim.forward().unwrap();
        let (k0, p0) = energy(&sim);
        let mut worst: f64 = 0.0;
        for _ in 0..(0.5 / h).round() as usize {
            sim.step().unwrap();
            sim.forward().unwrap();
            let (k, p) = energy(&sim);
            worst = worst.max(((k + p) - (k0 + p0)).abs());
        }
        (worst, k0)
    };
    let (d1, k0) = drift(1e-3);
    let (d2, _) = drift(1e-4);
    eprintln!(
        "energy: KE0 {k0:.3} J, max |dE| over 0.5 s: {d1:.3e} J at 1 ms, {d2:.3e} J at 0.1 ms"
    );
    assert!(d2 < 5e-3 * k0, "energy drift {d2} J of {k0} J at 0.1 ms");
    assert!(
        d1 / d2 > 5.0,
        "drift does not converge with the step: {d1} vs {d2}"
    );
}

/// Free fall: the linear momentum changes by exactly m·g·t (horizontal momentum conserved).
#[test]
fn free_fall_and_momentum() {
    let mut sim = flying_body();
    sim.forward().unwrap();
    let m_total: f64 = sim.model.bodies.iter().map(|b| b.mass).sum();
    let p0 = momentum(&sim);
    let g = sim.model.gravity;
    let n = 300;
    for _ in 0..n {
        sim.step().unwrap();
    }
    sim.forward().unwrap();
    let p = momentum(&sim);
    let t = n as f64 * sim.model.timestep;
    let want = [p0[0] + m_total * g[0] * t, p0[1] + m_total * g[1] * t];
    eprintln!("momentum after {t} s: {p:?}, expected {want:?} (total mass {m_total})");
    let scale = m_total * 9.81 * t;
    assert!(
        (p[0] - want[0]).abs() < 2e-3 * scale,
        "horizontal momentum {p:?} vs {want:?}"
    );
    assert!(
        (p[1] - want[1]).abs() < 2e-3 * scale,
        "vertical momentum {p:?} vs {want:?}"
    );
    // mass of the simulated tree equals the original model's (arms merged, nothing lost)
    assert!((m_total - sim.model.total_mass).abs() < 1e-9 * m_total);
}

/// Drop test: the body held rigid at `stand` (leg joints and pelvis tilt locked: the passive
/// model cannot stand, see the recorded drop) is dropped 3 cm onto flat ground, and onto a
/// 5-degree slope, and settles; the ground reaction then sums to body weight within 1 % (on
/// the slope friction holds it, mu = 1 > tan 5 deg, up to the creep of soft contacts).
#[test]
fn drop_settles_to_body_weight() {
    for slope in [0.0, 5.0] {
        let mut sim = sim_for("BASELINE");
        sim.set_slope(slope);
        let stand = sim
            .model
            .keyframes
            .iter()
            .find(|k| k.name == "stand")
            .unwrap()
            .clone();
        sim.set_mujoco_state(&stand.qpos, &vec![0.0; stand.qpos.len()], &[]);
        for c in sim.model.couplings.clone() {
            let x = sim.q[c.dof2];
            let p = c.polycoef;
            sim.q[c.dof1] = p[0] + x * (p[1] + x * (p[2] + x * (p[3] + x * p[4])));
        }
        let ind = sim.model.independent;
        for k in 2..11 {
            sim.locked[ind[k]] = true;
        }
        sim.q[ind[1]] += 0.03;
        let mut grf = Vec::new();
        for _ in 0..2000 {
            sim.step().unwrap();
            grf.push(sim.grf_z);
        }
        let settled = grf[1900..].iter().sum::<f64>() / 100.0;
        let weight = sim.model.total_mass * 9.81;
        eprintln!("drop on {slope} deg: settled vertical GRF {settled:.2} N = {:.4} x body weight ({weight:.2} N), pelvis vx {:.2e}", settled / weight, sim.v[ind[0]]);
        assert!(
            (settled / weight - 1.0).abs() < 0.01,
            "slope {slope}: settled GRF {settled} vs weight {weight}"
        );
        // soft contacts creep (MuJoCo's too: the friction rows are regularised like the normal)
        assert!(
            sim.v[ind[0]].abs() < 0.05,
            "slope {slope}: sliding at {} m/s",
            sim.v[ind[0]]
        );
    }
}

/// 20 s of the walking-like workload and a 20-s fall (constant low excitation) stay finite.
#[test]
fn stable_over_twenty_seconds() {
    use super::engine::NativeEngine;
    use crate::engine::{Engine, ResetSpec};
    let mut eng = NativeEngine::new(sim_for("BASELINE").model).unwrap();
    let n = super::bench::workload(&mut eng, 20_000).unwrap();
    assert_eq!(n, 20_000);
    eng.reset(&ResetSpec {
        keyframe: "walk_left".into(),
        ..Default::default()
    })
    .unwrap();
    eng.set_ctrl(&[0.05; 22], &[]);
    eng.step(20_000).unwrap();
    let o = eng.observe();
    assert!(o.q.iter().chain(o.qd.iter()).all(|x| x.is_finite()));
    eprintln!(
        "after a 20-s fall: pelvis height {:.3} m, grf {:.1} N",
        o.pelvis_pos[2], o.grf_z_total
    );
}

/// The CRBA mass matrix equals the Jacobian-sum one at recorded states.
#[test]
fn crba_matches_jacobian_mass_matrix() {
    use super::kinematics::{forward, mass_matrix, mass_matrix_by_jacobians};
    use super::model::MAX_DOF;
    for meta in glob("dynamics_walk", "_meta.json") {
        let rec = load(&meta);
        let mut sim = sim_for(&rec.model);
        for c in rec.checkpoints().iter().take(5) {
            rec.start(&mut sim, c);
            let mut k = super::kinematics::Kin::default();
            forward(&sim.model, &sim.q, &sim.v, &mut k);
            let mut a = sim.model.tree.zeros();
            let mut b = [[0.0; MAX_DOF]; MAX_DOF];
            mass_matrix(&sim.model, &k, &sim.model.tree, &mut a);
            mass_matrix_by_jacobians(&sim.model, &k, &mut b);
            let nv = sim.model.nv();
            for i in 0..nv {
                for j in 0..nv {
                    let aij = sim.model.tree.get(&a, i, j);
                    assert!(
                        (aij - b[i][j]).abs() < 1e-12 * (1.0 + b[i][i].abs()),
                        "M[{i}][{j}] {} vs {}",
                        aij,
                        b[i][j]
                    );
                }
            }
        }
    }
}
