//! Binary STL reading (the mesh format of these models).

use crate::model::ModelError;
use std::path::Path;

/// A triangle soup with MuJoCo-style shared vertices (float32 values as stored in the file).
#[derive(Debug, Clone)]
pub struct Mesh {
    pub vertices: Vec<[f64; 3]>,
    pub faces: Vec<[usize; 3]>,
}

/// Reads a binary STL file, merging exactly repeated vertices as MuJoCo does.
pub fn read(path: &Path) -> Result<Mesh, ModelError> {
    let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&bytes).map_err(|msg| ModelError::invalid(path, msg))
}

fn parse(b: &[u8]) -> Result<Mesh, String> {
    if b.len() < 84 {
        return Err("not a binary STL file (shorter than its 84-byte header)".into());
    }
    let n = u32::from_le_bytes([b[80], b[81], b[82], b[83]]) as usize;
    if b.len() < 84 + 50 * n {
        return Err(format!(
            "binary STL header announces {n} triangles but the file has only {} bytes (ASCII STL is not supported)",
            b.len()
        ));
    }
    let f = |o: usize| f32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
    let mut index = std::collections::HashMap::new();
    let mut vertices = Vec::new();
    let mut faces = Vec::with_capacity(n);
    for t in 0..n {
        let base = 84 + 50 * t + 12;
        let mut face = [0usize; 3];
        for (k, slot) in face.iter_mut().enumerate() {
            let o = base + 12 * k;
            let v = [f(o), f(o + 4), f(o + 8)];
            if v.iter().any(|x| !x.is_finite()) {
                return Err(format!("triangle {t} has a non-finite vertex"));
            }
            let key = [v[0].to_bits(), v[1].to_bits(), v[2].to_bits()];
            *slot = *index.entry(key).or_insert_with(|| {
                vertices.push([v[0] as f64, v[1] as f64, v[2] as f64]);
                vertices.len() - 1
            });
        }
        faces.push(face);
    }
    if vertices.len() < 4 {
        return Err("mesh needs at least 4 distinct vertices".into());
    }
    Ok(Mesh { vertices, faces })
}
