//! Reads a compiled-MuJoCo model summary (`model_summary_<MODEL>.json`) plus the foot contact
//! geometry (`foot_contact_geometry.json`) of the reference folder into the project's
//! [`Model`]. The shipped model files (`host/models/`, `myoreflex model import`) are the normal
//! source; this reader lets the simulator be validated against MuJoCo's own compiled numbers
//! (and runs until the shipped files exist). Only the foot hulls are known here.

use super::build::BuildError;
use crate::model::*;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}
fn fv(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(f).collect())
        .unwrap_or_default()
}
fn a3(v: &Value) -> [f64; 3] {
    let x = fv(v);
    [
        x.first().copied().unwrap_or(0.0),
        x.get(1).copied().unwrap_or(0.0),
        x.get(2).copied().unwrap_or(0.0),
    ]
}
fn a4(v: &Value) -> [f64; 4] {
    let x = fv(v);
    [x[0], x[1], x[2], x[3]]
}
fn a2(v: &Value) -> [f64; 2] {
    let x = fv(v);
    [
        x.first().copied().unwrap_or(0.0),
        x.get(1).copied().unwrap_or(0.0),
    ]
}
fn a5(v: &Value) -> [f64; 5] {
    let x = fv(v);
    [x[0], x[1], x[2], x[3], x[4]]
}
fn a10(v: &Value) -> [f64; 10] {
    let x = fv(v);
    let mut o = [0.0; 10];
    for (i, y) in x.iter().take(10).enumerate() {
        o[i] = *y;
    }
    o
}
fn s(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

pub fn read(summary_path: &Path, contact_path: &Path) -> Result<Model, BuildError> {
    let err = |p: &Path, w: String| BuildError {
        file: p.display().to_string(),
        what: w,
    };
    let read = |p: &Path| -> Result<Value, BuildError> {
        let t = std::fs::read_to_string(p).map_err(|e| err(p, e.to_string()))?;
        serde_json::from_str(&t).map_err(|e| err(p, e.to_string()))
    };
    let sm = read(summary_path)?;
    let cg = read(contact_path)?;
    let e = |w: String| err(summary_path, w);
    let arr = |k: &str| sm[k].as_array().cloned().unwrap_or_default();
    let jb = arr("bodies");
    let jj = arr("joints");
    let bidx: HashMap<String, usize> = jb
        .iter()
        .enumerate()
        .map(|(i, b)| (s(&b["name"]), i))
        .collect();
    let jidx: HashMap<String, usize> = jj
        .iter()
        .enumerate()
        .map(|(i, j)| (s(&j["name"]), i))
        .collect();
    let body_of = |n: &str| {
        bidx.get(n)
            .copied()
            .ok_or_else(|| e(format!("unknown body `{n}`")))
    };
    let joint_of = |n: &str| {
        jidx.get(n)
            .copied()
            .ok_or_else(|| e(format!("unknown joint `{n}`")))
    };

    let bodies = jb
        .iter()
        .map(|b| {
            Ok(Body {
                name: s(&b["name"]),
                parent: body_of(&s(&b["parent"]))?,
                pos: a3(&b["pos"]),
                quat: a4(&b["quat"]),
                mass: f(&b["mass"]),
                inertia: a3(&b["inertia_diag"]),
                ipos: a3(&b["ipos"]),
                iquat: a4(&b["iquat"]),
                joints: b["joints"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| joint_of(&s(n)))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let eqs = arr("equality");
    let stand = arr("keyframes")
        .into_iter()
        .find(|k| k["name"] == "stand")
        .ok_or_else(|| e("no keyframe `stand`".into()))?;
    let stand_q = fv(&stand["qpos"]);
    let independent: Vec<String> = arr("independent_dofs")
        .iter()
        .map(|d| s(&d["joint"]))
        .collect();
    let joints = jj
        .iter()
        .enumerate()
        .map(|(i, j)| {
            let name = s(&j["name"]);
            let role = if independent.contains(&name) {
                Role::Independent
            } else if let Some(c) = eqs.iter().position(|q| s(&q["joint1"]) == name) {
                Role::Coupled { coupling: c }
            } else {
                Role::Welded
            };
            Ok(Joint {
                body: body_of(&s(&j["body"]))?,
                jtype: if j["type"] == "mjJNT_HINGE" {
                    JointType::Hinge
                } else {
                    JointType::Slide
                },
                pos: a3(&j["pos"]),
                axis: a3(&j["axis"]),
                role,
                limited: j["limited"].as_bool().unwrap_or(false),
                range: a2(&j["range"]),
                damping: f(&j["damping"]),
                armature: f(&j["armature"]),
                stiffness: f(&j["stiffness"]),
                springref: f(&j["springref"]),
                frictionloss: f(&j["frictionloss"]),
                solref_limit: a2(&j["solref_limit"]),
                solimp_limit: a5(&j["solimp_limit"]),
                margin: f(&j["margin"]),
                qpos0: f(&j["ref_qpos0"]),
                weld_value: stand_q.get(i).copied().unwrap_or(0.0),
                name,
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let couplings = eqs
        .iter()
        .map(|q| {
            Ok(Coupling {
                dependent: joint_of(&s(&q["joint1"]))?,
                driver: joint_of(&s(&q["joint2"]))?,
                polycoef: a5(&q["polycoef"]),
                solref: a2(&q["solref"]),
                solimp: a5(&q["solimp"]),
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let js = arr("sites");
    let sidx: HashMap<String, usize> = js
        .iter()
        .enumerate()
        .map(|(i, x)| (s(&x["name"]), i))
        .collect();
    let sites = js
        .iter()
        .map(|x| {
            Ok(Site {
                name: s(&x["name"]),
                body: body_of(&s(&x["body"]))?,
                pos: a3(&x["pos"]),
                quat: a4(&x["quat"]),
                shape: if x["type"] == "mjGEOM_BOX" {
                    SiteShape::Box
                } else {
                    SiteShape::Sphere
                },
                size: a3(&x["size"]),
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let jt = arr("tendons");
    let tidx: HashMap<String, usize> = jt
        .iter()
        .enumerate()
        .map(|(i, x)| (s(&x["name"]), i))
        .collect();
    let tendons = jt
        .iter()
        .map(|t| {
            Ok(Tendon {
                name: s(&t["name"]),
                sites: t["path"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|w| {
                        sidx.get(&s(&w["site"]))
                            .copied()
                            .ok_or_else(|| e(format!("unknown site {}", w["site"])))
                    })
                    .collect::<Result<_, _>>()?,
                limited: t["limited"].as_bool().unwrap_or(false),
                range: a2(&t["range"]),
                stiffness: f(&t["stiffness"]),
                damping: f(&t["damping"]),
                springlength: None,
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let actuators = arr("actuators")
        .iter()
        .map(|a| {
            let muscle = a["gaintype"] == "mjGAIN_MUSCLE";
            let gp = a10(&a["gainprm"]);
            let bp = a10(&a["biasprm"]);
            let dp = a10(&a["dynprm"]);
            let transmission = if a["trntype"] == "mjTRN_JOINT" {
                Transmission::Joint(joint_of(&s(&a["target"]))?)
            } else {
                Transmission::Tendon(
                    tidx.get(&s(&a["target"]))
                        .copied()
                        .ok_or_else(|| e(format!("unknown tendon {}", a["target"])))?,
                )
            };
            let name = s(&a["name"]);
            Ok(Actuator {
                kind: if muscle && !name.starts_with("Exo") {
                    ActuatorKind::Muscle
                } else {
                    ActuatorKind::Device
                },
                transmission,
                gear: fv(&a["gear"]).first().copied().unwrap_or(1.0),
                dynamics: if a["dyntype"] == "mjDYN_MUSCLE" {
                    Dynamics::Muscle {
                        tau_act: dp[0],
                        tau_deact: dp[1],
                        tausmooth: dp[2],
                    }
                } else {
                    Dynamics::None
                },
                gain: if muscle {
                    Gain::Muscle(MusclePrm::from_prm(&gp))
                } else {
                    Gain::Fixed { k: gp[0] }
                },
                bias: if a["biastype"] == "mjBIAS_MUSCLE" {
                    Bias::Muscle(MusclePrm::from_prm(&bp))
                } else {
                    Bias::None
                },
                ctrllimited: a["ctrllimited"].as_bool().unwrap_or(false),
                ctrlrange: a2(&a["ctrlrange"]),
                lengthrange: a2(&a["lengthrange"]),
                gainprm: gp,
                biasprm: bp,
                dynprm: dp,
                name,
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    // geoms: the ground plane and the foot hulls (other meshes have no hull here)
    let feet = cg["feet"].as_object().cloned().unwrap_or_default();
    let hulls: HashMap<String, &Value> = feet
        .values()
        .map(|ft| (s(&ft["geom"]["geom"]), ft))
        .collect();
    let geoms = arr("geoms")
        .iter()
        .map(|g| {
            let name = s(&g["name"]);
            let shape = match g["type"].as_str().unwrap_or("") {
                "mjGEOM_PLANE" => Shape::Plane {
                    size: a3(&g["size"]),
                },
                "mjGEOM_HFIELD" => Shape::Hfield {
                    size: [0.0; 4],
                    nrow: 0,
                    ncol: 0,
                },
                _ => Shape::Mesh {
                    mesh: s(&g["mesh"]),
                    file: String::new(),
                    hull: hulls.get(&name).map(|ft| {
                        let vertices: Vec<[f64; 3]> = ft["hull_vertices"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(a3)
                            .collect();
                        let faces: Vec<[u32; 3]> = ft["hull_faces"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|t| {
                                let x = fv(t);
                                [x[0] as u32, x[1] as u32, x[2] as u32]
                            })
                            .collect();
                        // the reference gives no neighbour lists: the faces' corners in order
                        let mut neighbors = vec![Vec::new(); vertices.len()];
                        for t in &faces {
                            for k in 0..3 {
                                let a = t[k] as usize;
                                for b in [t[(k + 1) % 3], t[(k + 2) % 3]] {
                                    if a < neighbors.len() && !neighbors[a].contains(&b) {
                                        neighbors[a].push(b);
                                    }
                                }
                            }
                        }
                        Hull {
                            vertices,
                            faces,
                            neighbors,
                        }
                    }),
                },
            };
            Ok(Geom {
                body: body_of(&s(&g["body"]))?,
                shape,
                pos: a3(&g["pos"]),
                quat: a4(&g["quat"]),
                contype: g["contype"].as_u64().unwrap_or(0) as u32,
                conaffinity: g["conaffinity"].as_u64().unwrap_or(0) as u32,
                condim: g["condim"].as_u64().unwrap_or(3) as u32,
                priority: g["priority"].as_i64().unwrap_or(0) as i32,
                friction: a3(&g["friction"]),
                solref: a2(&g["solref"]),
                solimp: a5(&g["solimp"]),
                solmix: f(&g["solmix"]),
                margin: f(&g["margin"]),
                gap: f(&g["gap"]),
                group: g["group"].as_i64().unwrap_or(0) as i32,
                name,
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let gidx: HashMap<String, usize> = geoms
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.clone(), i))
        .collect();
    let contact_pairs = arr("contact_pairs")
        .iter()
        .filter_map(|p| {
            Some(ContactPair {
                geom1: *gidx.get(&s(&p["geom1"]))?,
                geom2: *gidx.get(&s(&p["geom2"]))?,
                condim: p["condim"].as_u64().unwrap_or(3) as u32,
                friction: a5(&p["friction"]),
                solref: a2(&p["solref"]),
                solreffriction: a2(&p["solreffriction"]),
                solimp: a5(&p["solimp"]),
                margin: f(&p["margin"]),
                gap: f(&p["gap"]),
            })
        })
        .collect();
    let mut touch_sensors = Vec::new();
    let mut limit_sensors = Vec::new();
    for x in arr("sensors") {
        if x["type"] == "mjSENS_TOUCH" {
            touch_sensors.push(TouchSensor {
                name: s(&x["name"]),
                site: sidx
                    .get(&s(&x["obj"]))
                    .copied()
                    .ok_or_else(|| e(format!("unknown site {}", x["obj"])))?,
            });
        } else if x["type"] == "mjSENS_JOINTLIMITFRC" {
            limit_sensors.push(LimitSensor {
                name: s(&x["name"]),
                joint: joint_of(&s(&x["obj"]))?,
            });
        }
    }
    let keyframes = arr("keyframes")
        .iter()
        .map(|k| Keyframe {
            name: s(&k["name"]),
            time: f(&k["time"]),
            qpos: fv(&k["qpos"]),
            qvel: fv(&k["qvel"]),
            act: fv(&k["act"]),
            ctrl: fv(&k["ctrl"]),
        })
        .collect();
    let o = &sm["option"];
    Ok(Model {
        format_version: FORMAT_VERSION,
        name: s(&sm["model"]),
        source: s(&sm["xml"]),
        timestep: f(&o["timestep"]),
        gravity: a3(&o["gravity"]),
        bodies,
        joints,
        couplings,
        sites,
        tendons,
        actuators,
        geoms,
        contact_pairs,
        touch_sensors,
        limit_sensors,
        keyframes,
        warnings: Vec::new(),
    })
}
