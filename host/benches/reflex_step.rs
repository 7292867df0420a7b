//! `cargo bench -p myoreflex --bench reflex_step`: ns per control step of the reflex controller
//! (both legs: sensor push, supraspinal layer, phases, M1–M10, output lines), in f64 and f32,
//! non-delayed (100 Hz) and delayed (1 kHz), on the sensor logs of the reference reflex cases.

use controller::float::Real;
use controller::params::reflex_table::ReflexParams;
use controller::reflex::{DelayMode, Reflex, ResetState, Sensors};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use myoreflex::io::CsvTable;
use myoreflex::replay::{meta::Meta, InputColumns};

/// Sensor samples and parameters of the first reference reflex case with this delay mode.
fn case(delayed: bool) -> Option<(Vec<Sensors<f64>>, Vec<f64>)> {
    let dir = myoreflex::reference::dir();
    let mut metas: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reflex_") && n.ends_with("_meta.json"))
        })
        .collect();
    metas.sort();
    for m in metas {
        let meta = Meta::read(&m).ok()?;
        if (meta.setup.mode == DelayMode::Delayed) != delayed {
            continue;
        }
        let table = CsvTable::read_parts(&meta.files, true).ok()?;
        let cols = InputColumns::find(&table).ok()?;
        let samples = table.rows.iter().map(|r| cols.sensors::<f64>(r)).collect();
        return Some((samples, meta.setup.params.clone()));
    }
    None
}

fn bench_mode<R: Real>(c: &mut Criterion, name: &str, delayed: bool) {
    let Some((samples, x)) = case(delayed) else {
        eprintln!(
            "{name}: no reference case found in {}",
            myoreflex::reference::dir().display()
        );
        return;
    };
    let samples: Vec<Sensors<R>> = samples.iter().map(|s| s.cast()).collect();
    let p51: [R; 51] = core::array::from_fn(|i| R::c(x[i]));
    let params = ReflexParams::from_normalized(&p51);
    let mode = DelayMode::from_flag(delayed);
    let mut ctrl = Reflex::<R>::new(mode);
    let init = ResetState {
        pose: Default::default(),
        sample: samples[0],
        act: [[R::c(0.01); 11]; 2],
    };
    ctrl.reset(&init, &params);
    let mut k = 0usize;
    c.bench_function(name, |b| {
        b.iter(|| {
            let out = ctrl.step(black_box(&samples[k]));
            k += 1;
            if k == samples.len() {
                k = 0;
            }
            black_box(out)
        })
    });
}

fn benches(c: &mut Criterion) {
    bench_mode::<f64>(c, "reflex_step/f64/non_delayed", false);
    bench_mode::<f64>(c, "reflex_step/f64/delayed", true);
    bench_mode::<f32>(c, "reflex_step/f32/non_delayed", false);
    bench_mode::<f32>(c, "reflex_step/f32/delayed", true);
}

criterion_group!(reflex, benches);
criterion_main!(reflex);
