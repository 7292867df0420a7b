//! Where a population is evaluated: on the local threads (rayon) or, with the cargo feature
//! `mpi` and `train --cluster`, on the ranks of an MPI job (rank 0 runs CMA-ES, every other
//! rank evaluates candidates from a dynamic queue).
//!
//! Both are a [`PopulationEval`]: costs of a population by index, collected in order, so the
//! result of a run never depends on where (or on how many ranks/threads) it was evaluated.
//!
//! Fault model (MPI): OpenMPI aborts the whole job when a rank dies, so a failed or killed
//! worker ends the run; the checkpoint of the last finished generation (written after every
//! generation) is kept and `train --pickle_path DIR` resumes it bit-identically (with or
//! without `--cluster`). No candidate is lost: the unfinished generation is asked again.

#[cfg(feature = "mpi")]
pub mod mpi;

use crate::optim::Evaluator;
use crate::train::Problem;

/// A cost function of one parameter vector, callable from several threads.
pub type CostFn<'a> = dyn Fn(&[f64]) -> f64 + Sync + 'a;

/// Evaluates populations for the training loop.
pub trait PopulationEval {
    /// The cost of every `xs[i]`, in order. `local` is the (panic-guarded) cost function of
    /// this process and `ev` its thread pool, for implementations that evaluate here.
    fn costs(
        &mut self,
        ev: &Evaluator,
        local: &CostFn<'_>,
        xs: &[Vec<f64>],
    ) -> Result<Vec<f64>, ClusterError>;
    /// Evaluations that failed (panicked) in other processes and were scored
    /// [`crate::train::FAILED_COST`] there.
    fn remote_failed(&self) -> u64 {
        0
    }
}

/// The local threads: every candidate on this process's rayon pool.
pub struct Local;

impl PopulationEval for Local {
    fn costs(
        &mut self,
        ev: &Evaluator,
        local: &CostFn<'_>,
        xs: &[Vec<f64>],
    ) -> Result<Vec<f64>, ClusterError> {
        Ok(ev.evaluate(&local, xs))
    }
}

/// Distributed evaluation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("--cluster needs a build with the `mpi` cargo feature: `cargo build --release --features mpi` (needs an MPI library and libclang; on Debian: apt-get install libopenmpi-dev openmpi-bin libclang-dev), then start it with `mpirun -n N myoreflex train --cluster ...` or `srun`")]
    FeatureMissing,
    #[error("cannot initialize MPI (was it already initialized?)")]
    Init,
    #[error("MPI protocol: {0}")]
    Protocol(String),
}

/// The role of this process in a run.
pub enum Node {
    /// No `--cluster`: evaluate on the local threads.
    Local,
    /// Rank 0 of an MPI job: runs CMA-ES and writes every file.
    Master(Box<dyn PopulationEval>),
    /// Any other rank: evaluates candidates until rank 0 says stop, writes nothing.
    Worker(Box<dyn Worker>),
}

/// An evaluating rank.
pub trait Worker {
    /// Serves candidates until the master stops; returns the number evaluated.
    fn serve(self: Box<Self>, problem: &dyn Problem) -> Result<u64, ClusterError>;
}

/// The role of this process: [`Node::Local`] without `--cluster`, else the MPI rank's role
/// (an error naming the feature when the build has no MPI).
pub fn join(cluster: bool) -> Result<Node, ClusterError> {
    if !cluster {
        return Ok(Node::Local);
    }
    #[cfg(feature = "mpi")]
    {
        mpi::join()
    }
    #[cfg(not(feature = "mpi"))]
    {
        Err(ClusterError::FeatureMissing)
    }
}
