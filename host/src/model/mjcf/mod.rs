//! Import of the MyoAssist 22-muscle 2-D MJCF family into the project's [`Model`].
//!
//! What is read: `<include>`, `<compiler angle eulerseq meshdir autolimits>`, `<option
//! timestep gravity>`, `<default>` classes, mesh (binary STL) and hfield assets, the body tree
//! (bodies, `<inertial>` or mesh/primitive-inferred inertia with density 1000, hinge and slide
//! joints, geoms, sites), spatial tendons through sites, joint equalities (polynomial
//! couplings), `general`/`motor` actuators, contact pairs, touch and joint-limit-force sensors,
//! keyframes. Everything else (visual, cameras, lights, textures) is ignored. A mesh file that
//! is missing gives a warning and that geom no collision hull (HMEDI and OSL_A upstream).

mod bodies;
mod defaults;
mod frame;
mod hull;
mod inertia;
mod roles;
mod sections;
mod stl;
mod xml;

pub use hull::{hull_graph, HullGraph};
pub use inertia::{eig3, mesh as mesh_mass_props};

use crate::model::{Model, ModelError, FORMAT_VERSION};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A mesh asset: where its file is and, once read, its vertices and faces.
pub(crate) struct MeshAsset {
    pub file: String,
    #[allow(dead_code)]
    pub path: PathBuf,
    pub scale: [f64; 3],
    /// `None` when the file is missing.
    pub mesh: Option<stl::Mesh>,
}

/// State shared by the import stages.
pub(crate) struct Ctx {
    pub defs: defaults::Defaults,
    pub units: frame::AngleUnits,
    pub autolimits: bool,
    pub meshes: HashMap<String, MeshAsset>,
    pub hfields: HashMap<String, ([f64; 4], usize, usize)>,
    pub warnings: Vec<String>,
}

/// Reads an MJCF file of the MyoAssist 22-muscle 2-D family.
pub fn import(path: &Path) -> Result<Model, ModelError> {
    let root = xml::read(path)?;
    if root.tag != "mujoco" {
        return Err(root.err("the root element must be <mujoco>"));
    }
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();

    let mut degree = true;
    let mut eulerseq = *b"xyz";
    let mut meshdir = dir.clone();
    let mut autolimits = true;
    for c in root.kids("compiler") {
        if let Some(a) = c.attr("angle") {
            degree = match a {
                "degree" => true,
                "radian" => false,
                _ => return Err(c.err("angle must be 'degree' or 'radian'")),
            };
        }
        if let Some(s) = c.attr("eulerseq") {
            let b = s.as_bytes();
            if b.len() != 3 {
                return Err(c.err("eulerseq needs 3 letters"));
            }
            eulerseq = [b[0], b[1], b[2]];
        }
        if let Some(m) = c.attr("meshdir") {
            meshdir = dir.join(m);
        }
        if let Some(a) = c.attr("autolimits") {
            autolimits = a == "true";
        }
        if let Some(v) = c.attr("inertiafromgeom") {
            if v != "auto" {
                return Err(c.err("only inertiafromgeom='auto' is supported"));
            }
        }
    }
    let mut timestep = 0.002;
    let mut gravity = [0.0, 0.0, -9.81];
    for o in root.kids("option") {
        if let Some(t) = o.attr("timestep") {
            timestep = parse1(o, "timestep", t)?;
        }
        if let Some(g) = o.attr("gravity") {
            let v = parse_n(o, "gravity", g)?;
            if v.len() != 3 {
                return Err(o.err("gravity needs 3 values"));
            }
            gravity = [v[0], v[1], v[2]];
        }
    }

    let mut ctx = Ctx {
        defs: defaults::Defaults::parse(&root)?,
        units: frame::AngleUnits { degree, eulerseq },
        autolimits,
        meshes: HashMap::new(),
        hfields: HashMap::new(),
        warnings: Vec::new(),
    };
    for asset in root.kids("asset") {
        for m in asset.kids("mesh") {
            let a = ctx.defs.attrs(m, None)?;
            let file = a.need("file")?.to_string();
            let name = match m.attr("name") {
                Some(n) => n.to_string(),
                None => Path::new(&file)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            };
            let scale = a.vec("scale", [1.0, 1.0, 1.0])?;
            let mpath = meshdir.join(&file);
            let mesh = if mpath.exists() {
                Some(stl::read(&mpath)?)
            } else {
                let xml = m
                    .file
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ctx.warnings.push(format!(
                    "{xml}:{}: mesh file '{file}' (mesh '{name}') is missing; geoms using it get no collision shape",
                    m.line
                ));
                None
            };
            ctx.meshes.insert(
                name,
                MeshAsset {
                    file,
                    path: mpath,
                    scale,
                    mesh,
                },
            );
        }
        for h in asset.kids("hfield") {
            let a = ctx.defs.attrs(h, None)?;
            let name = a.need("name")?.to_string();
            let size = a.vec("size", [0.0; 4])?;
            let nrow = a.int("nrow", 0)?.max(0) as usize;
            let ncol = a.int("ncol", 0)?.max(0) as usize;
            ctx.hfields.insert(name, (size, nrow, ncol));
        }
    }

    let tree = bodies::read_worldbody(&root, &mut ctx)?;
    let name = variant_name(path);
    let mut model = Model {
        format_version: FORMAT_VERSION,
        name,
        source: path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        timestep,
        gravity,
        bodies: tree.bodies,
        joints: tree.joints,
        couplings: Vec::new(),
        sites: tree.sites,
        tendons: Vec::new(),
        actuators: Vec::new(),
        geoms: tree.geoms,
        contact_pairs: Vec::new(),
        touch_sensors: Vec::new(),
        limit_sensors: Vec::new(),
        keyframes: Vec::new(),
        warnings: Vec::new(),
    };
    sections::read_equalities(&root, &ctx, &mut model)?;
    sections::read_tendons(&root, &ctx, &mut model)?;
    sections::read_actuators(&root, &ctx, &mut model)?;
    sections::read_contacts(&root, &ctx, &mut model)?;
    sections::read_sensors(&root, &mut ctx, &mut model)?;
    sections::read_keyframes(&root, &ctx, &mut model)?;
    roles::assign(&root, &mut model)?;
    model.warnings = ctx.warnings;
    model.validate(path)?;
    Ok(model)
}

/// `myoLeg22_2D_BASELINE.xml` -> `BASELINE`; other names: the file stem.
fn variant_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.strip_prefix("myoLeg22_2D_") {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => stem,
    }
}

fn parse_n(el: &xml::El, name: &str, t: &str) -> Result<Vec<f64>, ModelError> {
    t.split_whitespace()
        .map(|x| match x.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(el.err(format!("attribute '{name}': '{x}' is not a finite number"))),
        })
        .collect()
}

fn parse1(el: &xml::El, name: &str, t: &str) -> Result<f64, ModelError> {
    let v = parse_n(el, name, t)?;
    if v.len() != 1 {
        return Err(el.err(format!("attribute '{name}' needs one value")));
    }
    Ok(v[0])
}
