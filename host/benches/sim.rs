//! `cargo bench -p myoreflex --bench sim`: physics steps per second of the native simulator
//! (criterion, single thread): the walking-like workload of `myoreflex bench` on the shipped
//! baseline model, 1000 physics steps (one simulated second from `walk_left`) per iteration;
//! criterion's throughput line is physics steps per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use myoreflex::sim::bench::{shipped_model, workload};
use myoreflex::sim::engine::NativeEngine;

const STEPS: usize = 1000;

fn walking_like(c: &mut Criterion) {
    let model = match shipped_model("baseline") {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut eng = match NativeEngine::new(model) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut g = c.benchmark_group("sim");
    g.throughput(Throughput::Elements(STEPS as u64));
    g.sample_size(20);
    g.bench_function("walking_like_1000_steps", |b| {
        b.iter(|| match workload(&mut eng, STEPS) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("error: the workload failed: {e}");
                std::process::exit(1);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, walking_like);
criterion_main!(benches);
