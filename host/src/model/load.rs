//! Reading, checking and writing model files; the shipped variants.

use super::{ActuatorKind, Model, ModelError, Role, Shape, Transmission, FORMAT_VERSION};
use std::path::Path;

/// Names accepted by `--model` (lower case) and the variant each one selects.
pub const SHIPPED: [(&str, &str); 7] = [
    ("baseline", "BASELINE"),
    ("dephy", "DEPHY"),
    ("hmedi", "HMEDI"),
    ("humotech", "HUMOTECH"),
    ("tutorial", "TUTORIAL"),
    ("openexo", "OPENEXO"),
    ("osl", "OSL_A"),
];

/// A shipped model by its `--model` name (`baseline`, `dephy`, ...). The files live under
/// `host/models/<name>.json` and are embedded in the binary.
pub fn shipped(name: &str) -> Result<Model, ModelError> {
    let text = embedded(name).ok_or_else(|| ModelError::UnknownName {
        name: name.to_string(),
        choices: SHIPPED.iter().map(|s| s.0).collect::<Vec<_>>().join(", "),
    })?;
    Model::from_json(text, Path::new(&format!("models/{name}.json")))
}

fn embedded(name: &str) -> Option<&'static str> {
    super::shipped_files::FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

impl Model {
    /// Parses and checks a model file's text (`path` is only used in messages).
    pub fn from_json(text: &str, path: &Path) -> Result<Model, ModelError> {
        let m: Model = serde_json::from_str(text).map_err(|source| ModelError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        m.validate(path)?;
        Ok(m)
    }

    /// Reads a model file in the project's format.
    pub fn load_json(path: &Path) -> Result<Model, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Model::from_json(&text, path)
    }

    /// Writes the model as pretty JSON (to a temp file, then renamed into place).
    pub fn save_json(&self, path: &Path) -> Result<(), ModelError> {
        let io = |source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        };
        let value = serde_json::to_value(self).map_err(|source| ModelError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        let mut text = String::new();
        write_value(&value, 0, &mut text);
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n").map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Checks indices, orders, lengths and that every number is finite. The message names
    /// the offending element.
    pub fn validate(&self, path: &Path) -> Result<(), ModelError> {
        let bad = |msg: String| Err(ModelError::invalid(path, msg));
        if self.format_version != FORMAT_VERSION {
            return bad(format!(
                "format_version {} is not supported (expected {FORMAT_VERSION}); re-import the MJCF with `myoreflex model import`",
                self.format_version
            ));
        }
        let (nb, nj, ns, nt, ng) = (
            self.bodies.len(),
            self.joints.len(),
            self.sites.len(),
            self.tendons.len(),
            self.geoms.len(),
        );
        if nb == 0 || self.bodies[0].parent != 0 {
            return bad("bodies[0] must be the world (its own parent)".into());
        }
        let finite = |what: &str, v: &[f64]| -> Result<(), ModelError> {
            if let Some(x) = v.iter().find(|x| !x.is_finite()) {
                return Err(ModelError::invalid(
                    path,
                    format!("{what} has a non-finite value {x}"),
                ));
            }
            Ok(())
        };
        for (i, b) in self.bodies.iter().enumerate() {
            if i > 0 && b.parent >= i {
                return bad(format!(
                    "body '{}': parent {} must come before it",
                    b.name, b.parent
                ));
            }
            finite(
                &format!("body '{}'", b.name),
                &[
                    &b.pos[..],
                    &b.quat,
                    &b.inertia,
                    &b.ipos,
                    &b.iquat,
                    &[b.mass],
                ]
                .concat(),
            )?;
            if b.mass < 0.0 || b.inertia.iter().any(|&x| x < 0.0) {
                return bad(format!("body '{}': negative mass or inertia", b.name));
            }
            if let Some(&j) = b
                .joints
                .iter()
                .find(|&&j| j >= nj || self.joints[j].body != i)
            {
                return bad(format!(
                    "body '{}': joint index {j} does not belong to it",
                    b.name
                ));
            }
        }
        for j in &self.joints {
            if j.body == 0 || j.body >= nb {
                return bad(format!(
                    "joint '{}': body index {} out of range",
                    j.name, j.body
                ));
            }
            let v = [
                &j.pos[..],
                &j.axis,
                &j.range,
                &j.solref_limit,
                &j.solimp_limit,
                &[
                    j.damping,
                    j.armature,
                    j.stiffness,
                    j.springref,
                    j.frictionloss,
                    j.margin,
                    j.qpos0,
                    j.weld_value,
                ],
            ]
            .concat();
            finite(&format!("joint '{}'", j.name), &v)?;
            if let Role::Coupled { coupling } = j.role {
                if coupling >= self.couplings.len() {
                    return bad(format!(
                        "joint '{}': coupling {coupling} out of range",
                        j.name
                    ));
                }
            }
        }
        for (i, c) in self.couplings.iter().enumerate() {
            if c.dependent >= nj || c.driver >= nj {
                return bad(format!("coupling {i}: joint index out of range"));
            }
            if self.joints[c.dependent].role != (Role::Coupled { coupling: i }) {
                return bad(format!(
                    "coupling {i}: joint '{}' is not marked as coupled by it",
                    self.joints[c.dependent].name
                ));
            }
            finite(
                &format!("coupling of '{}'", self.joints[c.dependent].name),
                &[&c.polycoef[..], &c.solref, &c.solimp].concat(),
            )?;
        }
        for s in &self.sites {
            if s.body >= nb {
                return bad(format!(
                    "site '{}': body index {} out of range",
                    s.name, s.body
                ));
            }
            finite(
                &format!("site '{}'", s.name),
                &[&s.pos[..], &s.quat, &s.size].concat(),
            )?;
        }
        for t in &self.tendons {
            if t.sites.len() < 2 || t.sites.iter().any(|&s| s >= ns) {
                return bad(format!("tendon '{}': needs at least 2 valid sites", t.name));
            }
        }
        for a in &self.actuators {
            match a.transmission {
                Transmission::Joint(j) if j >= nj => {
                    return bad(format!("actuator '{}': joint out of range", a.name))
                }
                Transmission::Tendon(t) if t >= nt => {
                    return bad(format!("actuator '{}': tendon out of range", a.name))
                }
                _ => {}
            }
            if a.kind == ActuatorKind::Muscle && !matches!(a.transmission, Transmission::Tendon(_))
            {
                return bad(format!("muscle '{}' must act through a tendon", a.name));
            }
            let v = [
                &a.gainprm[..],
                &a.biasprm,
                &a.dynprm,
                &a.ctrlrange,
                &a.lengthrange,
                &[a.gear],
            ]
            .concat();
            finite(&format!("actuator '{}'", a.name), &v)?;
        }
        for g in &self.geoms {
            if g.body >= nb {
                return bad(format!(
                    "geom '{}': body index {} out of range",
                    g.name, g.body
                ));
            }
            finite(
                &format!("geom '{}'", g.name),
                &[
                    &g.pos[..],
                    &g.quat,
                    &g.friction,
                    &g.solref,
                    &g.solimp,
                    &[g.solmix, g.margin, g.gap],
                ]
                .concat(),
            )?;
            if let Shape::Mesh { hull: Some(h), .. } = &g.shape {
                if h.faces
                    .iter()
                    .flatten()
                    .chain(h.neighbors.iter().flatten())
                    .any(|&v| v as usize >= h.vertices.len())
                {
                    return bad(format!("geom '{}': hull vertex index out of range", g.name));
                }
                if h.neighbors.len() != h.vertices.len() {
                    return bad(format!(
                        "geom '{}': hull has {} vertices but {} neighbour lists",
                        g.name,
                        h.vertices.len(),
                        h.neighbors.len()
                    ));
                }
                finite(&format!("geom '{}' hull", g.name), &h.vertices.concat())?;
                if !(h.rbound.is_finite() && h.rbound > 0.0) {
                    return bad(format!("geom '{}': hull rbound must be > 0", g.name));
                }
            }
        }
        for p in &self.contact_pairs {
            if p.geom1 >= ng || p.geom2 >= ng {
                return bad("contact pair: geom index out of range".into());
            }
        }
        for t in &self.touch_sensors {
            if t.site >= ns {
                return bad(format!("touch sensor '{}': site out of range", t.name));
            }
        }
        for l in &self.limit_sensors {
            if l.joint >= nj {
                return bad(format!("limit sensor '{}': joint out of range", l.name));
            }
        }
        for k in &self.keyframes {
            if k.qpos.len() != nj || k.qvel.len() != nj {
                return bad(format!("keyframe '{}': qpos/qvel need {nj} values", k.name));
            }
            finite(
                &format!("keyframe '{}'", k.name),
                &[&k.qpos[..], &k.qvel, &k.act, &k.ctrl].concat(),
            )?;
        }
        finite(
            "gravity/timestep",
            &[&self.gravity[..], &[self.timestep]].concat(),
        )?;
        Ok(())
    }
}

/// The model chosen by `--model NAME` (a shipped variant, default `baseline`) or
/// `--model_path FILE`: an `.xml` file is imported as MJCF, anything else is read as a model
/// file in the project's format. `model_path` wins when both are given.
pub fn select(model: Option<&str>, model_path: Option<&Path>) -> Result<Model, ModelError> {
    match model_path {
        Some(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) => {
            super::mjcf::import(p)
        }
        Some(p) => Model::load_json(p),
        None => shipped(model.unwrap_or("baseline")),
    }
}

/// Indented JSON with arrays of numbers (and arrays of such arrays, e.g. hull vertices) on one
/// line, so files stay readable and small.
fn write_value(v: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    let flat = |v: &Value| match v {
        Value::Array(a) => a.iter().all(|x| {
            !x.is_object() && !x.is_array()
                || x.as_array()
                    .is_some_and(|y| y.iter().all(|z| !z.is_object() && !z.is_array()))
        }),
        Value::Object(_) => false,
        _ => true,
    };
    match v {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (k, x)) in map.iter().enumerate() {
                out.push_str(&"  ".repeat(indent + 1));
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                write_value(x, indent + 1, out);
                if i + 1 < map.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() && !flat(v) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&"  ".repeat(indent + 1));
                write_value(x, indent + 1, out);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        _ => out.push_str(&v.to_string()),
    }
}
