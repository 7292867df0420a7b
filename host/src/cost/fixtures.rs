//! Reproduces every recorded cost case of the reference folder (`cost_*_results.json` with
//! their `cost_*.csv` records) to 1e-9 relative, for every cost type and threshold variant.

use super::report::{cost_dict, DictValue};
use super::*;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

fn load_records(dir: &Path, files: &[Value]) -> Vec<StepRecord> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(dir.join(f.as_str().unwrap())).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (*h, i)).collect();
        for line in lines.filter(|l| !l.is_empty()) {
            let w: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
            let g = |name: &str| col.get(name).map_or(0.0, |&i| w[i]);
            let mut r = StepRecord {
                sim_time: g("sim_time"),
                new_step: g("new_step") == 1.0,
                pelvis: [g("pelvis_x"), g("pelvis_y"), g("pelvis_z")],
                grf: [g("GRF_l"), g("GRF_r")],
                ..Default::default()
            };
            for (i, n) in record::ANGLE_NAMES.iter().enumerate() {
                r.angles[i] = g(n);
            }
            for (s, side) in ["r", "l"].iter().enumerate() {
                for (j, joint) in ["hip", "knee", "ankle"].iter().enumerate() {
                    for (c, ax) in ["x", "y", "z"].iter().enumerate() {
                        r.anchors[s][j][c] = g(&format!("{side}_{joint}_pos_{ax}"));
                    }
                }
            }
            for (m, name) in crate::engine::MUSCLE_NAMES.iter().enumerate() {
                r.act[m] = g(&format!("act_{name}"));
            }
            out.push(r);
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-300) || (a - b).abs() <= 1e-12
}

#[test]
fn every_recorded_cost_case_reproduces() {
    let dir = crate::reference::dir();
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.starts_with("cost_") && n.ends_with("_results.json")
        })
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no cost_*_results.json in {}",
        dir.display()
    );
    let mut checked = 0;
    let mut worst = 0.0f64;
    for case in &cases {
        let j: Value = serde_json::from_str(&std::fs::read_to_string(case).unwrap()).unwrap();
        let recs = load_records(&dir, j["files"].as_array().unwrap());
        assert_eq!(recs.len(), j["rows"].as_u64().unwrap() as usize);
        let params: Vec<f64> = j["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let sum: f64 = params.iter().map(|p| (p - 1.0).abs()).sum();
        assert!(close(sum, j["sum_abs_p_minus_1"].as_f64().unwrap()));
        let info = EpisodeInfo {
            dt: j["ctrl_dt"].as_f64().unwrap(),
            timestep_limit: j["timestep_limit"].as_u64().unwrap() as usize,
            mass: j["mass"].as_f64().unwrap(),
            slope_deg: j["slope_deg"].as_f64().unwrap(),
            params: &params,
        };
        for ev in j["evaluations"].as_array().unwrap() {
            let st = &ev["settings"];
            for (name, want) in ev["totals"].as_object().unwrap() {
                let ty =
                    CostType::from_long_name(name).unwrap_or_else(|| panic!("unknown type {name}"));
                let settings = CostSettings {
                    cost_type: ty,
                    tgt_vel: st["tgt_vel"].as_f64().unwrap(),
                    num_strides: st["num_strides"].as_u64().unwrap() as usize,
                    tgt_sym_th: st["tgt_sym_th"].as_f64().unwrap(),
                    tgt_grf_th: st["tgt_grf_th"].as_f64().unwrap(),
                    myoassist_parity: true,
                    weights: Default::default(),
                };
                let got = evaluate(&recs, &info, &settings);
                let tag = format!("{} {} {name}", case.display(), ev["variant"]);
                match want.as_f64() {
                    Some(w) => {
                        assert!(close(got.total, w), "{tag}: {} vs {w}", got.total);
                        worst = worst.max((got.total - w).abs() / w.abs());
                        checked += 1;
                    }
                    None => {
                        // The original raises for Combined once the early tiers pass; ours is
                        // defined (effort + kinematic + trunk + GRF + 1000 v behind the gate).
                        assert_eq!(ty, CostType::Combined, "{tag}");
                        assert!(got.components.is_some(), "{tag}");
                    }
                }
                // Without the parity switch the sum |p - 1| term is gone from walking tiers.
                let fixed = evaluate(
                    &recs,
                    &info,
                    &CostSettings {
                        myoassist_parity: false,
                        weights: Default::default(),
                        ..settings.clone()
                    },
                );
                let expect = if got.components.is_some() {
                    got.total - sum
                } else {
                    got.total
                };
                assert!(close(fixed.total, expect), "{tag}: parity off");
                if ty == CostType::Kine {
                    match (&ev["cost_dict"], &got.components) {
                        (Value::Object(d), Some(c)) => {
                            for (k, v) in cost_dict(c) {
                                match v {
                                    DictValue::Num(x) => {
                                        let w = d[k].as_f64().unwrap();
                                        assert!(close(x, w), "{tag} {k}: {x} vs {w}");
                                        checked += 1;
                                    }
                                    DictValue::Vec2(a) => {
                                        for (x, w) in a.iter().zip(d[k].as_array().unwrap()) {
                                            assert!(close(*x, w.as_f64().unwrap()), "{tag} {k}");
                                        }
                                        checked += 1;
                                    }
                                    DictValue::None => assert!(d[k].is_null()),
                                }
                            }
                        }
                        (Value::Number(n), None) => {
                            assert!(close(got.total, n.as_f64().unwrap()), "{tag}")
                        }
                        (d, c) => panic!("{tag}: dictionary {d} vs components {c:?}"),
                    }
                }
            }
        }
    }
    eprintln!(
        "{} cost cases, {checked} values reproduced, worst total rel. error {worst:e}",
        cases.len()
    );
    assert!(checked > 100);
}
