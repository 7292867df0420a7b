//! Muscle-tendon path geometry: lengths and moment arms (the tendon Jacobian). Every path
//! segment of every muscle is in one list and every moment-arm term (a segment and a DOF that
//! changes its length) in another, so the step first computes all segment directions and then
//! all terms, each in one flat loop.
//!
//! A segment's unit vector u pulls with the force vector w = (p × u, u) at either end p, so a
//! DOF moving its far (near) end changes the length by +(-)(φ·w + v_z·u_z).

use super::kinematics::Kin;
use super::model::{Muscle, Site, MAX_DOF};
use super::planar::{dot, wrench};

/// One moment-arm term: DOF `dof` changes the length of segment `seg` (of muscle `muscle`)
/// with sign `sign`.
#[derive(Clone, Copy, Debug)]
struct Term {
    muscle: u16,
    seg: u16,
    dof: u16,
    sign: f64,
}

/// The muscle paths laid out for [`TendonPaths::geometry`].
#[derive(Clone, Debug, Default)]
pub struct TendonPaths {
    /// Path points of all muscles, muscle after muscle: muscle `i`'s are
    /// `points[first[i]..first[i + 1]]` and its segments `first[i] - i..first[i + 1] - i - 1`.
    points: Vec<Site>,
    first: Vec<usize>,
    /// Per segment, its terms in ascending DOF order, segment after segment.
    terms: Vec<Term>,
    /// Per segment: whether it has terms (both ends on bodies that the same DOFs move keep
    /// its length, whose direction is then not needed).
    moves: Vec<bool>,
}

/// One segment's length, unit vector and force vector in the current pose.
#[derive(Clone, Copy, Debug, Default)]
pub struct Segment {
    len: f64,
    u: [f64; 3],
    w: [f64; 3],
}

impl TendonPaths {
    /// The layout of `muscles`' paths, given every body's chain of DOFs (ascending); sets each
    /// muscle's `dofs` (those changing its length, ascending).
    pub fn new(muscles: &mut [Muscle], chains: &[Vec<usize>]) -> TendonPaths {
        let mut t = TendonPaths {
            first: vec![0],
            ..Default::default()
        };
        for (mi, mu) in muscles.iter_mut().enumerate() {
            let mut all: Vec<usize> = Vec::new();
            for w in mu.path.windows(2) {
                // DOFs moving one end but not the other (common ancestors move both ends
                // rigidly and cancel), `true` for the far end
                let (ca, cb) = (&chains[w[0].body], &chains[w[1].body]);
                let mut v: Vec<(usize, bool)> = ca
                    .iter()
                    .filter(|j| !cb.contains(j))
                    .map(|&j| (j, false))
                    .chain(cb.iter().filter(|j| !ca.contains(j)).map(|&j| (j, true)))
                    .collect();
                v.sort_unstable();
                let seg = t.points.len() + 1 - t.first.len();
                for &(j, far) in &v {
                    if !all.contains(&j) {
                        all.push(j);
                    }
                    t.terms.push(Term {
                        muscle: mi as u16,
                        seg: seg as u16,
                        dof: j as u16,
                        sign: if far { 1.0 } else { -1.0 },
                    });
                }
                t.moves.push(!v.is_empty());
                t.points.push(w[0]);
            }
            t.points.extend(mu.path.last());
            t.first.push(t.points.len());
            all.sort_unstable();
            mu.dofs = all;
        }
        t
    }

    /// Number of path segments.
    pub fn segments(&self) -> usize {
        self.points.len() + 1 - self.first.len()
    }

    /// Lengths `len` of the muscles and their moment arms, added into the Jacobian rows `jac`
    /// (whose entries of the muscles' DOFs the caller zeroes); `seg` is scratch space of
    /// [`Self::segments`] entries.
    pub fn geometry(
        &self,
        k: &Kin,
        seg: &mut [Segment],
        len: &mut [f64],
        jac: &mut [[f64; MAX_DOF]],
    ) {
        let site = |s: &Site| k.frame[s.body].point(&s.pos);
        let mut s = 0;
        for (i, w) in self.first.windows(2).enumerate() {
            let mut total = 0.0;
            let path = &self.points[w[0]..w[1]];
            let mut pa = site(&path[0]);
            for b in &path[1..] {
                let pb = site(b);
                let d = [pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]];
                let l = dot(&d, &d).sqrt();
                total += l;
                let g = &mut seg[s];
                g.len = l;
                if l >= 1e-15 && self.moves[s] {
                    let inv = 1.0 / l;
                    g.u = [d[0] * inv, d[1] * inv, d[2] * inv];
                    g.w = wrench(&pa, &g.u);
                }
                pa = pb;
                s += 1;
            }
            len[i] = total;
        }
        for t in &self.terms {
            let g = &seg[t.seg as usize];
            // (a zero-length segment has no direction and adds nothing)
            if g.len >= 1e-15 {
                let j = t.dof as usize;
                let du = dot(&k.phi[j], &g.w) + k.vz[j] * g.u[2];
                jac[t.muscle as usize][j] += t.sign * du;
            }
        }
    }
}
