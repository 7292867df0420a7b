//! `cargo bench -p myoreflex --bench cmaes`: the optimizer's own cost per generation (ask +
//! tell, checkpoint JSON, outcmaes rows) at the shapes of the shipped configs, so it can be
//! compared with the episode time (seconds per evaluation).

use std::time::Instant;

use myoreflex::optim::{BoundTransform, CmaEs, CmaOptions};
use myoreflex::results::{Checkpoint, DatLogger};

fn main() {
    let dir = std::env::temp_dir().join(format!("myoreflex-bench-cmaes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, n, lambda) in [
        ("debug (81, λ 8)", 81, 8),
        ("baseline (77, λ 32)", 77, 32),
        ("exo_npoint (89, λ 32)", 89, 32),
    ] {
        let mut o = CmaOptions::default();
        o.parse(&format!("seed:1,popsize:{lambda}"))
            .expect("options");
        let es = CmaEs::new(
            &vec![1.0; n],
            0.01,
            Some(&vec![10.0; n]),
            BoundTransform::none(n),
            o,
        )
        .expect("cma");
        let mut ck = Checkpoint {
            format: myoreflex::results::checkpoint::FORMAT.into(),
            version: myoreflex::results::checkpoint::VERSION,
            trial: "bench".into(),
            run_dir: dir.clone(),
            stamp: "0000_0000".into(),
            config_name: "bench".into(),
            config: serde_json::json!({}),
            seed: 1,
            es,
            history: Vec::new(),
        };
        let log = DatLogger::open(
            &dir,
            name.split(' ').next().unwrap_or("x"),
            1,
            "",
            &vec![1.0; n],
        )
        .expect("log");
        let gens = 200;
        let (mut t_core, mut t_ck, mut t_log) = (0.0, 0.0, 0.0);
        for _ in 0..gens {
            let t = Instant::now();
            let xs = ck.es.ask();
            let f: Vec<f64> = xs
                .iter()
                .map(|x| x.iter().map(|v| (v - 1.2) * (v - 1.2)).sum())
                .collect();
            ck.es.tell(&f).expect("tell");
            t_core += t.elapsed().as_secs_f64();
            let t = Instant::now();
            ck.save().expect("checkpoint");
            t_ck += t.elapsed().as_secs_f64();
            let t = Instant::now();
            log.add(&ck.es).expect("log");
            t_log += t.elapsed().as_secs_f64();
        }
        let us = |t: f64| t / gens as f64 * 1e6;
        println!(
            "cmaes/{name}: ask+tell {:.0} us/gen, checkpoint {:.0} us/gen, outcmaes {:.0} us/gen, total {:.2} ms/gen",
            us(t_core),
            us(t_ck),
            us(t_log),
            (t_core + t_ck + t_log) / gens as f64 * 1e3
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
