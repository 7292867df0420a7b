//! CMA-ES options with pycma's names and defaults, and the `--cma_options` string parser
//! (`"tolfun:1e-9,tolx:1e-9,tolstagnation:150"`).

use serde::{Deserialize, Serialize};

use super::serde_f64;
use super::strategy::default_popsize_raw;

/// Options as given; `None` means pycma's default (which may depend on n and λ).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CmaOptions {
    pub popsize: Option<usize>,
    pub maxiter: Option<u64>,
    pub maxfevals: Option<u64>,
    pub ftarget: Option<f64>,
    pub tolfun: Option<f64>,
    pub tolfunhist: Option<f64>,
    pub tolfunrel: Option<f64>,
    pub tolx: Option<f64>,
    pub tolfacupx: Option<f64>,
    pub tolupsigma: Option<f64>,
    pub tolconditioncov: Option<f64>,
    pub tolstagnation: Option<u64>,
    pub tolflatfitness: Option<u64>,
    /// First entry of pycma's `tolxstagnation` (mean-move threshold; negative switches it off).
    pub tolxstagnation: Option<f64>,
    pub maxstd_boundrange: Option<f64>,
    pub seed: Option<u64>,
}

/// Every option with its value resolved for a dimension and population size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resolved {
    pub popsize: usize,
    pub maxiter: u64,
    pub maxfevals: u64,
    #[serde(with = "serde_f64")]
    pub ftarget: f64,
    pub tolfun: f64,
    pub tolfunhist: f64,
    pub tolfunrel: f64,
    pub tolx: f64,
    pub tolfacupx: f64,
    pub tolupsigma: f64,
    pub tolconditioncov: f64,
    pub tolstagnation: u64,
    pub tolflatfitness: u64,
    pub tolxstagnation: f64,
    pub maxstd_boundrange: f64,
    pub seed: u64,
}

/// A `--cma_options` string that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum OptionsError {
    #[error("CMA option '{0}' is unknown; known options: {KNOWN}")]
    Unknown(String),
    #[error("CMA option '{0}' has value '{1}', expected {2}")]
    Value(String, String, &'static str),
    #[error(
        "CMA option entry '{0}' is not of the form key:value (e.g. \"tolfun:1e-9,tolx:1e-9\")"
    )]
    Syntax(String),
}

const KNOWN: &str = "popsize, maxiter, maxfevals, ftarget, tolfun, tolfunhist, tolfunrel, tolx, tolfacupx, \
tolupsigma, tolconditioncov, tolstagnation, tolflatfitness, tolxstagnation, maxstd_boundrange, seed";

fn parse_f64(k: &str, v: &str) -> Result<f64, OptionsError> {
    match v.trim().parse::<f64>() {
        Ok(x) if !x.is_nan() => Ok(x),
        _ => Err(OptionsError::Value(k.into(), v.into(), "a number")),
    }
}

fn parse_u64(k: &str, v: &str) -> Result<u64, OptionsError> {
    let t = v.trim();
    if let Ok(x) = t.parse::<u64>() {
        return Ok(x);
    }
    // accept integral floats such as 1e4
    match t.parse::<f64>() {
        Ok(x) if x >= 0.0 && x.fract() == 0.0 && x < 1.8e19 => Ok(x as u64),
        _ => Err(OptionsError::Value(
            k.into(),
            v.into(),
            "a non-negative integer",
        )),
    }
}

fn nonneg(k: &str, v: &str, x: f64) -> Result<f64, OptionsError> {
    if x < 0.0 {
        return Err(OptionsError::Value(
            k.into(),
            v.into(),
            "a non-negative number",
        ));
    }
    Ok(x)
}

impl CmaOptions {
    /// Sets one option by its pycma name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), OptionsError> {
        let k = key.trim();
        match k {
            "popsize" => {
                let p = parse_u64(k, value)?;
                if p < 2 {
                    return Err(OptionsError::Value(
                        k.into(),
                        value.into(),
                        "an integer of at least 2",
                    ));
                }
                self.popsize = Some(p as usize)
            }
            "maxiter" => self.maxiter = Some(parse_u64(k, value)?),
            "maxfevals" => self.maxfevals = Some(parse_u64(k, value)?),
            "ftarget" => self.ftarget = Some(parse_f64(k, value)?),
            "tolfun" => self.tolfun = Some(nonneg(k, value, parse_f64(k, value)?)?),
            "tolfunhist" => self.tolfunhist = Some(nonneg(k, value, parse_f64(k, value)?)?),
            "tolfunrel" => self.tolfunrel = Some(nonneg(k, value, parse_f64(k, value)?)?),
            "tolx" => self.tolx = Some(nonneg(k, value, parse_f64(k, value)?)?),
            "tolfacupx" => self.tolfacupx = Some(nonneg(k, value, parse_f64(k, value)?)?),
            "tolupsigma" => self.tolupsigma = Some(nonneg(k, value, parse_f64(k, value)?)?),
            "tolconditioncov" => {
                self.tolconditioncov = Some(nonneg(k, value, parse_f64(k, value)?)?)
            }
            "tolstagnation" => self.tolstagnation = Some(parse_u64(k, value)?),
            "tolflatfitness" => self.tolflatfitness = Some(parse_u64(k, value)?),
            "tolxstagnation" => self.tolxstagnation = Some(parse_f64(k, value)?),
            "maxstd_boundrange" => {
                self.maxstd_boundrange = Some(nonneg(k, value, parse_f64(k, value)?)?)
            }
            "seed" => self.seed = Some(parse_u64(k, value)?),
            _ => return Err(OptionsError::Unknown(k.into())),
        }
        Ok(())
    }

    /// Parses `"key:value,key:value"` (also `=` instead of `:`; spaces and an empty string are fine).
    pub fn parse(&mut self, s: &str) -> Result<(), OptionsError> {
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (k, v) = entry
                .split_once([':', '='])
                .ok_or_else(|| OptionsError::Syntax(entry.into()))?;
            self.set(k, v)?;
        }
        Ok(())
    }

    /// Resolves pycma's defaults for dimension `n`.
    pub fn resolve(&self, n: usize) -> Resolved {
        let nf = n as f64;
        // pycma evaluates these expressions with the (unrounded) popsize option value
        let pop_raw = self
            .popsize
            .map(|p| p as f64)
            .unwrap_or_else(|| default_popsize_raw(n));
        let popsize = self.popsize.unwrap_or(pop_raw as usize);
        let maxiter_default = 100.0 + (150.0 * (nf + 3.0).powi(2) / pop_raw.sqrt()).floor();
        Resolved {
            popsize,
            maxiter: self.maxiter.unwrap_or(maxiter_default as u64),
            maxfevals: self.maxfevals.unwrap_or(u64::MAX),
            ftarget: self.ftarget.unwrap_or(f64::NEG_INFINITY),
            tolfun: self.tolfun.unwrap_or(1e-11),
            tolfunhist: self.tolfunhist.unwrap_or(1e-12),
            tolfunrel: self.tolfunrel.unwrap_or(0.0),
            tolx: self.tolx.unwrap_or(1e-11),
            tolfacupx: self.tolfacupx.unwrap_or(1e3),
            tolupsigma: self.tolupsigma.unwrap_or(1e20),
            tolconditioncov: self.tolconditioncov.unwrap_or(1e14),
            tolstagnation: self
                .tolstagnation
                .unwrap_or((100.0 + 100.0 * nf.powf(1.5) / pop_raw) as u64),
            tolflatfitness: self.tolflatfitness.unwrap_or(1),
            tolxstagnation: self.tolxstagnation.unwrap_or(1e-9),
            maxstd_boundrange: self.maxstd_boundrange.unwrap_or(1.0 / 3.0),
            seed: self.seed.unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_pycma() {
        let r = CmaOptions::default().resolve(10);
        assert_eq!(r.popsize, 10);
        assert_eq!(r.maxiter, 7775);
        assert_eq!(r.tolstagnation, 389);
        assert_eq!(CmaOptions::default().resolve(20).maxiter, 22118);
        assert_eq!(CmaOptions::default().resolve(20).tolstagnation, 788);
        assert_eq!(CmaOptions::default().resolve(40).tolstagnation, 1779);
        assert_eq!(CmaOptions::default().resolve(100).tolstagnation, 5713);
        let o = CmaOptions {
            popsize: Some(10),
            ..Default::default()
        };
        assert_eq!(o.resolve(10).maxiter, 8116);
    }

    #[test]
    fn parses_and_rejects() {
        let mut o = CmaOptions::default();
        o.parse("tolfun:1e-9, tolx = 1e-9,tolstagnation:150,")
            .unwrap();
        assert_eq!(o.tolfun, Some(1e-9));
        assert_eq!(o.tolx, Some(1e-9));
        assert_eq!(o.tolstagnation, Some(150));
        assert!(matches!(
            o.parse("tolfunn:1"),
            Err(OptionsError::Unknown(_))
        ));
        assert!(matches!(
            o.parse("tolfun:abc"),
            Err(OptionsError::Value(..))
        ));
        assert!(matches!(o.parse("tolfun"), Err(OptionsError::Syntax(_))));
        assert!(matches!(
            o.parse("popsize:-3"),
            Err(OptionsError::Value(..))
        ));
        let e = o.parse("bogus:1").unwrap_err().to_string();
        assert!(e.contains("bogus") && e.contains("tolstagnation"), "{e}");
    }
}
