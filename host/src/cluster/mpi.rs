//! `train --cluster` over MPI: rank 0 is the CMA-ES master, ranks 1.. evaluate.
//!
//! Protocol (all messages are `f64` arrays, tiny next to an episode):
//! * master -> worker, tag [`TASK`]: `[index, x...]`; tag [`STOP`]: empty, the worker exits;
//! * worker -> master, tag [`RESULT`]: `[index, cost, failed (0 or 1)]`.
//!
//! Each generation the master sends one candidate to every worker, then, as soon as any worker
//! replies, gives that worker the next pending index (dynamic queue: a fast rank takes more).
//! Costs are stored by index, so the result is the same as a local run's for the same seed.
//! With a single rank there are no workers and the master evaluates on its own threads.

use mpi::traits::*;

use super::{ClusterError, CostFn, Node, PopulationEval, Worker};
use crate::optim::Evaluator;
use crate::train::{Problem, FAILED_COST};

pub const TASK: i32 = 1;
pub const RESULT: i32 = 2;
pub const STOP: i32 = 3;

/// Test hook: a worker rank exits (as a killed rank would) instead of answering its k-th
/// candidate, when this variable holds `k` (only rank `MYOREFLEX_MPI_FAIL_RANK` if set, else any).
pub const FAIL_AFTER_ENV: &str = "MYOREFLEX_MPI_FAIL_AFTER";
pub const FAIL_RANK_ENV: &str = "MYOREFLEX_MPI_FAIL_RANK";

/// This process's role in the MPI job (initializes MPI; finalized when the role is dropped).
pub fn join() -> Result<Node, ClusterError> {
    let universe = mpi::initialize().ok_or(ClusterError::Init)?;
    let world = universe.world();
    if world.rank() == 0 {
        eprintln!(
            "--cluster: MPI rank 0 of {} (CMA-ES master, {} evaluating ranks)",
            world.size(),
            world.size() - 1
        );
        Ok(Node::Master(Box::new(Master {
            universe,
            failed: 0,
        })))
    } else {
        Ok(Node::Worker(Box::new(MpiWorker { universe })))
    }
}

/// Rank 0.
struct Master {
    universe: mpi::environment::Universe,
    failed: u64,
}

fn task(index: usize, x: &[f64]) -> Vec<f64> {
    let mut m = Vec::with_capacity(x.len() + 1);
    m.push(index as f64);
    m.extend_from_slice(x);
    m
}

impl PopulationEval for Master {
    fn costs(
        &mut self,
        ev: &Evaluator,
        local: &CostFn<'_>,
        xs: &[Vec<f64>],
    ) -> Result<Vec<f64>, ClusterError> {
        let world = self.universe.world();
        let workers = world.size() - 1;
        if workers == 0 {
            return Ok(ev.evaluate(&local, xs));
        }
        let mut out: Vec<Option<f64>> = vec![None; xs.len()];
        let mut next = 0usize;
        let mut busy = 0usize;
        for w in 1..=workers {
            if next == xs.len() {
                break;
            }
            world
                .process_at_rank(w)
                .send_with_tag(&task(next, &xs[next])[..], TASK);
            next += 1;
            busy += 1;
        }
        while busy > 0 {
            let (m, status) = world.any_process().receive_vec_with_tag::<f64>(RESULT);
            busy -= 1;
            let from = status.source_rank();
            let i = match m.as_slice() {
                [i, _, _] if *i >= 0.0 && (*i as usize) < xs.len() && out[*i as usize].is_none() => *i as usize,
                _ => return Err(ClusterError::Protocol(format!("rank {from} answered {m:?} (expected [index, cost, failed] of a pending candidate)"))),
            };
            out[i] = Some(m[1]);
            if m[2] != 0.0 {
                self.failed += 1;
            }
            if next < xs.len() {
                world
                    .process_at_rank(from)
                    .send_with_tag(&task(next, &xs[next])[..], TASK);
                next += 1;
                busy += 1;
            }
        }
        Ok(out.into_iter().map(|c| c.unwrap_or(f64::NAN)).collect())
    }

    fn remote_failed(&self) -> u64 {
        self.failed
    }
}

impl Drop for Master {
    /// Every worker gets STOP (they are idle between generations), then MPI is finalized.
    fn drop(&mut self) {
        let world = self.universe.world();
        let empty: [f64; 0] = [];
        for w in 1..world.size() {
            world.process_at_rank(w).send_with_tag(&empty[..], STOP);
        }
    }
}

/// Ranks 1...
struct MpiWorker {
    universe: mpi::environment::Universe,
}

impl Worker for MpiWorker {
    fn serve(self: Box<Self>, problem: &dyn Problem) -> Result<u64, ClusterError> {
        let world = self.universe.world();
        let master = world.process_at_rank(0);
        let fail_after: Option<u64> = std::env::var(FAIL_AFTER_ENV)
            .ok()
            .and_then(|v| v.parse().ok());
        let fail_rank: Option<i32> = std::env::var(FAIL_RANK_ENV)
            .ok()
            .and_then(|v| v.parse().ok());
        let mut done = 0u64;
        loop {
            let (m, status) = master.receive_vec::<f64>();
            match status.tag() {
                STOP => return Ok(done),
                TASK if !m.is_empty() => {
                    if fail_after == Some(done + 1) && fail_rank.is_none_or(|r| r == world.rank()) {
                        eprintln!(
                            "rank {}: {FAIL_AFTER_ENV}: exiting instead of evaluating candidate {}",
                            world.rank(),
                            m[0]
                        );
                        std::process::exit(3);
                    }
                    let (cost, failed) =
                        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            problem.cost(&m[1..])
                        })) {
                            Ok(c) => (c, 0.0),
                            Err(_) => (FAILED_COST, 1.0),
                        };
                    master.send_with_tag(&[m[0], cost, failed][..], RESULT);
                    done += 1;
                }
                t => {
                    return Err(ClusterError::Protocol(format!(
                        "rank {} got tag {t} with {} values from rank 0",
                        world.rank(),
                        m.len()
                    )))
                }
            }
        }
    }
}
