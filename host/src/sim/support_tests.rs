//! The cached deepest-vertex search finds exactly what MuJoCo's hill climbing from vertex 0
//! finds, on every hull of every shipped model, along random walks of the direction (small
//! and large steps, ties, changes of the out-of-plane component).

use super::support::{HullGraph, SupportCache};
use crate::model::{shipped, Shape, SHIPPED};

/// MuJoCo's hill climbing, written plainly.
fn reference(verts: &[[f64; 3]], nb: &[Vec<u32>], n: &[f64; 3]) -> (usize, f64) {
    let dot = |v: &[f64; 3]| n[0] * v[0] + n[1] * v[1] + n[2] * v[2];
    let mut best = 0;
    let mut bestd = dot(&verts[0]);
    loop {
        let from = best;
        for &j in &nb[from] {
            let d = dot(&verts[j as usize]);
            if d < bestd {
                bestd = d;
                best = j as usize;
            }
        }
        if best == from {
            return (best, bestd);
        }
    }
}

struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn cached_search_matches_hill_climbing() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut hits = 0;
    let mut calls = 0;
    for (name, _) in SHIPPED {
        let m = shipped(name).unwrap();
        for geom in &m.geoms {
            let Shape::Mesh { hull: Some(h), .. } = &geom.shape else {
                continue;
            };
            let g = HullGraph::new(&h.vertices, &h.neighbors);
            let mut cache = SupportCache::default();
            let mut phi = 0.0f64;
            let mut z = -0.000_203_646_687_852_110_4;
            for step in 0..3000 {
                match rng.uniform() {
                    // a tie: perpendicular to a hull edge
                    u if u < 0.02 => {
                        let i = (rng.uniform() * h.vertices.len() as f64) as usize;
                        let j = h.neighbors[i][0] as usize;
                        let (a, b) = (h.vertices[i], h.vertices[j]);
                        phi = (b[1] - a[1]).atan2(b[0] - a[0]) + std::f64::consts::FRAC_PI_2;
                        z = 0.0;
                    }
                    u if u < 0.04 => phi = rng.uniform() * std::f64::consts::TAU,
                    u if u < 0.05 => z = (rng.uniform() - 0.5) * 1e-3,
                    u => {
                        let scale = 10f64.powf(-1.0 - 6.0 * u);
                        phi += (rng.uniform() - 0.5) * scale;
                    }
                }
                let r = (1.0 - z * z).sqrt();
                let n = [r * phi.cos(), r * phi.sin(), z];
                let want = reference(&h.vertices, &h.neighbors, &n);
                let anchor = cache.anchor(0);
                let got = cache.deepest(0, &h.vertices, &g, &n).unwrap();
                assert_eq!(
                    (got.0, got.1.to_bits()),
                    (want.0, want.1.to_bits()),
                    "{name} {} step {step} n {n:?}",
                    geom.name
                );
                calls += 1;
                // a search answered from the record keeps its direction
                hits += usize::from(cache.anchor(0) == anchor);
            }
        }
    }
    // the cache is used (most steps are small)
    assert!(hits * 4 > calls, "{hits} of {calls}");
}
