//! A walking-like workload for speed measurements: episodes of 1 s from the `walk_left`
//! keyframe (pelvis 1.5 m/s, feet on the ground) driven by a smooth, alternating muscle
//! excitation pattern, restarted every simulated second.

use super::engine::NativeEngine;
use super::model::SimModel;
use crate::engine::{Engine, EngineError, ResetSpec};

thread_local! {
    /// Solver tries (active-set tries 1-3, Newton steps counted from 4) and constraint rows summed over the workload's steps (diagnostics).
    pub static ITERS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    pub static NROWS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Runs `steps` physics steps of the workload; returns the number of steps done (all of
/// them, or the first failed step's error).
pub fn workload(eng: &mut NativeEngine, steps: usize) -> Result<usize, EngineError> {
    let spec = ResetSpec {
        keyframe: "walk_left".into(),
        ..Default::default()
    };
    let mut done = 0;
    let mut u = [0.0; 22];
    while done < steps {
        eng.reset(&spec)?;
        for k in 0..1000 {
            if done >= steps {
                break;
            }
            if k % 10 == 0 {
                let t = k as f64 * 0.001;
                for (i, v) in u.iter_mut().enumerate() {
                    let ph = (i as f64) * 0.7 + if i >= 11 { std::f64::consts::PI } else { 0.0 };
                    *v = 0.05 + 0.1 * (1.0 + (2.0 * std::f64::consts::PI * t + ph).sin());
                }
                eng.set_ctrl(&u, &[0.0, 0.0]);
            }
            // a failed step (not finite, not positive definite) is the simulator's error
            eng.step(1)?;
            done += 1;
            ITERS.with(|c| c.set(c.get() + eng.sim.solver_iterations() as u64));
            NROWS.with(|c| c.set(c.get() + eng.sim.nrows as u64));
        }
    }
    Ok(done)
}

/// CPU time of the calling thread in seconds (Linux `schedstat`, ns resolution), if available.
pub fn thread_cpu_seconds() -> Option<f64> {
    let t = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = t.split_whitespace().next()?.parse().ok()?;
    Some(ns * 1e-9)
}

/// Single-threaded speed of the workload: (physics steps per second, CPU ms per 20 simulated s).
/// Uses the thread's CPU time where the OS reports it (so a busy machine does not skew it),
/// else wall time.
pub fn measure(model: SimModel, steps: usize) -> Result<(f64, f64), EngineError> {
    let mut eng = NativeEngine::new(model)?;
    workload(&mut eng, 200)?;
    let c0 = thread_cpu_seconds();
    let t0 = std::time::Instant::now();
    let n = workload(&mut eng, steps)?;
    let wall = t0.elapsed().as_secs_f64();
    let dt = match (c0, thread_cpu_seconds()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall,
    };
    let sps = n as f64 / dt;
    if std::env::var_os("MYOREFLEX_BENCH_DEBUG").is_some() {
        let (it, nr) = (ITERS.with(|c| c.get()), NROWS.with(|c| c.get()));
        eprintln!(
            "mean solver tries {:.2}, mean rows {:.1}",
            it as f64 / (n + 200) as f64,
            nr as f64 / (n + 200) as f64
        );
    }
    Ok((sps, 20_000.0 / sps * 1000.0))
}

/// The simulator model of a shipped variant (`baseline`, `tutorial`, ...).
pub fn shipped_model(name: &str) -> Result<SimModel, super::build::BuildError> {
    let model = crate::model::shipped(name).map_err(|e| super::build::BuildError {
        file: format!("models/{name}.json"),
        what: e.to_string(),
    })?;
    super::build::build(&model)
}
