//! MJCF `<default>` classes and attribute lookup with MuJoCo's inheritance rules: an element
//! takes its class (`class`, else the enclosing bodies' `childclass`, else `main`), every class
//! inherits from its parent class, and a numeric array given with fewer values than the
//! attribute has overwrites only the leading values.

use super::xml::El;
use crate::model::ModelError;
use std::collections::HashMap;

/// Defaults for one class: the attributes of each element kind (`joint`, `geom`, ...).
#[derive(Debug, Default)]
struct Class {
    parent: Option<String>,
    slots: HashMap<String, Vec<(String, String)>>,
}

/// All default classes of a model.
#[derive(Debug, Default)]
pub struct Defaults {
    classes: HashMap<String, Class>,
}

/// Element kinds that share one default slot (all actuator shortcuts use the actuator slot).
fn slot(tag: &str) -> &str {
    match tag {
        "general" | "motor" | "position" | "velocity" | "muscle" | "cylinder" | "damper"
        | "intvelocity" | "adhesion" => "general",
        t => t,
    }
}

impl Defaults {
    /// Collects every `<default>` (they may appear in several `<default>` sections).
    pub fn parse(root: &El) -> Result<Self, ModelError> {
        let mut d = Defaults::default();
        d.classes.insert("main".into(), Class::default());
        for top in root.kids("default") {
            d.add(top, None)?;
        }
        Ok(d)
    }

    fn add(&mut self, el: &El, parent: Option<&str>) -> Result<(), ModelError> {
        let name = match (el.attr("class"), parent) {
            (Some(c), _) => c.to_string(),
            (None, None) => "main".to_string(),
            (None, Some(_)) => return Err(el.err("a nested <default> needs a 'class'")),
        };
        let mut class = self.classes.remove(&name).unwrap_or_default();
        if name != "main" {
            class.parent = Some(parent.unwrap_or("main").to_string());
        }
        for c in &el.children {
            if c.tag != "default" {
                class
                    .slots
                    .entry(slot(&c.tag).to_string())
                    .or_default()
                    .extend(c.attrs.iter().cloned());
            }
        }
        self.classes.insert(name.clone(), class);
        for c in el.kids("default") {
            self.add(c, Some(&name))?;
        }
        Ok(())
    }

    /// The attribute layers of `el` (root class first, the element itself last).
    pub fn attrs<'a>(
        &'a self,
        el: &'a El,
        childclass: Option<&'a str>,
    ) -> Result<Attrs<'a>, ModelError> {
        let class = el.attr("class").or(childclass).unwrap_or("main");
        let mut chain = Vec::new();
        let mut c = Some(class);
        while let Some(name) = c {
            let cl = self
                .classes
                .get(name)
                .ok_or_else(|| el.err(format!("unknown default class '{name}'")))?;
            chain.push(cl);
            c = cl.parent.as_deref();
            if chain.len() > 64 {
                return Err(el.err("default classes nested too deep"));
            }
        }
        let s = slot(&el.tag);
        let mut layers: Vec<&[(String, String)]> = chain
            .iter()
            .rev()
            .filter_map(|cl| cl.slots.get(s).map(|v| v.as_slice()))
            .collect();
        layers.push(&el.attrs);
        Ok(Attrs { layers, el })
    }
}

/// Resolved attributes of one element.
pub struct Attrs<'a> {
    layers: Vec<&'a [(String, String)]>,
    pub el: &'a El,
}

fn find<'b>(layer: &'b [(String, String)], name: &str) -> Option<&'b str> {
    layer
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn parse_nums(el: &El, name: &str, text: &str) -> Result<Vec<f64>, ModelError> {
    text.split_whitespace()
        .map(|t| match t.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(el.err(format!("attribute '{name}': '{t}' is not a finite number"))),
        })
        .collect()
}

impl<'a> Attrs<'a> {
    /// Only the element's own attributes (elements without default classes, e.g. bodies).
    pub fn plain(el: &'a El) -> Self {
        Attrs {
            layers: vec![&el.attrs],
            el,
        }
    }

    /// The effective string value (element first, then its classes).
    pub fn str(&self, name: &str) -> Option<&'a str> {
        self.layers.iter().rev().find_map(|l| find(l, name))
    }

    /// Whether the element itself or one of its classes sets the attribute.
    pub fn has(&self, name: &str) -> bool {
        self.str(name).is_some()
    }

    /// A numeric array of length N: MuJoCo's default overwritten, layer by layer, by the
    /// leading values each layer gives.
    pub fn vec<const N: usize>(
        &self,
        name: &str,
        default: [f64; N],
    ) -> Result<[f64; N], ModelError> {
        let mut v = default;
        for l in &self.layers {
            if let Some(t) = find(l, name) {
                let xs = parse_nums(self.el, name, t)?;
                if xs.len() > N {
                    return Err(self.el.err(format!(
                        "attribute '{name}' has {} values, at most {N} allowed",
                        xs.len()
                    )));
                }
                v[..xs.len()].copy_from_slice(&xs);
            }
        }
        Ok(v)
    }

    /// A numeric array that must have exactly N values if given.
    pub fn exact<const N: usize>(&self, name: &str) -> Result<Option<[f64; N]>, ModelError> {
        match self.str(name) {
            None => Ok(None),
            Some(t) => {
                let xs = parse_nums(self.el, name, t)?;
                if xs.len() != N {
                    return Err(self.el.err(format!(
                        "attribute '{name}' needs {N} values, got {}",
                        xs.len()
                    )));
                }
                let mut v = [0.0; N];
                v.copy_from_slice(&xs);
                Ok(Some(v))
            }
        }
    }

    /// A number.
    pub fn f64(&self, name: &str, default: f64) -> Result<f64, ModelError> {
        Ok(self.vec::<1>(name, [default])?[0])
    }

    /// An integer.
    pub fn int(&self, name: &str, default: i64) -> Result<i64, ModelError> {
        match self.str(name) {
            None => Ok(default),
            Some(t) => t.trim().parse().map_err(|_| {
                self.el
                    .err(format!("attribute '{name}': '{t}' is not an integer"))
            }),
        }
    }

    /// `true`/`false` (and `auto` as None).
    pub fn tristate(&self, name: &str) -> Result<Option<bool>, ModelError> {
        match self.str(name).map(str::trim) {
            None | Some("auto") => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(t) => Err(self.el.err(format!(
                "attribute '{name}': '{t}' must be true, false or auto"
            ))),
        }
    }

    /// A required string attribute.
    pub fn need(&self, name: &str) -> Result<&'a str, ModelError> {
        self.str(name)
            .ok_or_else(|| self.el.err(format!("missing attribute '{name}'")))
    }
}
