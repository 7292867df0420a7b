//! The deepest vertex of a contact hull along a direction, as MuJoCo's mesh support function
//! finds it (hill climbing over the hull graph from vertex 0), with a per-hull record of the
//! last climb that lets the next one skip the passes that provably go the same way.
//!
//! A pass's course depends only on the outcomes of its comparisons `d(j) < d(best)` of computed
//! depths, where `j` and `best` are the pass's start vertex or its neighbours, so their
//! in-plane distance is at most `len(j) + len(best)` (their edges to the start vertex; `len(j)`
//! while `best` is the start vertex). If a comparison's difference `g` satisfies
//! `g > 4ε + |Δn|·(len(j) + len(best))` for a change `Δn` of the direction in x, y (ε bounds
//! the rounding error of one computed depth), its outcome is the same again. A climb whose
//! passes up to some pass all keep their outcomes reaches that pass's start vertex as before
//! and resumes from it; one whose passes all do ends where it ended before.

use super::model::MAX_HULL;
use super::planar::dot;

/// MuJoCo's hull graph in one array, with what the cache's bound needs.
#[derive(Clone, Debug, Default)]
pub struct HullGraph {
    /// Neighbours of vertex `v` are `adj[start[v]..start[v + 1]]`, in MuJoCo's order.
    start: Vec<u32>,
    adj: Vec<u32>,
    /// Per entry of `adj`: 1 / the in-plane length of that edge (rounded down).
    inv_len: Vec<f64>,
    /// Bound of the rounding error of a computed depth `n · v` for a unit `n`.
    eps: f64,
}

impl HullGraph {
    pub fn new(verts: &[[f64; 3]], neighbors: &[Vec<u32>]) -> HullGraph {
        let mut g = HullGraph {
            start: vec![0],
            ..Default::default()
        };
        for (v, nb) in verts.iter().zip(neighbors) {
            g.adj.extend_from_slice(nb);
            for &j in nb {
                let w = &verts[j as usize];
                let d = [w[0] - v[0], w[1] - v[1], 0.0];
                // (never infinite: a zero gap over a zero length is a zero radius, not NaN)
                let len = (dot(&d, &d).sqrt() * (1.0 + 1e-9)).max(f64::MIN_POSITIVE);
                g.inv_len.push(1.0 / len * (1.0 - 1e-9));
            }
            g.start.push(g.adj.len() as u32);
        }
        // |fl(n·v) − n·v| ≤ γ₃ Σ|nᵢvᵢ| with γ₃ ≈ 3.3e-16 and |nᵢ| ≤ 1 (three times that here)
        let size = verts
            .iter()
            .map(|v| v[0].abs() + v[1].abs() + v[2].abs())
            .fold(0.0, f64::max);
        g.eps = 1e-15 * size;
        g
    }

    /// Neighbours of vertex `v` in MuJoCo's order.
    #[inline]
    pub fn neighbors(&self, v: usize) -> &[u32] {
        &self.adj[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

/// Passes of a climb recorded (longer climbs record their first passes).
const MAX_PASSES: usize = 32;

/// The last climb of one hull.
#[derive(Clone, Copy, Debug)]
struct Climb {
    /// The direction the radii are measured from.
    dir: [f64; 3],
    /// Passes recorded, and whether the last of them ended the climb.
    n: usize,
    done: bool,
    /// The vertex each pass started from (and the next one's, after `MAX_PASSES` passes).
    start: [u32; MAX_PASSES + 1],
    /// How far the direction may move in x, y (with the same z) with the same outcome of every
    /// comparison of the pass.
    radius: [f64; MAX_PASSES],
}

/// The last climb of every hull.
#[derive(Clone, Debug)]
pub struct SupportCache([Climb; MAX_HULL]);

impl Default for SupportCache {
    fn default() -> Self {
        SupportCache(
            [Climb {
                dir: [f64::NAN; 3],
                n: 0,
                done: false,
                start: [0; MAX_PASSES + 1],
                radius: [0.0; MAX_PASSES],
            }; MAX_HULL],
        )
    }
}

impl SupportCache {
    /// The direction hull `h`'s record is measured from.
    #[cfg(test)]
    pub fn anchor(&self, h: usize) -> [f64; 3] {
        self.0[h].dir
    }

    /// The deepest vertex of hull `h` (vertices `verts`, graph `g`) along `n` and its depth
    /// `n · v`, exactly as MuJoCo's hill climbing from vertex 0 finds it: each pass scans the
    /// neighbour list of the vertex it started from and moves to any strictly deeper vertex,
    /// until a pass finds none.
    pub fn deepest(
        &mut self,
        h: usize,
        verts: &[[f64; 3]],
        g: &HullGraph,
        n: &[f64; 3],
    ) -> Option<(usize, f64)> {
        verts.first()?;
        let c = &mut self.0[h];
        // passes 0..k keep their outcomes (none when z changed; NaN never compares)
        let mut k = 0;
        let mut shift = 0.0;
        if n[2] == c.dir[2] {
            let (dx, dy) = (n[0] - c.dir[0], n[1] - c.dir[1]);
            shift = (dx * dx + dy * dy).sqrt() * (1.0 + 1e-9);
            while k < c.n && shift < c.radius[k] {
                k += 1;
            }
            if k == c.n && c.done {
                let v = c.start[k - 1] as usize;
                return Some((v, dot(n, &verts[v])));
            }
        }
        // the kept passes stay valid around the new direction by what is left of their radius
        for r in &mut c.radius[..k] {
            *r = (*r - shift) * (1.0 - 1e-9);
        }
        c.dir = *n;
        let mut pass = k;
        let mut best = if k == 0 { 0 } else { c.start[k] as usize };
        let mut bestd = dot(n, &verts[best]);
        loop {
            let from = best;
            // 1 / the distance bound of j and best is at least `half` · min(1/len(j), 1/len(best))
            // (1/len(j) while best is the start vertex)
            let mut rad = f64::INFINITY;
            let (mut inv_best, mut half) = (f64::INFINITY, 1.0);
            let (a, b) = (g.start[from] as usize, g.start[from + 1] as usize);
            for (&j, &inv) in g.adj[a..b].iter().zip(&g.inv_len[a..b]) {
                let j = j as usize;
                let d = dot(n, &verts[j]);
                let r = ((d - bestd).abs() - 4.0 * g.eps) * half * inv.min(inv_best);
                if r < rad {
                    rad = r;
                }
                if d < bestd {
                    bestd = d;
                    best = j;
                    (inv_best, half) = (inv, 0.5);
                }
            }
            if pass <= MAX_PASSES {
                c.start[pass] = from as u32;
            }
            if pass < MAX_PASSES {
                c.radius[pass] = rad * (1.0 - 1e-6);
            }
            pass += 1;
            if best == from {
                c.n = pass.min(MAX_PASSES);
                c.done = pass <= MAX_PASSES;
                return Some((best, bestd));
            }
        }
    }
}
