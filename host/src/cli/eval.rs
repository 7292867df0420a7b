//! `myoreflex eval`: one episode of a parameter file (x0 when none is given) with the cost
//! dictionary, gait statistics, a trajectory CSV and plots.

use crate::config::ConfigArgs;
use crate::cost::{bands as gait_bands, report};
use crate::eval::{self, engines, output, stats, EpisodeSettings};
use anyhow::{bail, Context};
use controller::params::Layout;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Evaluate one parameter vector in one episode.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example: myoreflex eval --config tutorial --params results/tutorial_0811_1439/..._Best.txt --engine mujoco --myoassist_parity --json"
)]
pub struct Args {
    #[command(flatten)]
    pub cfg: ConfigArgs,
    /// Parameter file (one value per line, MyoAssist's `_Best.txt` format) or a results folder
    /// (its `*_BestLast.txt`, else `*_Best.txt`). Default: the config's x0.
    #[arg(long, value_name = "FILE|DIR")]
    pub params: Option<PathBuf>,
    /// Print one JSON object (cost dictionary, cost, gait statistics) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Folder for the trajectory CSV, the `_Cost.txt` file and the plots
    /// (default `results/eval_<params file stem>`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The parameter file a `--params` argument names (a folder: its `_BestLast.txt`/`_Best.txt`).
pub fn params_file(p: &Path) -> anyhow::Result<PathBuf> {
    if !p.is_dir() {
        return Ok(p.to_path_buf());
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(p)
        .with_context(|| format!("cannot list {}", p.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for suffix in ["_BestLast.txt", "_Best.txt"] {
        if let Some(f) = names.iter().find(|n| n.to_string_lossy().ends_with(suffix)) {
            return Ok(f.clone());
        }
    }
    bail!(
        "{} holds no *_BestLast.txt or *_Best.txt parameter file",
        p.display()
    )
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let cfg = a.cfg.load()?;
    let layout = Layout::from_flags(cfg.exo_on, cfg.use_4param_spline, cfg.n_points)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (params, stem) = match &a.params {
        Some(p) => {
            let f = params_file(p)?;
            let x = crate::io::read_params(&f)?;
            if x.len() != layout.len() {
                bail!(
                    "{}: {} parameters, but config `{}` needs {} (77 human + {} exo); check --ExoOn/--use_4param_spline/--n_points",
                    f.display(),
                    x.len(),
                    cfg.name,
                    layout.len(),
                    layout.exo_len()
                );
            }
            let stem = f
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("params")
                .to_string();
            (x, stem)
        }
        None => (layout.x0_iter().collect::<Vec<f64>>(), "x0".to_string()),
    };
    let settings = EpisodeSettings::from_config(&cfg)?;
    let mut engine = engines::make(&cfg)?;
    let cpu0 = cpu_seconds();
    let ev = eval::evaluate(engine.as_mut(), &cfg, &params, true)?;
    let cpu_s = cpu_seconds() - cpu0;
    let st = stats::gait_stats(&ev.episode, settings.dt());
    let out_dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(format!("eval_{stem}")));
    let files = output::write_all(&out_dir, &stem, &ev, &settings)?;

    let mut obj = report::dict_json(&ev.cost);
    let num = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    obj.insert("cost".into(), num(ev.cost.total));
    obj.insert("cost_type".into(), json!(cfg.cost.long_name()));
    obj.insert("tier".into(), json!(format!("{:?}", ev.cost.tier)));
    obj.insert("walked_s".into(), num(st.walked_s));
    obj.insert("distance_m".into(), num(st.distance_m));
    obj.insert("speed_mps".into(), num(st.speed_mps));
    obj.insert("stride_time_s".into(), num(st.stride_time_s));
    obj.insert("stride_length_m".into(), num(st.stride_length_m));
    obj.insert("stance_fraction".into(), num(st.stance_fraction));
    obj.insert(
        "peak_vgrf_bw".into(),
        json!([num(st.peak_vgrf_bw[0]), num(st.peak_vgrf_bw[1])]),
    );
    obj.insert(
        "symmetry".into(),
        stats::symmetry(&ev.cost).map_or(Value::Null, num),
    );
    // the human-likeness bands of a shipped gait, over the cost window
    let bands = ev.cost.components.as_ref().map(|c| {
        let (kin, eff) = (c.kinematic + c.trunk, c.effort);
        (c.bands.clone(), gait_bands::misses(&c.bands, kin, eff))
    });
    obj.insert(
        "bands".into(),
        bands.as_ref().map_or(Value::Null, |(m, miss)| {
            let mut b = serde_json::to_value(m).unwrap_or(Value::Null);
            if let Value::Object(o) = &mut b {
                o.insert("missed".into(), json!(miss));
            }
            b
        }),
    );
    obj.insert("n_params".into(), json!(params.len()));
    obj.insert("cpu_s".into(), num(cpu_s));
    obj.insert("engine".into(), json!(engine.name()));
    obj.insert(
        "invalid".into(),
        ev.episode
            .invalid
            .clone()
            .map_or(Value::Null, Value::String),
    );
    obj.insert(
        "ended".into(),
        ev.episode.ended.clone().map_or(Value::Null, Value::String),
    );
    obj.insert("out_dir".into(), json!(out_dir.display().to_string()));
    let text = serde_json::to_string_pretty(&Value::Object(obj.clone()))?;
    let f = out_dir.join(format!("{stem}_eval.json"));
    crate::io::write_atomic(&f, format!("{text}\n").as_bytes())?;

    if a.json {
        println!("{}", serde_json::to_string(&Value::Object(obj))?);
        return Ok(());
    }
    println!(
        "{} on {} ({} parameters, {} engine)",
        cfg.name,
        stem,
        params.len(),
        engine.name()
    );
    if let Some(why) = &ev.episode.invalid {
        println!("invalid start: {why}");
    }
    if let Some(why) = &ev.episode.ended {
        println!("episode ended: {why}");
    }
    println!(
        "cost ({}): {} [{:?}]",
        cfg.cost.long_name(),
        report::py_repr(ev.cost.total),
        ev.cost.tier
    );
    print!("{}", report::best_cost_txt(&ev.cost));
    println!(
        "walked {:.2} s, {:.3} m at {:.3} m/s; stride {:.3} s / {:.3} m; stance fraction {:.3}; peak vGRF L {:.2} R {:.2} BW; CPU {:.2} s",
        st.walked_s, st.distance_m, st.speed_mps, st.stride_time_s, st.stride_length_m, st.stance_fraction, st.peak_vgrf_bw[0], st.peak_vgrf_bw[1], cpu_s
    );
    if let Some((m, miss)) = &bands {
        println!(
            "window: stride {:.3} s / {:.3} m, stance {:.3}, trunk pitch {:.4} rad, mean-stride vGRF peak L {:.2} R {:.2} BW ({} / {} humps); bands missed: {}",
            m.stride_time_s, m.stride_length_m, m.stance_fraction, m.trunk_pitch_rad, m.vgrf_peak_bw[0], m.vgrf_peak_bw[1], m.vgrf_humps[0], m.vgrf_humps[1],
            if miss.is_empty() { "none".to_string() } else { miss.join(", ") }
        );
    }
    for f in files {
        println!("wrote {}", f.display());
    }
    Ok(())
}

/// CPU time of this process so far, s (user + system, from /proc; 0 where unavailable).
fn cpu_seconds() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // fields after the `(comm)`: state is field 3; utime 14, stime 15 (1-based)
    let Some(rest) = s.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
