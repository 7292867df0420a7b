//! Tendons, joint equalities, actuators, contact pairs, sensors and keyframes.

use super::xml::El;
use super::Ctx;
use crate::engine::MUSCLE_NAMES;
use crate::model::{
    Actuator, ActuatorKind, Bias, ContactPair, Coupling, Dynamics, Gain, Keyframe, LimitSensor,
    Model, ModelError, MusclePrm, Role, Tendon, TouchSensor, Transmission,
};

fn lookup(el: &El, what: &str, name: &str, found: Option<usize>) -> Result<usize, ModelError> {
    found.ok_or_else(|| el.err(format!("unknown {what} '{name}'")))
}

pub fn read_equalities(root: &El, ctx: &Ctx, m: &mut Model) -> Result<(), ModelError> {
    for sec in root.kids("equality") {
        for e in &sec.children {
            if e.tag != "joint" {
                return Err(e.err("only joint equalities (polynomial couplings) are supported"));
            }
            let a = ctx.defs.attrs(e, None)?;
            if a.tristate("active")? == Some(false) {
                continue;
            }
            let j1 = a.need("joint1")?;
            let dependent = lookup(e, "joint", j1, m.joint(j1))?;
            let j2 = a
                .str("joint2")
                .ok_or_else(|| e.err("a coupling needs joint2 (its driver)"))?;
            let driver = lookup(e, "joint", j2, m.joint(j2))?;
            if m.joints[dependent].role != Role::Independent {
                return Err(e.err(format!("joint '{j1}' is coupled twice")));
            }
            let coupling = m.couplings.len();
            m.couplings.push(Coupling {
                dependent,
                driver,
                polycoef: a.vec("polycoef", [0.0, 1.0, 0.0, 0.0, 0.0])?,
                solref: a.vec("solref", [0.02, 1.0])?,
                solimp: a.vec("solimp", [0.9, 0.95, 0.001, 0.5, 2.0])?,
            });
            m.joints[dependent].role = Role::Coupled { coupling };
        }
    }
    Ok(())
}

pub fn read_tendons(root: &El, ctx: &Ctx, m: &mut Model) -> Result<(), ModelError> {
    for sec in root.kids("tendon") {
        for t in &sec.children {
            if t.tag != "spatial" {
                return Err(t.err("only spatial tendons are supported"));
            }
            let a = ctx.defs.attrs(t, None)?;
            let mut sites = Vec::new();
            for p in &t.children {
                if p.tag != "site" {
                    return Err(p.err(
                        "only site path points are supported (no wrapping geoms or pulleys)",
                    ));
                }
                let s = p
                    .attr("site")
                    .ok_or_else(|| p.err("missing attribute 'site'"))?;
                sites.push(lookup(p, "site", s, m.site(s))?);
            }
            if sites.len() < 2 {
                return Err(t.err("a spatial tendon needs at least 2 sites"));
            }
            let range = a.vec("range", [0.0, 0.0])?;
            m.tendons.push(Tendon {
                name: a.need("name")?.to_string(),
                sites,
                limited: a
                    .tristate("limited")?
                    .unwrap_or(ctx.autolimits && a.has("range")),
                range,
                stiffness: a.f64("stiffness", 0.0)?,
                damping: a.f64("damping", 0.0)?,
                springlength: if a.has("springlength") {
                    Some(a.vec("springlength", [-1.0, -1.0])?[0])
                } else {
                    None
                },
            });
        }
    }
    Ok(())
}

fn kind_of(el: &El, attr: &str, value: &str, allowed: &[&str]) -> Result<(), ModelError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(el.err(format!(
            "{attr} '{value}' is not supported (use one of {})",
            allowed.join(", ")
        )))
    }
}

pub fn read_actuators(root: &El, ctx: &Ctx, m: &mut Model) -> Result<(), ModelError> {
    for sec in root.kids("actuator") {
        for e in &sec.children {
            let a = ctx.defs.attrs(e, None)?;
            let name = a.need("name")?.to_string();
            let (mut dyntype, mut gaintype, mut biastype) = (
                a.str("dyntype").unwrap_or("none"),
                a.str("gaintype").unwrap_or("fixed"),
                a.str("biastype").unwrap_or("none"),
            );
            let mut gainprm = a.vec(
                "gainprm",
                [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            )?;
            let mut biasprm = a.vec("biasprm", [0.0; 10])?;
            match e.tag.as_str() {
                "general" => {}
                "motor" => {
                    (dyntype, gaintype, biastype) = ("none", "fixed", "none");
                    gainprm = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
                    biasprm = [0.0; 10];
                }
                t => {
                    return Err(e.err(format!(
                        "actuator type <{t}> is not supported (use general or motor)"
                    )))
                }
            }
            kind_of(e, "dyntype", dyntype, &["none", "muscle"])?;
            kind_of(e, "gaintype", gaintype, &["fixed", "muscle"])?;
            kind_of(e, "biastype", biastype, &["none", "affine", "muscle"])?;
            let dynprm = a.vec("dynprm", [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])?;
            let transmission = match (a.str("joint"), a.str("tendon")) {
                (Some(j), None) => Transmission::Joint(lookup(e, "joint", j, m.joint(j))?),
                (None, Some(t)) => Transmission::Tendon(lookup(
                    e,
                    "tendon",
                    t,
                    m.tendons.iter().position(|x| x.name == t),
                )?),
                _ => return Err(e.err("needs exactly one of 'joint' or 'tendon'")),
            };
            let kind = if gaintype == "muscle" {
                ActuatorKind::Muscle
            } else {
                ActuatorKind::Device
            };
            let lengthrange = a.vec("lengthrange", [0.0, 0.0])?;
            if kind == ActuatorKind::Muscle {
                if !MUSCLE_NAMES.contains(&name.as_str()) {
                    return Err(e.err(format!(
                        "unknown muscle '{name}' (expected one of {})",
                        MUSCLE_NAMES.join(", ")
                    )));
                }
                if !matches!(transmission, Transmission::Tendon(_)) {
                    return Err(e.err("a muscle must pull on a tendon"));
                }
                if lengthrange[0] >= lengthrange[1] {
                    return Err(e.err("a muscle needs an explicit lengthrange (MuJoCo's lengthrange computation is not reproduced)"));
                }
                if gainprm[2] <= 0.0 {
                    return Err(e.err("a muscle needs an explicit peak force (gainprm[2] > 0)"));
                }
            }
            let dynamics = match dyntype {
                "muscle" => Dynamics::Muscle {
                    tau_act: dynprm[0],
                    tau_deact: dynprm[1],
                    tausmooth: dynprm[2],
                },
                _ => Dynamics::None,
            };
            let gain = match gaintype {
                "muscle" => Gain::Muscle(MusclePrm::from_prm(&gainprm)),
                _ => Gain::Fixed { k: gainprm[0] },
            };
            let bias = match biastype {
                "muscle" => Bias::Muscle(MusclePrm::from_prm(&biasprm)),
                "affine" => Bias::Affine {
                    b: [biasprm[0], biasprm[1], biasprm[2]],
                },
                _ => Bias::None,
            };
            let ctrlrange = a.vec("ctrlrange", [0.0, 0.0])?;
            let ctrllimited = a
                .tristate("ctrllimited")?
                .unwrap_or(ctx.autolimits && a.has("ctrlrange"));
            m.actuators.push(Actuator {
                name,
                kind,
                transmission,
                gear: a.vec("gear", [1.0, 0.0, 0.0, 0.0, 0.0, 0.0])?[0],
                dynamics,
                gain,
                bias,
                ctrllimited,
                ctrlrange,
                lengthrange,
                gainprm,
                biasprm,
                dynprm,
            });
        }
    }
    Ok(())
}

pub fn read_contacts(root: &El, ctx: &Ctx, m: &mut Model) -> Result<(), ModelError> {
    for sec in root.kids("contact") {
        for p in &sec.children {
            match p.tag.as_str() {
                "pair" => {}
                "exclude" => return Err(p.err("contact excludes are not supported")),
                _ => continue,
            }
            let a = ctx.defs.attrs(p, None)?;
            let (g1, g2) = (a.need("geom1")?, a.need("geom2")?);
            m.contact_pairs.push(ContactPair {
                geom1: lookup(p, "geom", g1, m.geom(g1))?,
                geom2: lookup(p, "geom", g2, m.geom(g2))?,
                condim: a.int("condim", 3)?.max(1) as u32,
                friction: a.vec("friction", [1.0, 1.0, 0.005, 0.0001, 0.0001])?,
                solref: a.vec("solref", [0.02, 1.0])?,
                solreffriction: a.vec("solreffriction", [0.0, 0.0])?,
                solimp: a.vec("solimp", [0.9, 0.95, 0.001, 0.5, 2.0])?,
                margin: a.f64("margin", 0.0)?,
                gap: a.f64("gap", 0.0)?,
            });
        }
    }
    // MuJoCo orders pairs by their body signature (stable for pairs of the same bodies)
    let sig = |p: &ContactPair| {
        let (b1, b2) = (m.geoms[p.geom1].body, m.geoms[p.geom2].body);
        (b1.min(b2), b1.max(b2))
    };
    let mut pairs = std::mem::take(&mut m.contact_pairs);
    pairs.sort_by_key(|p| sig(p));
    m.contact_pairs = pairs;
    Ok(())
}

pub fn read_sensors(root: &El, ctx: &mut Ctx, m: &mut Model) -> Result<(), ModelError> {
    for sec in root.kids("sensor") {
        for s in &sec.children {
            let name = s.attr("name").unwrap_or_default().to_string();
            match s.tag.as_str() {
                "touch" => {
                    let site = s
                        .attr("site")
                        .ok_or_else(|| s.err("missing attribute 'site'"))?;
                    let site = lookup(s, "site", site, m.site(site))?;
                    m.touch_sensors.push(TouchSensor { name, site });
                }
                "jointlimitfrc" => {
                    let j = s
                        .attr("joint")
                        .ok_or_else(|| s.err("missing attribute 'joint'"))?;
                    let joint = lookup(s, "joint", j, m.joint(j))?;
                    m.limit_sensors.push(LimitSensor { name, joint });
                }
                t => ctx.warnings.push(format!(
                    "{}: sensor type <{t}> is not used; ignored",
                    s.whereis()
                )),
            }
        }
    }
    Ok(())
}

pub fn read_keyframes(root: &El, ctx: &Ctx, m: &mut Model) -> Result<(), ModelError> {
    let nq = m.joints.len();
    let na = m
        .actuators
        .iter()
        .filter(|a| matches!(a.dynamics, Dynamics::Muscle { .. }))
        .count();
    let nu = m.actuators.len();
    for sec in root.kids("keyframe") {
        for k in sec.kids("key") {
            let a = ctx.defs.attrs(k, None)?;
            let list = |attr: &str,
                        n: usize,
                        default: &dyn Fn(usize) -> f64|
             -> Result<Vec<f64>, ModelError> {
                match a.str(attr) {
                    None => Ok((0..n).map(default).collect()),
                    Some(t) => {
                        let v = t
                            .split_whitespace()
                            .map(|x| x.parse::<f64>().ok().filter(|v| v.is_finite()))
                            .collect::<Option<Vec<f64>>>()
                            .ok_or_else(|| {
                                k.err(format!(
                                    "attribute '{attr}' has a value that is not a finite number"
                                ))
                            })?;
                        if v.len() != n {
                            return Err(k.err(format!(
                                "attribute '{attr}' needs {n} values, got {}",
                                v.len()
                            )));
                        }
                        Ok(v)
                    }
                }
            };
            let qpos0: Vec<f64> = m.joints.iter().map(|j| j.qpos0).collect();
            m.keyframes.push(Keyframe {
                name: a.str("name").unwrap_or_default().to_string(),
                time: a.f64("time", 0.0)?,
                qpos: list("qpos", nq, &|i| qpos0[i])?,
                qvel: list("qvel", nq, &|_| 0.0)?,
                act: list("act", na, &|_| 0.0)?,
                ctrl: list("ctrl", nu, &|_| 0.0)?,
            });
        }
    }
    Ok(())
}
