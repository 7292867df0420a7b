//! `outcmaes/` logs in pycma 4.0's `CMADataLogger` format (one row per generation, `%` header
//! lines), so `cma.plot()` / `cma.CMADataLogger(prefix).plot()` work on them: `fit`, `xmean`,
//! `xrecentbest`, `stddev`, `axlen` and `sigvec` `.dat` files plus `x0.dat`.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cost::report::py_repr;
use crate::optim::CmaEs;

/// Writer of the `.dat` files under `<dir>/<prefix>`.
#[derive(Clone, Debug)]
pub struct DatLogger {
    prefix: PathBuf,
}

const FILES: [(&str, &str); 6] = [
    ("fit", "iteration, evaluation, sigma, axis ratio, bestever, best, median, worst objective function value, interquartile range, further/more values"),
    ("xmean", "iteration, evaluation, void, void, void, xmean"),
    ("xrecentbest", "iter, evals, sigma, 0, fitness, xbest"),
    ("stddev", "iteration, evaluation, sigma, void, void,  stds==sigma*sigma_vec.scaling*sqrt(diag(C))"),
    ("axlen", "iteration, evaluation, sigma, max axis length,  min axis length, all principal axes lengths  (sorted square roots of eigenvalues of C)"),
    ("sigvec", "iteration, evaluation, sigma, beta, void,  sigvec==sigma_vec.scaling factors from diagonal decoding"),
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let pos = p / 100.0 * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (pos - lo as f64) * (sorted[hi] - sorted[lo])
}

fn join(v: &[f64]) -> String {
    v.iter().map(|x| py_repr(*x)).collect::<Vec<_>>().join(" ")
}

impl DatLogger {
    /// Logs to `<dir>/outcmaes/<trial>_*.dat`; creates the folder and, for files that do not
    /// exist yet, the header lines (a resumed run appends to the existing files).
    pub fn open(
        dir: &Path,
        trial: &str,
        seed: u64,
        date: &str,
        x0: &[f64],
    ) -> std::io::Result<Self> {
        let out = dir.join("outcmaes");
        std::fs::create_dir_all(&out)?;
        let prefix = out.join(format!("{trial}_"));
        let log = DatLogger { prefix };
        for (name, cols) in FILES {
            let p = log.path(name);
            if !p.exists() {
                let extra = if name == "xmean" {
                    " # scaling_of_variables: 1, typical_x: 0"
                } else {
                    ""
                };
                std::fs::write(&p, format!("% # columns=\"{cols}\", seed={seed}, {date}, <python>{{}}</python>{extra}\n"))?;
            }
        }
        let x0p = log.path("x0");
        if !x0p.exists() {
            std::fs::write(
                &x0p,
                format!(
                    "[{}]\n",
                    x0.iter()
                        .map(|v| py_repr(*v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )?;
        }
        Ok(log)
    }

    fn path(&self, name: &str) -> PathBuf {
        let mut s = self.prefix.as_os_str().to_owned();
        s.push(format!("{name}.dat"));
        PathBuf::from(s)
    }

    fn append(&self, name: &str, line: String) -> std::io::Result<()> {
        let mut f = OpenOptions::new()
            .append(true)
            .create(true)
            .open(self.path(name))?;
        f.write_all(line.as_bytes())?;
        f.write_all(b"\n")
    }

    /// One row per file for the strategy's current generation.
    pub fn add(&self, es: &CmaEs) -> std::io::Result<()> {
        let it = es.iteration();
        let ev = es.evaluations();
        let sigma = py_repr(es.sigma());
        let fit = &es.fit().fit;
        let iqr = percentile(fit, 75.0) - percentile(fit, 25.0);
        let d = es.axis_lengths();
        self.append(
            "fit",
            format!(
                "{it} {ev} {sigma} {} {} {} {} {} {}",
                py_repr(es.axis_ratio()),
                py_repr(es.best().f),
                py_repr(fit[0]),
                py_repr(es.fit().median),
                py_repr(fit[fit.len() - 1]),
                py_repr(iqr)
            ),
        )?;
        self.append("xmean", format!("{it} {ev} 0 0 0 {}", join(es.mean())))?;
        let last = es.last_best();
        self.append(
            "xrecentbest",
            format!("{it} {ev} {sigma} 0 {} {}", py_repr(last.f), join(&last.x)),
        )?;
        self.append(
            "stddev",
            format!("{it} {ev} {sigma} 0 0 {}", join(&es.stds())),
        )?;
        let dmax = d.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let dmin = d.iter().cloned().fold(f64::INFINITY, f64::min);
        self.append(
            "axlen",
            format!(
                "{it} {ev} {sigma} {} {} {}",
                py_repr(dmax),
                py_repr(dmin),
                join(d)
            ),
        )?;
        self.append(
            "sigvec",
            format!("{it} {ev} {sigma} 1 0 {}", join(es.sigma_vec())),
        )?;
        Ok(())
    }
}
