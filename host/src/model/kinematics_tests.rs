//! Kinematics and muscle path tests against `fk_checks.json` and every
//! `muscle_geometry_<MODEL>.csv` of the reference folder.

use super::kinematics::{apply_couplings, total_moments, Kinematics};
use super::{shipped, Transmission, SHIPPED};
use crate::sim::fixtures::{fvec, glob, json, Csv};

#[test]
fn forward_kinematics_matches_fk_checks() {
    let f = json(&crate::reference::dir().join("fk_checks.json"));
    let mut worst: f64 = 0.0;
    let mut n = 0;
    for (variant, cases) in f["models"].as_object().unwrap() {
        let name = SHIPPED
            .iter()
            .find(|s| s.1 == variant)
            .map(|s| s.0)
            .unwrap();
        let m = shipped(name).unwrap();
        let mut k = Kinematics::new(&m);
        let mut moment = vec![0.0; m.nq()];
        for c in c_iter(cases) {
            let q = fvec(&c["qpos"]);
            k.forward(&m, &q);
            for (b, v) in c["body_xpos"].as_object().unwrap() {
                let i = m.body(b).unwrap();
                worst = worst.max(diff(&k.xpos[i], &fvec(v)));
                worst = worst.max(diff(&k.xquat[i], &fvec(&c["body_xquat"][b])));
                n += 1;
            }
            for (s, v) in c["site_xpos"].as_object().unwrap() {
                worst = worst.max(diff(&k.site(&m, m.site(s).unwrap()), &fvec(v)));
                n += 1;
            }
            for (j, v) in c["joint_xanchor"].as_object().unwrap() {
                worst = worst.max(diff(&k.xanchor[m.joint(j).unwrap()], &fvec(v)));
            }
            for (t, v) in c["tendon_length"].as_object().unwrap() {
                let ti = m.tendons.iter().position(|x| &x.name == t).unwrap();
                worst = worst.max((k.tendon(&m, ti, &mut moment) - v.as_f64().unwrap()).abs());
                n += 1;
            }
        }
    }
    eprintln!("fk_checks: {n} values, max error {worst:e}");
    assert!(n > 1000, "only {n} values checked");
    assert!(
        worst <= 1e-12,
        "forward kinematics differs from MuJoCo by {worst}"
    );
}

fn c_iter(v: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    v.as_array().into_iter().flatten()
}

fn diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn muscle_lengths_and_moment_arms_match_every_sample() {
    let files = glob("muscle_geometry_", ".csv");
    assert!(!files.is_empty());
    let (mut wl, mut wm, mut rows): (f64, f64, usize) = (0.0, 0.0, 0);
    for path in &files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let variant = stem.trim_start_matches("muscle_geometry_");
        let name = SHIPPED
            .iter()
            .find(|s| s.1 == variant)
            .map(|s| s.0)
            .unwrap_or_else(|| panic!("{stem}: unknown model"));
        let m = shipped(name).unwrap();
        let csv = Csv::read(path);
        let stand = m.keyframe("stand").unwrap().qpos.clone();
        let mut k = Kinematics::new(&m);
        let (mut moment, mut total) = (vec![0.0; m.nq()], vec![0.0; m.nq()]);
        let joint_cols: Vec<(usize, String)> = csv
            .header
            .iter()
            .filter_map(|h| m.joint(h).map(|j| (j, h.clone())))
            .collect();
        assert!(joint_cols.len() >= 7, "{stem}: joint columns");
        for r in 0..csv.rows.len() {
            let mut q = stand.clone();
            for (j, h) in &joint_cols {
                q[*j] = csv.f(r, h);
            }
            apply_couplings(&m, &mut q);
            k.forward(&m, &q);
            for (a, act) in m.actuators.iter().enumerate() {
                let col = format!("L_{}", act.name);
                if !csv.has(&col) {
                    continue;
                }
                let Transmission::Tendon(t) = act.transmission else {
                    panic!("{}: not a tendon", act.name)
                };
                let len = k.tendon(&m, t, &mut moment) * act.gear;
                wl = wl.max((len - csv.f(r, &col)).abs());
                total_moments(&m, &q, &moment, &mut total);
                for (j, jn) in &joint_cols {
                    let col = format!("dL_{}__d_{jn}", m.actuators[a].name);
                    let expect = if csv.has(&col) { csv.f(r, &col) } else { 0.0 };
                    wm = wm.max((total[*j] * act.gear - expect).abs());
                }
            }
            rows += 1;
        }
    }
    assert!(rows >= 400, "only {rows} samples");
    assert!(wl <= 1e-12, "muscle length differs by {wl} m");
    assert!(wm <= 1e-10, "moment arm differs by {wm} m/rad");
    eprintln!("muscle geometry: {rows} samples, max length error {wl:e} m, max moment arm error {wm:e} m/rad");
}
