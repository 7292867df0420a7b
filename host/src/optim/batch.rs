//! Evaluation of a population in parallel (rayon, `--threads`), by index and collected in
//! order, so the results never depend on the thread count.

use rayon::prelude::*;

/// A cost function of one parameter vector, callable from several threads.
pub trait Objective: Sync {
    fn evaluate(&self, x: &[f64]) -> f64;
}

impl<F: Fn(&[f64]) -> f64 + Sync> Objective for F {
    fn evaluate(&self, x: &[f64]) -> f64 {
        self(x)
    }
}

/// A fixed-size thread pool for population evaluation.
pub struct Evaluator {
    pool: rayon::ThreadPool,
    threads: usize,
}

/// The pool could not be created.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {threads} evaluation threads: {source}")]
pub struct PoolError {
    threads: usize,
    source: rayon::ThreadPoolBuildError,
}

impl Evaluator {
    /// A pool of `threads` workers (0 = one per core).
    pub fn new(threads: usize) -> Result<Self, PoolError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("eval-{i}"))
            .build()
            .map_err(|source| PoolError { threads, source })?;
        let threads = pool.current_num_threads();
        Ok(Evaluator { pool, threads })
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// f(x) for every x, in the order of `xs`.
    pub fn evaluate<O: Objective + ?Sized>(&self, f: &O, xs: &[Vec<f64>]) -> Vec<f64> {
        self.pool
            .install(|| xs.par_iter().map(|x| f.evaluate(x)).collect())
    }

    /// Any per-point function, in parallel, results in the order of `xs`.
    pub fn evaluate_with<T: Send, F: Fn(&[f64]) -> T + Sync>(
        &self,
        xs: &[Vec<f64>],
        f: F,
    ) -> Vec<T> {
        self.pool.install(|| xs.par_iter().map(|x| f(x)).collect())
    }
}
