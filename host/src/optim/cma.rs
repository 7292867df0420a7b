//! The ask/tell CMA-ES core, following pycma 4.x (`CMAEvolutionStrategy.ask_geno`/`tell`,
//! `GaussFullSampler`, `CMAAdaptSigmaCSA`): active CMA, per-coordinate `CMA_stds`
//! (`sigma_vec`), BoundTransform bounds, lazy eigendecomposition, `maxstd` from the bound
//! range. The whole state is serde-serializable, so a checkpoint resumes bit-exactly.

use serde::{Deserialize, Serialize};

use super::bounds::BoundTransform;
use super::eigen::decompose;
use super::history::{Best, FitHistory, XStagnation};
use super::options::{CmaOptions, Resolved};
use super::rng::Rng;
use super::serde_f64;
use super::stop;
use super::strategy::Strategy;

/// Why a CMA-ES cannot be set up or told.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CmaError {
    #[error("the problem has no parameters")]
    Empty,
    #[error("x0 has {0} values but the bounds have {1}")]
    Dimension(usize, usize),
    #[error("x0[{0}] is {1}; every start value must be finite")]
    NonFiniteX0(usize, f64),
    #[error("sigma0 must be positive and finite, got {0}")]
    Sigma(f64),
    #[error("CMA_stds[{0}] is {1}; every per-coordinate std factor must be positive and finite")]
    Stds(usize, f64),
    #[error("tell got {0} values for {1} asked solutions")]
    TellCount(usize, usize),
    #[error("every function value of the population is NaN")]
    AllNan,
    #[error(transparent)]
    Bounds(#[from] super::bounds::BoundsError),
}

/// The complete optimizer state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CmaEs {
    pub(crate) n: usize,
    pub(crate) options: CmaOptions,
    pub(crate) r: Resolved,
    pub(crate) sp: Strategy,
    pub(crate) bounds: BoundTransform,
    #[serde(with = "serde_f64::vec")]
    pub(crate) x0: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    pub(crate) mean: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    pub(crate) mean_old: Vec<f64>,
    #[serde(with = "serde_f64")]
    pub(crate) sigma: f64,
    #[serde(with = "serde_f64")]
    pub(crate) sigma0: f64,
    #[serde(with = "serde_f64::vec")]
    pub(crate) sigma_vec: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    pub(crate) sigma_vec0: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    pub(crate) maxstd: Vec<f64>,
    /// Covariance matrix, row-major.
    #[serde(with = "serde_f64::vec")]
    pub(crate) c: Vec<f64>,
    /// Eigenvectors (column k), row-major, and √eigenvalues ascending, of the last decomposition.
    #[serde(with = "serde_f64::vec")]
    pub(crate) b: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    pub(crate) d: Vec<f64>,
    pub(crate) count_tell: u64,
    pub(crate) last_update: u64,
    pub(crate) count_eigen: u64,
    #[serde(with = "serde_f64::vec")]
    pub(crate) pc: Vec<f64>,
    #[serde(with = "serde_f64::vec")]
    pub(crate) ps: Vec<f64>,
    pub(crate) countiter: u64,
    pub(crate) countevals: u64,
    pub(crate) best: Best,
    /// Best of the last told population (pycma `best.last`).
    pub(crate) last: Best,
    pub(crate) fit: FitHistory,
    pub(crate) xstag: XStagnation,
    pub(crate) rng: Rng,
    /// Genotypes of the solutions handed out by the last `ask`, awaiting `tell`.
    pub(crate) asked: Vec<Vec<f64>>,
    pub(crate) stop: Vec<String>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl CmaEs {
    /// A new strategy at phenotype `x0` with step size `sigma0` and per-coordinate factors
    /// `stds` (pycma `CMA_stds`; `None` = all ones).
    pub fn new(
        x0: &[f64],
        sigma0: f64,
        stds: Option<&[f64]>,
        bounds: BoundTransform,
        options: CmaOptions,
    ) -> Result<Self, CmaError> {
        let n = x0.len();
        if n == 0 {
            return Err(CmaError::Empty);
        }
        if bounds.lower().len() != n {
            return Err(CmaError::Dimension(n, bounds.lower().len()));
        }
        if let Some((i, v)) = x0.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(CmaError::NonFiniteX0(i, *v));
        }
        if !(sigma0 > 0.0 && sigma0.is_finite()) {
            return Err(CmaError::Sigma(sigma0));
        }
        let sigma_vec0: Vec<f64> = match stds {
            Some(s) => {
                if s.len() != n {
                    return Err(CmaError::Dimension(s.len(), n));
                }
                if let Some((i, v)) = s
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !(**v > 0.0 && v.is_finite()))
                {
                    return Err(CmaError::Stds(i, *v));
                }
                s.to_vec()
            }
            None => vec![1.0; n],
        };
        let r = options.resolve(n);
        let sp = Strategy::new(n, r.popsize);
        let mean = if bounds.is_unbounded() {
            x0.to_vec()
        } else {
            bounds.inverse(x0)
        };
        let maxstd = bounds.max_std(r.maxstd_boundrange);
        let mut c = vec![0.0; n * n];
        let mut d = vec![0.0; n];
        let mut b = vec![0.0; n * n];
        for i in 0..n {
            c[i * n + i] = ((1e-4 / n as f64) * i as f64).exp();
            d[i] = c[i * n + i].sqrt();
            b[i * n + i] = 1.0;
        }
        let xstag = XStagnation::new(&mean);
        let no_best = Best {
            x: x0.to_vec(),
            f: f64::INFINITY,
            evals: 0,
            iteration: 0,
        };
        Ok(CmaEs {
            n,
            rng: Rng::new(r.seed),
            options,
            r,
            sp,
            bounds,
            x0: x0.to_vec(),
            mean_old: mean.clone(),
            mean,
            sigma: sigma0,
            sigma0,
            sigma_vec: sigma_vec0.clone(),
            sigma_vec0,
            maxstd,
            c,
            b,
            d,
            count_tell: 0,
            last_update: 0,
            count_eigen: 0,
            pc: vec![0.0; n],
            ps: vec![0.0; n],
            countiter: 0,
            countevals: 0,
            best: no_best.clone(),
            last: no_best,
            fit: FitHistory::new(),
            xstag,
            asked: Vec::new(),
            stop: Vec::new(),
        })
    }

    /// Eigendecomposition if the lazy gap has passed (pycma `update_now`).
    fn update_now(&mut self) {
        let gap = self.sp.lazy_gap;
        let since = self.count_tell - self.last_update;
        if (self.count_tell as f64) < self.last_update as f64 + gap
            || (gap == since as f64 && since == 0)
        {
            return;
        }
        let (b, d) = decompose(&mut self.c, self.n, &self.d);
        self.b = b;
        self.d = d;
        self.count_eigen += 1;
        self.last_update = self.count_tell;
    }

    /// B·(D·z).
    fn transform(&self, z: &[f64]) -> Vec<f64> {
        let n = self.n;
        let dz: Vec<f64> = z.iter().zip(&self.d).map(|(a, b)| a * b).collect();
        (0..n)
            .map(|i| dot(&self.b[i * n..(i + 1) * n], &dz))
            .collect()
    }

    /// Bᵀx / D (the coordinates of C^{-1/2}x in the eigenbasis; same norm).
    fn inverse_coords(&self, x: &[f64]) -> Vec<f64> {
        let n = self.n;
        (0..n)
            .map(|k| (0..n).map(|i| self.b[i * n + k] * x[i]).sum::<f64>() / self.d[k])
            .collect()
    }

    /// B·(Bᵀx / D) = C^{-1/2}x.
    fn transform_inverse(&self, x: &[f64]) -> Vec<f64> {
        let n = self.n;
        let y = self.inverse_coords(x);
        (0..n)
            .map(|i| dot(&self.b[i * n..(i + 1) * n], &y))
            .collect()
    }

    /// pycma `alleviate_conditioning_in_coordinates` (option `conditioncov_alleviate`, first
    /// entry 1e8): when the variances of C differ by more than `condition`, move them into
    /// `sigma_vec` and make C a correlation matrix. The distribution does not change.
    fn alleviate_conditioning_in_coordinates(&mut self, condition: f64) {
        let n = self.n;
        let dc: Vec<f64> = (0..n).map(|i| self.c[i * n + i]).collect();
        let mx = dc.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let mn = dc.iter().cloned().fold(f64::INFINITY, f64::min);
        if !(mx / mn >= condition) {
            return;
        }
        // to_correlation_matrix: update_now(0), then rescale and decompose again
        if self.count_tell != self.last_update {
            let (b, d) = decompose(&mut self.c, n, &self.d);
            self.b = b;
            self.d = d;
            self.count_eigen += 1;
            self.last_update = self.count_tell;
        }
        let f: Vec<f64> = (0..n).map(|i| self.c[i * n + i].sqrt()).collect();
        for i in 0..n {
            for j in 0..n {
                self.c[i * n + j] /= f[i] * f[j];
            }
        }
        let (b, d) = decompose(&mut self.c, n, &self.d);
        self.b = b;
        self.d = d;
        self.count_eigen += 1;
        for i in 0..n {
            self.sigma_vec[i] *= f[i];
            self.pc[i] /= f[i];
        }
    }

    /// λ new feasible candidate solutions (phenotypes), to be evaluated and passed to `tell`
    /// in the same order.
    pub fn ask(&mut self) -> Vec<Vec<f64>> {
        self.alleviate_conditioning_in_coordinates(1e8);
        self.update_now();
        let lambda = self.sp.lambda;
        let mut geno = Vec::with_capacity(lambda);
        for _ in 0..lambda {
            let z: Vec<f64> = (0..self.n).map(|_| self.rng.normal()).collect();
            let y = self.transform(&z);
            let x: Vec<f64> = (0..self.n)
                .map(|i| self.mean[i] + self.sigma * (self.sigma_vec[i] * y[i]))
                .collect();
            geno.push(x);
        }
        let pheno = geno.iter().map(|g| self.bounds.transform(g)).collect();
        self.asked = geno;
        pheno
    }

    /// Updates the distribution with the values of the last `ask`'s solutions (same order).
    pub fn tell(&mut self, values: &[f64]) -> Result<(), CmaError> {
        let lambda = self.asked.len();
        if values.len() != lambda || lambda == 0 {
            return Err(CmaError::TellCount(values.len(), lambda));
        }
        let n = self.n;
        let nf = n as f64;
        // NaN values are replaced by the median of the others, as pycma does
        let finite: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        if finite.is_empty() {
            return Err(CmaError::AllNan);
        }
        let med = super::history::median(&finite);
        let f: Vec<f64> = values
            .iter()
            .map(|v| if v.is_nan() { med } else { *v })
            .collect();
        let geno = std::mem::take(&mut self.asked);

        self.countiter += 1;
        self.countevals += lambda as u64;
        // best-ever and best-of-iteration (phenotypes)
        let (imin, fmin) = f
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f64::INFINITY),
                |acc, (i, v)| if v < acc.1 { (i, v) } else { acc },
            );
        let xmin = self.bounds.transform(&geno[imin]);
        if fmin < f64::INFINITY && fmin < self.best.f {
            self.best = Best {
                x: xmin.clone(),
                f: fmin,
                evals: self.countevals - lambda as u64 + imin as u64 + 1,
                iteration: self.countiter,
            };
        }
        self.last = Best {
            x: xmin,
            f: fmin,
            evals: self.countevals - lambda as u64 + imin as u64 + 1,
            iteration: self.countiter,
        };
        self.fit.record(&f, self.countiter, n, self.sp.lambda);

        let mut idx: Vec<usize> = (0..lambda).collect();
        idx.sort_by(|a, b| f[*a].total_cmp(&f[*b]));
        let pop: Vec<&Vec<f64>> = idx.iter().map(|&i| &geno[i]).collect();

        self.mean_old = self.mean.clone();
        let mold = &self.mean_old;
        let w = &self.sp.weights;
        let mut mean = vec![0.0; n];
        for k in 0..self.sp.mu {
            for i in 0..n {
                mean[i] += w[k] * pop[k][i];
            }
        }
        self.mean = mean;

        // CSA path (pycma `_update_ps`, with the pre-update B and D)
        let cs = self.sp.cs;
        let shift: Vec<f64> = (0..n)
            .map(|i| (self.mean[i] - mold[i]) / self.sigma_vec[i])
            .collect();
        let z: Vec<f64> = self
            .transform_inverse(&shift)
            .iter()
            .map(|v| v * self.sp.mueff.sqrt() / self.sigma)
            .collect();
        let csn = (cs * (2.0 - cs)).sqrt();
        for i in 0..n {
            self.ps[i] = (1.0 - cs) * self.ps[i] + csn * z[i];
        }
        let ps2: f64 = self.ps.iter().map(|v| v * v).sum();
        let hsig_ok = ps2 / (1.0 - (1.0 - cs).powf(2.0 * self.countiter as f64)) / nf - 1.0
            < 1.0 + 4.0 / (nf + 1.0);
        let hsig = if hsig_ok { 1.0 } else { 0.0 };

        let (cc, c1, cmu) = (self.sp.cc, self.sp.c1, self.sp.cmu);
        let c1a = c1 * (1.0 - (1.0 - hsig * hsig) * cc * (2.0 - cc));
        let pcf = hsig * (cc * (2.0 - cc) * self.sp.mueff).sqrt() / self.sigma;
        for i in 0..n {
            self.pc[i] =
                (1.0 - cc) * self.pc[i] + pcf * (self.mean[i] - mold[i]) / self.sigma_vec[i];
        }

        // covariance update (GaussFullSampler.update)
        let mut vectors: Vec<Vec<f64>> = Vec::with_capacity(lambda + 1);
        let mut weights: Vec<f64> = Vec::with_capacity(lambda + 1);
        let pcfac = (c1 / (c1a + 1e-23)).sqrt();
        vectors.push(self.pc.iter().map(|v| pcfac * v).collect());
        weights.push(c1a);
        for (k, x) in pop.iter().enumerate() {
            vectors.push(
                (0..n)
                    .map(|i| (x[i] - mold[i]) / (self.sigma * self.sigma_vec[i]))
                    .collect(),
            );
            weights.push(cmu * w[k]);
        }
        if c1a + cmu > 0.0 {
            let wsum: f64 = weights.iter().sum();
            for k in 0..weights.len() {
                if weights[k] < 0.0 {
                    let y = self.inverse_coords(&vectors[k]);
                    let norm = y.iter().map(|v| v * v).sum::<f64>().sqrt();
                    weights[k] *= nf / (norm + 1e-9).powi(2);
                }
            }
            let scale = 1.0 - wsum;
            for v in self.c.iter_mut() {
                *v *= scale;
            }
            for (v, wk) in vectors.iter().zip(&weights) {
                for i in 0..n {
                    let a = wk * v[i];
                    let row = &mut self.c[i * n..(i + 1) * n];
                    for j in 0..n {
                        row[j] += a * v[j];
                    }
                }
            }
            self.count_tell += 1;
        }

        // step size (CMAAdaptSigmaCSA.update2)
        let s = (ps2.sqrt() / self.sp.chi_n - 1.0) * cs / self.sp.damps;
        self.sigma *= s.clamp(-1.0, 1.0).exp();

        // maxstd from the bound range (pycma `_stds_into_limits`)
        let fix = if self.countiter <= 2 {
            1e-4f64.exp()
        } else {
            1.0
        };
        for i in 0..n {
            let sb = self.maxstd[i];
            if sb.is_finite() {
                let s = self.sigma * self.sigma_vec[i] * self.c[i * n + i].sqrt();
                if s > sb * fix {
                    self.sigma_vec[i] *= sb / s;
                }
            }
        }
        self.xstag.update(&self.mean, self.r.tolxstagnation);
        stop::update_flat_fitness(self);
        self.stop = stop::check(self);
        Ok(())
    }

    /// Termination reasons found by the last `tell` (pycma's keys), empty while running.
    pub fn stop(&self) -> &[String] {
        &self.stop
    }

    pub fn dimension(&self) -> usize {
        self.n
    }
    pub fn popsize(&self) -> usize {
        self.sp.lambda
    }
    pub fn iteration(&self) -> u64 {
        self.countiter
    }
    pub fn evaluations(&self) -> u64 {
        self.countevals
    }
    pub fn sigma(&self) -> f64 {
        self.sigma
    }
    pub fn best(&self) -> &Best {
        &self.best
    }
    /// Best of the last told population.
    pub fn last_best(&self) -> &Best {
        &self.last
    }
    pub fn fit(&self) -> &FitHistory {
        &self.fit
    }
    pub fn options(&self) -> &Resolved {
        &self.r
    }
    pub fn strategy(&self) -> &Strategy {
        &self.sp
    }
    pub fn bounds(&self) -> &BoundTransform {
        &self.bounds
    }
    pub fn x0(&self) -> &[f64] {
        &self.x0
    }
    /// The distribution mean as a feasible phenotype (pycma `xfavorite`).
    pub fn mean_pheno(&self) -> Vec<f64> {
        self.bounds.transform(&self.mean)
    }
    /// The genotype mean.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }
    /// Per-coordinate standard deviations σ·sigma_vec·√diag(C).
    pub fn stds(&self) -> Vec<f64> {
        (0..self.n)
            .map(|i| self.sigma * self.sigma_vec[i] * self.c[i * self.n + i].sqrt())
            .collect()
    }
    /// Per-coordinate scaling factors (pycma `sigma_vec.scaling`: `CMA_stds`, reduced by `maxstd`).
    pub fn sigma_vec(&self) -> &[f64] {
        &self.sigma_vec
    }
    /// √eigenvalues of C, ascending (last decomposition).
    pub fn axis_lengths(&self) -> &[f64] {
        &self.d
    }
    pub fn axis_ratio(&self) -> f64 {
        self.d[self.n - 1] / self.d[0]
    }

    /// Checks the sizes and invariants of a deserialized state (a hand-edited or truncated
    /// checkpoint must not make `ask`/`tell` panic).
    pub fn check_consistency(&self) -> Result<(), String> {
        let n = self.n;
        let vecs: [(&str, usize); 10] = [
            ("x0", self.x0.len()),
            ("mean", self.mean.len()),
            ("mean_old", self.mean_old.len()),
            ("sigma_vec", self.sigma_vec.len()),
            ("sigma_vec0", self.sigma_vec0.len()),
            ("maxstd", self.maxstd.len()),
            ("d", self.d.len()),
            ("pc", self.pc.len()),
            ("ps", self.ps.len()),
            ("bounds", self.bounds.lower().len()),
        ];
        if n == 0 {
            return Err("dimension 0".into());
        }
        for (name, len) in vecs {
            if len != n {
                return Err(format!("{name} has {len} values, expected {n}"));
            }
        }
        if self.c.len() != n * n || self.b.len() != n * n {
            return Err(format!("covariance or eigenvectors are not {n}x{n}"));
        }
        if self.sp.n != n
            || self.sp.weights.len() != self.sp.lambda
            || self.sp.lambda < 2
            || self.sp.mu == 0
            || self.sp.mu > self.sp.lambda
        {
            return Err("strategy parameters do not fit the dimension".into());
        }
        if !(self.sigma > 0.0 && self.sigma.is_finite()) || self.d.iter().any(|v| !(*v > 0.0)) {
            return Err("step size or axis lengths are not positive".into());
        }
        if !self.asked.is_empty() && self.asked.iter().any(|a| a.len() != n) {
            return Err("pending solutions have the wrong length".into());
        }
        Ok(())
    }

    /// Raises the iteration limit (e.g. when a resumed run is given a larger `--maxiter`)
    /// and re-checks termination.
    pub fn set_maxiter(&mut self, maxiter: u64) {
        self.options.maxiter = Some(maxiter);
        self.r.maxiter = maxiter;
        if self.countiter > 0 {
            self.stop = stop::check(self);
        }
    }
}
