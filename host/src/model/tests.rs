//! Import tests against the compiled-MuJoCo facts in `../shared/reference` (every
//! `model_summary_*.json` found, the foot contact geometry) and the bad-file errors.

use super::{mjcf, shipped, ActuatorKind, Model, Role, Shape, SHIPPED};
use crate::model::math;
use crate::sim::fixtures::{fvec, glob, json};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn mjcf_dir() -> PathBuf {
    crate::reference::dir().join("models/22muscle_2D")
}

/// Every variant imported once for all tests (an import reads and hulls ~30 meshes).
fn import_variant(variant: &str) -> &'static Model {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<Vec<(String, &'static Model)>>> =
        std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, m)) = c.iter().find(|(v, _)| v == variant) {
        return m;
    }
    let p = mjcf_dir().join(format!("myoLeg22_2D_{variant}.xml"));
    let m: &'static Model = Box::leak(Box::new(
        mjcf::import(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    ));
    c.push((variant.to_string(), m));
    m
}

fn maxdiff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Full inertia tensor in the body frame from principal moments and frame.
fn tensor(diag: &[f64], q: &[f64]) -> Vec<f64> {
    let r = math::qmat(&[q[0], q[1], q[2], q[3]]);
    let mut t = vec![0.0; 9];
    for i in 0..3 {
        for j in 0..3 {
            t[3 * i + j] = (0..3).map(|k| r[3 * i + k] * diag[k] * r[3 * j + k]).sum();
        }
    }
    t
}

const TOL: f64 = 1e-12;

fn check_summary(path: &Path) -> usize {
    let s = json(path);
    let variant = s["model"].as_str().unwrap_or_default();
    let m = import_variant(variant);
    let mut checked = 0;
    let (bodies, joints) = (
        s["bodies"].as_array().unwrap(),
        s["joints"].as_array().unwrap(),
    );
    assert_eq!(m.bodies.len(), bodies.len(), "{variant}: body count");
    for (b, r) in m.bodies.iter().zip(bodies) {
        assert_eq!(b.name, r["name"].as_str().unwrap());
        let what = format!("{variant} body {}", b.name);
        assert_eq!(
            m.bodies[b.parent].name,
            r["parent"].as_str().unwrap(),
            "{what}"
        );
        assert!(maxdiff(&b.pos, &fvec(&r["pos"])) <= TOL, "{what} pos");
        assert!(maxdiff(&b.quat, &fvec(&r["quat"])) <= TOL, "{what} quat");
        let mass = r["mass"].as_f64().unwrap();
        assert!(
            (b.mass - mass).abs() <= TOL * mass.max(1.0),
            "{what} mass {} vs {mass}",
            b.mass
        );
        assert!(
            maxdiff(&b.inertia, &fvec(&r["inertia_diag"])) <= TOL,
            "{what} inertia"
        );
        if b.mass > 0.0 {
            assert!(maxdiff(&b.ipos, &fvec(&r["ipos"])) <= TOL, "{what} ipos");
            let (a, e) = (
                tensor(&b.inertia, &b.iquat),
                tensor(&fvec(&r["inertia_diag"]), &fvec(&r["iquat"])),
            );
            assert!(maxdiff(&a, &e) <= TOL, "{what} inertia tensor");
        }
        checked += 1;
    }
    assert!(
        (m.total_mass() - s["total_mass"].as_f64().unwrap()).abs() <= 1e-10,
        "{variant} total mass"
    );
    assert_eq!(m.joints.len(), joints.len(), "{variant}: joint count");
    for (j, r) in m.joints.iter().zip(joints) {
        let what = format!("{variant} joint {}", j.name);
        assert_eq!(j.name, r["name"].as_str().unwrap());
        assert_eq!(m.bodies[j.body].name, r["body"].as_str().unwrap(), "{what}");
        assert_eq!(
            format!("mjJNT_{:?}", j.jtype).to_uppercase(),
            r["type"].as_str().unwrap().to_uppercase(),
            "{what}"
        );
        assert_eq!(j.limited, r["limited"].as_bool().unwrap(), "{what} limited");
        if j.limited {
            assert!(maxdiff(&j.range, &fvec(&r["range"])) <= TOL, "{what} range");
        }
        let scalars = [
            j.damping,
            j.armature,
            j.stiffness,
            j.frictionloss,
            j.qpos0,
            j.margin,
        ];
        let keys = [
            "damping",
            "armature",
            "stiffness",
            "frictionloss",
            "ref_qpos0",
            "margin",
        ];
        for (v, k) in scalars.iter().zip(keys) {
            assert!((v - r[k].as_f64().unwrap()).abs() <= TOL, "{what} {k}");
        }
        assert!(
            maxdiff(&j.pos, &fvec(&r["pos"])) <= TOL && maxdiff(&j.axis, &fvec(&r["axis"])) <= TOL,
            "{what} pos/axis"
        );
        assert!(
            maxdiff(&j.solref_limit, &fvec(&r["solref_limit"])) <= TOL,
            "{what} solref"
        );
        assert!(
            maxdiff(&j.solimp_limit, &fvec(&r["solimp_limit"])) <= TOL,
            "{what} solimp"
        );
        checked += 1;
    }
    let independent: Vec<&str> = m
        .independent_joints()
        .iter()
        .map(|&j| m.joints[j].name.as_str())
        .collect();
    let expect: Vec<&str> = s["independent_dofs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["joint"].as_str().unwrap())
        .collect();
    assert_eq!(independent, expect, "{variant}: independent DOFs");
    let welded: Vec<&str> = m
        .joints
        .iter()
        .filter(|j| j.role == Role::Welded)
        .map(|j| j.name.as_str())
        .collect();
    let expect: Vec<&str> = s["other_joints_not_independent_and_not_coupled"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["joint"].as_str().unwrap())
        .collect();
    assert_eq!(welded, expect, "{variant}: welded joints");
    let eqs = s["equality"].as_array().unwrap();
    assert_eq!(m.couplings.len(), eqs.len());
    for (c, r) in m.couplings.iter().zip(eqs) {
        assert_eq!(m.joints[c.dependent].name, r["joint1"].as_str().unwrap());
        assert_eq!(m.joints[c.driver].name, r["joint2"].as_str().unwrap());
        let v = [&c.polycoef[..], &c.solref, &c.solimp].concat();
        let e = [fvec(&r["polycoef"]), fvec(&r["solref"]), fvec(&r["solimp"])].concat();
        assert!(
            maxdiff(&v, &e) <= TOL,
            "{variant} coupling of {}",
            m.joints[c.dependent].name
        );
        checked += 1;
    }
    let acts = s["actuators"].as_array().unwrap();
    assert_eq!(m.actuators.len(), acts.len());
    for (a, r) in m.actuators.iter().zip(acts) {
        let what = format!("{variant} actuator {}", a.name);
        assert_eq!(a.name, r["name"].as_str().unwrap());
        assert_eq!(
            a.kind == ActuatorKind::Muscle,
            r["gaintype"].as_str() == Some("mjGAIN_MUSCLE"),
            "{what} kind"
        );
        for (v, k) in [
            (&a.gainprm[..], "gainprm"),
            (&a.biasprm, "biasprm"),
            (&a.dynprm, "dynprm"),
            (&a.ctrlrange, "ctrlrange"),
            (&a.lengthrange, "lengthrange"),
        ] {
            assert!(maxdiff(v, &fvec(&r[k])) <= TOL, "{what} {k}");
        }
        assert_eq!(a.gear, fvec(&r["gear"])[0], "{what} gear");
        assert_eq!(
            a.ctrllimited,
            r["ctrllimited"].as_bool().unwrap(),
            "{what} ctrllimited"
        );
        let target = match a.transmission {
            super::Transmission::Joint(j) => m.joints[j].name.clone(),
            super::Transmission::Tendon(t) => m.tendons[t].name.clone(),
        };
        assert_eq!(target, r["target"].as_str().unwrap(), "{what} target");
        checked += 1;
    }
    let tendons = s["tendons"].as_array().unwrap();
    assert_eq!(m.tendons.len(), tendons.len());
    for (t, r) in m.tendons.iter().zip(tendons) {
        let path: Vec<&str> = r["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["site"].as_str().unwrap())
            .collect();
        let ours: Vec<&str> = t.sites.iter().map(|&i| m.sites[i].name.as_str()).collect();
        assert_eq!(ours, path, "{variant} tendon {}", t.name);
    }
    let sites = s["sites"].as_array().unwrap();
    assert_eq!(m.sites.len(), sites.len());
    for (st, r) in m.sites.iter().zip(sites) {
        assert_eq!(st.name, r["name"].as_str().unwrap());
        let v = [&st.pos[..], &st.quat, &st.size].concat();
        let e = [fvec(&r["pos"]), fvec(&r["quat"]), fvec(&r["size"])].concat();
        assert!(maxdiff(&v, &e) <= TOL, "{variant} site {}", st.name);
        assert_eq!(m.bodies[st.body].name, r["body"].as_str().unwrap());
    }
    let geoms = s["geoms"].as_array().unwrap();
    assert_eq!(m.geoms.len(), geoms.len());
    for (g, r) in m.geoms.iter().zip(geoms) {
        let what = format!("{variant} geom {}", g.name);
        assert_eq!(g.name, r["name"].as_str().unwrap());
        let v = [
            &g.friction[..],
            &g.solref,
            &g.solimp,
            &[
                g.solmix,
                g.margin,
                g.gap,
                g.contype as f64,
                g.conaffinity as f64,
                g.condim as f64,
            ],
        ]
        .concat();
        let e = [
            fvec(&r["friction"]),
            fvec(&r["solref"]),
            fvec(&r["solimp"]),
            [
                "solmix",
                "margin",
                "gap",
                "contype",
                "conaffinity",
                "condim",
            ]
            .iter()
            .map(|k| r[k].as_f64().unwrap())
            .collect(),
        ]
        .concat();
        assert!(maxdiff(&v, &e) <= TOL, "{what} contact parameters");
        // the missing meshes were replaced by a placeholder upstream: only their frame differs
        if let Shape::Mesh { hull: Some(h), .. } = &g.shape {
            let e = r["rbound"].as_f64().unwrap();
            assert!(
                (h.rbound - e).abs() <= TOL,
                "{what} rbound {} vs {e}",
                h.rbound
            );
        }
        if !matches!(&g.shape, Shape::Mesh { hull: None, .. }) {
            assert!(maxdiff(&g.pos, &fvec(&r["pos"])) <= TOL, "{what} pos");
            let q = fvec(&r["quat"]);
            let neg: Vec<f64> = q.iter().map(|x| -x).collect();
            assert!(
                maxdiff(&g.quat, &q).min(maxdiff(&g.quat, &neg)) <= TOL,
                "{what} quat"
            );
        }
    }
    let pairs = s["contact_pairs"].as_array().unwrap();
    assert_eq!(m.contact_pairs.len(), pairs.len());
    for (p, r) in m.contact_pairs.iter().zip(pairs) {
        assert_eq!(m.geoms[p.geom1].name, r["geom1"].as_str().unwrap());
        assert_eq!(m.geoms[p.geom2].name, r["geom2"].as_str().unwrap());
        let v = [
            &p.friction[..],
            &p.solref,
            &p.solimp,
            &[p.margin, p.gap, p.condim as f64],
        ]
        .concat();
        let e = [
            fvec(&r["friction"]),
            fvec(&r["solref"]),
            fvec(&r["solimp"]),
            vec![
                r["margin"].as_f64().unwrap(),
                r["gap"].as_f64().unwrap(),
                r["condim"].as_f64().unwrap(),
            ],
        ]
        .concat();
        assert!(maxdiff(&v, &e) <= TOL, "{variant} pair");
    }
    let keys = s["keyframes"].as_array().unwrap();
    assert_eq!(m.keyframes.len(), keys.len());
    for (k, r) in m.keyframes.iter().zip(keys) {
        assert_eq!(k.name, r["name"].as_str().unwrap());
        let v = [&k.qpos[..], &k.qvel, &k.act, &k.ctrl].concat();
        let e = [
            fvec(&r["qpos"]),
            fvec(&r["qvel"]),
            fvec(&r["act"]),
            fvec(&r["ctrl"]),
        ]
        .concat();
        assert!(maxdiff(&v, &e) <= TOL, "{variant} keyframe {}", k.name);
    }
    let sensors: Vec<String> = s["sensors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect();
    let ours: Vec<String> = m
        .touch_sensors
        .iter()
        .map(|t| t.name.clone())
        .chain(m.limit_sensors.iter().map(|l| l.name.clone()))
        .collect();
    assert_eq!(ours, sensors, "{variant} sensors");
    let missing = m
        .geoms
        .iter()
        .filter(|g| matches!(&g.shape, Shape::Mesh { hull: None, .. }))
        .count();
    assert_eq!(
        missing,
        m.warnings.len(),
        "{variant}: one warning per missing mesh"
    );
    assert_eq!(
        missing > 0,
        !s["compile_note"].is_null(),
        "{variant}: missing mesh iff the summary notes one"
    );
    checked
}

#[test]
fn import_matches_every_model_summary() {
    let files = glob("model_summary_", ".json");
    assert!(
        !files.is_empty(),
        "no model summaries in the reference folder"
    );
    for f in &files {
        let n = check_summary(f);
        assert!(n > 100, "{}: only {n} facts checked", f.display());
    }
}

/// Distance of the imported hull's vertices from MuJoCo's, IN ORDER (MuJoCo's graph order
/// decides the plane contacts); the triangles must be MuJoCo's, in order, when given.
fn hull_matches(m: &Model, geom: &str, vertices: &Value, faces: Option<&Value>) -> f64 {
    let g = m
        .geoms
        .iter()
        .find(|g| g.name == geom)
        .unwrap_or_else(|| panic!("{}: no geom {geom}", m.name));
    let Shape::Mesh { hull: Some(h), .. } = &g.shape else {
        panic!("{geom}: no hull")
    };
    let theirs: Vec<Vec<f64>> = vertices.as_array().unwrap().iter().map(fvec).collect();
    assert_eq!(
        h.vertices.len(),
        theirs.len(),
        "{}: {geom} hull vertex count",
        m.name
    );
    if let Some(faces) = faces {
        let theirs: Vec<[u32; 3]> = faces
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let x = fvec(t);
                [x[0] as u32, x[1] as u32, x[2] as u32]
            })
            .collect();
        assert!(h.faces == theirs, "{}: {geom} hull faces differ", m.name);
    }
    h.vertices
        .iter()
        .zip(&theirs)
        .map(|(a, b)| maxdiff(a, b))
        .fold(0.0, f64::max)
}

/// The hulls the reference gives (MuJoCo's `mesh_graph` of the feet, vertices of the small exo
/// geoms) equal the imported ones in order; the feet are the same in every variant that has them.
#[test]
fn hulls_match_mujoco_in_order() {
    let f = json(&crate::reference::dir().join("foot_contact_geometry.json"));
    let base = import_variant("BASELINE");
    let mut worst: f64 = 0.0;
    let mut feet = 0;
    for (_, foot) in f["feet"].as_object().unwrap() {
        let geom = foot["geom"]["geom"].as_str().unwrap();
        for (_, variant) in SHIPPED {
            let m = import_variant(variant);
            if m.geoms.iter().any(|g| g.name == geom) {
                worst = worst.max(hull_matches(
                    m,
                    geom,
                    &foot["hull_vertices"],
                    Some(&foot["hull_faces"]),
                ));
                feet += 1;
            }
        }
    }
    assert!(feet >= 4 * 6, "only {feet} feet compared");
    // touch boxes
    for t in f["touch_sensors"].as_array().unwrap() {
        let s = &base.sites[base.site(t["site"].as_str().unwrap()).unwrap()];
        let v = [&s.pos[..], &s.quat, &s.size].concat();
        let e = [fvec(&t["pos"]), fvec(&t["quat"]), fvec(&t["half_sizes"])].concat();
        assert!(maxdiff(&v, &e) <= TOL, "touch site {}", s.name);
    }
    // exo geoms: the vertices of those the reference lists (small ones), the counts of all
    for (variant, v) in f["exo_foot_subtree_geoms"].as_object().unwrap() {
        let m = import_variant(variant);
        for g in v["geoms"].as_array().unwrap() {
            let name = g["geom"].as_str().unwrap();
            if g["hull_vertices"].as_array().is_some_and(|a| !a.is_empty()) {
                worst = worst.max(hull_matches(m, name, &g["hull_vertices"], None));
            }
            let geom = m.geoms.iter().find(|x| x.name == name).unwrap();
            let Shape::Mesh { hull: Some(h), .. } = &geom.shape else {
                panic!("{variant}: {name} has no hull")
            };
            assert_eq!(
                Some(h.vertices.len() as u64),
                g["hull_vertex_count"].as_u64(),
                "{variant}: {name} hull vertex count"
            );
        }
    }
    assert!(worst <= 1e-15, "hull vertices differ by {worst}");
}

#[test]
fn shipped_models_are_current_imports() {
    for (name, variant) in SHIPPED {
        let s = shipped(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let fresh = import_variant(variant);
        assert!(
            &s == fresh,
            "host/models/{name}.json differs from a fresh import: run scripts/import-models"
        );
    }
}

/// Writes a modified copy of BASELINE next to links to the meshes and the terrain include,
/// imports it and returns the error text.
fn import_error(edit: &dyn Fn(&str) -> String) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "myoreflex-model-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    let sub = dir.join("22muscle_2D");
    std::fs::create_dir_all(&sub).unwrap();
    let models = crate::reference::dir().join("models");
    let models = std::fs::canonicalize(&models).unwrap_or(models);
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(models.join("mesh"), dir.join("mesh"));
        let _ = std::os::unix::fs::symlink(
            models.join("terrain_config.xml"),
            dir.join("terrain_config.xml"),
        );
    }
    let text = std::fs::read_to_string(mjcf_dir().join("myoLeg22_2D_BASELINE.xml")).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit did not apply");
    let p = sub.join("bad.xml");
    std::fs::write(&p, edited).unwrap();
    let r = mjcf::import(&p);
    let _ = std::fs::remove_dir_all(&dir);
    match r {
        Ok(_) => panic!("a bad file was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_files_fail_naming_the_element() {
    let e = import_error(&|t| t.replace("<body name=\"tibia_l\"", "<body name=\"shin_l\""));
    assert!(e.contains("missing body 'tibia_l'"), "{e}");
    let e = import_error(&|t| {
        t.replace(
            "name=\"knee_angle_r\" pos=\"0 0 0\" range",
            "name=\"knee_angle_r\" type=\"ball\" pos=\"0 0 0\" range",
        )
    });
    assert!(
        e.contains("wrong joint type 'ball'") && e.contains("knee_angle_r"),
        "{e}"
    );
    let e = import_error(&|t| t.replace("name=\"soleus_l\"", "name=\"popliteus_l\""));
    assert!(e.contains("unknown muscle 'popliteus_l'"), "{e}");
    let e = import_error(&|t| t.replacen("mass=\"9.3014\"", "mass=\"nan\"", 1));
    assert!(
        e.contains("'nan' is not a finite number") && e.contains("<inertial"),
        "{e}"
    );
    let e = import_error(&|t| t.replace("tendon=\"vasti_l_tendon\"", "tendon=\"vasti_x_tendon\""));
    assert!(
        e.contains("unknown tendon 'vasti_x_tendon'") && e.contains("vasti_l"),
        "{e}"
    );
    let e = import_error(&|t| t.replace("<site site=\"edl_l-P3\"/>", "<site site=\"edl_l-P9\"/>"));
    assert!(e.contains("unknown site 'edl_l-P9'"), "{e}");
    // the message names the file and line
    assert!(e.contains("bad.xml") && e.contains("line "), "{e}");
}

#[test]
fn bad_model_files_fail_validation() {
    let text = super::shipped_files::FILES[0].1;
    let p = Path::new("baseline.json");
    let nan = text.replacen("\"mass\": 11.777", "\"mass\": NaN", 1);
    assert!(Model::from_json(&nan, p).is_err());
    let mut m: Model = serde_json::from_str(text).unwrap();
    m.joints[3].body = 999;
    let e = m.validate(p).unwrap_err().to_string();
    assert!(e.contains("femur_r") && e.contains("joint index 3"), "{e}");
    let mut m: Model = serde_json::from_str(text).unwrap();
    m.bodies[5].mass = f64::NAN;
    let e = m.validate(p).unwrap_err().to_string();
    assert!(e.contains("talus_r") && e.contains("non-finite"), "{e}");
}
