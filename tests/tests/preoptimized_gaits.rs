//! Issue 5: every gait shipped under `results/preoptimized/<name>/` still walks as claimed.
//!
//! Each folder holds one parameter file (`*_BestLast.txt`, else `*_Best.txt`), the saved config
//! of the run (`*.json`, not `bands.json`) and `bands.json`:
//!
//! - `"human_like": true` — the gait meets every human-likeness band of
//!   `myoreflex::cost::bands` (stride time and length, stance fraction, trunk pitch, mean-stride
//!   vertical GRF below 1.5 BW with two humps, kinematic cost, effort). Every `*_1_25` folder
//!   (the 1.25 m/s gaits) must claim it.
//! - `"effort_below": "<folder>"` — an exo gait's effort is lower than that folder's gait (the
//!   baseline at the same speed); the reduction is printed.
//!
//! Every folder must walk the whole episode and pass the original's gate (window speed within
//! 0.01 m/s of `tgt_vel`, symmetry below `tgt_sym_th`, which its config may not raise above
//! 0.1): the cost's tier is `Passed`. The test runs one native episode per folder
//! (globbed, no hard-coded list) with the folder's own config. A simulator change that breaks
//! walking fails here; `-- --nocapture` prints every gait's numbers.

use myoreflex::cost::{bands, Tier};
use myoreflex::eval::{self, engines, stats};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The symmetry threshold of the gate (the original's default `tgt_sym_th`).
const SYMMETRY: f64 = 0.1;

/// What a folder's `bands.json` claims (unknown keys are an error, not a missing claim).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Claims {
    #[serde(default)]
    human_like: bool,
    #[serde(default)]
    effort_below: Option<String>,
}

fn folders() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/preoptimized");
    let Ok(rd) = std::fs::read_dir(&root) else {
        return vec![];
    };
    let mut v: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn find(dir: &Path, pred: impl Fn(&str) -> bool) -> Option<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v.into_iter()
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&pred))
}

/// What one folder's gait measured.
struct Measured {
    effort: f64,
    failures: Vec<String>,
    /// The baseline folder whose effort this gait claims to beat (`effort_below`).
    effort_below: Option<String>,
}

fn check_folder(dir: &Path) -> Measured {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let params_file = find(dir, |n| n.ends_with("_BestLast.txt"))
        .or_else(|| find(dir, |n| n.ends_with("_Best.txt")))
        .unwrap_or_else(|| panic!("{name}: no *_BestLast.txt or *_Best.txt"));
    let config_file = find(dir, |n| {
        n.ends_with(".json") && n != "bands.json" && !n.ends_with("_eval.json")
    })
    .unwrap_or_else(|| panic!("{name}: no saved config *.json"));
    let claims_file = dir.join("bands.json");
    let text = std::fs::read_to_string(&claims_file)
        .unwrap_or_else(|e| panic!("{}: {e}", claims_file.display()));
    let Claims {
        human_like,
        effort_below,
    } = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (want an object with optional \"human_like\": bool and \"effort_below\": \"<folder>\")",
            claims_file.display()
        )
    });
    if name.ends_with("_1_25") {
        assert!(
            human_like,
            "{name}: a 1.25 m/s gait must claim \"human_like\": true in bands.json"
        );
    }

    let cfg = myoreflex::config::load(Some(&config_file.to_string_lossy()), &[])
        .unwrap_or_else(|e| panic!("{}: {e}", config_file.display()));
    let params = myoreflex::io::read_params(&params_file)
        .unwrap_or_else(|e| panic!("{}: {e}", params_file.display()));
    let settings =
        eval::EpisodeSettings::from_config(&cfg).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut engine = engines::make(&cfg).unwrap_or_else(|e| panic!("{name}: {e}"));
    let ev = eval::evaluate(engine.as_mut(), &cfg, &params, false)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let st = stats::gait_stats(&ev.episode, settings.dt());

    let mut failures = Vec::new();
    if st.walked_s < cfg.sim_time - 0.011 || ev.episode.ended.is_some() {
        failures.push(format!(
            "{name}: walked {} s of {} ({:?})",
            st.walked_s, cfg.sim_time, ev.episode.ended
        ));
    }
    let Some(c) = ev.cost.components.as_ref() else {
        failures.push(format!("{name}: no cost window ({:?})", ev.cost.tier));
        return Measured {
            effort: f64::NAN,
            failures,
            effort_below,
        };
    };
    let v = c.actual_velocity()[0];
    if cfg.tgt_sym_th > SYMMETRY {
        failures.push(format!(
            "{name}: its config loosens the gate (tgt_sym_th {} > {SYMMETRY})",
            cfg.tgt_sym_th
        ));
    }
    if ev.cost.tier != Tier::Passed {
        failures.push(format!(
            "{name}: the gate failed ({:?}): window speed {v} vs target {}, symmetry {}",
            ev.cost.tier, cfg.tgt_vel, c.symmetry
        ));
    }
    let (kin, eff) = (c.kinematic + c.trunk, c.effort);
    let missed = bands::misses(&c.bands, kin, eff);
    if human_like {
        failures.extend(missed.iter().map(|m| format!("{name}: {m}")));
    }
    let m = &c.bands;
    eprintln!(
        "{name}: walked {:.2} s, v {v:.4}, sym {:.4}, stride {:.3} s / {:.3} m, stance {:.3}, trunk {:.4} rad, mean-stride vGRF {:.2} / {:.2} BW ({} / {} humps), per-sample vGRF {:.2} / {:.2} BW, kinematic {kin:.2}, effort {eff:.3}; bands missed: {}",
        st.walked_s,
        c.symmetry,
        m.stride_time_s,
        m.stride_length_m,
        m.stance_fraction,
        m.trunk_pitch_rad,
        m.vgrf_peak_bw[0],
        m.vgrf_peak_bw[1],
        m.vgrf_humps[0],
        m.vgrf_humps[1],
        st.peak_vgrf_bw[0],
        st.peak_vgrf_bw[1],
        if missed.is_empty() { "none".into() } else { missed.join(", ") }
    );
    Measured {
        effort: eff,
        failures,
        effort_below,
    }
}

#[test]
fn shipped_gaits_meet_their_claimed_bands() {
    let dirs = folders();
    assert!(
        !dirs.is_empty(),
        "no results/preoptimized/<name>/ folders: the shipped gaits are missing"
    );
    let mut measured = BTreeMap::new();
    let mut failures = Vec::new();
    for dir in &dirs {
        let m = check_folder(dir);
        failures.extend(m.failures.iter().cloned());
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        measured.insert(name.to_string(), m);
    }
    // exo gaits: lower effort than the baseline gait they name
    for (name, m) in &measured {
        let Some(base) = &m.effort_below else {
            continue;
        };
        let e = m.effort;
        match measured.get(base).map(|b| b.effort) {
            Some(b) if e < b => eprintln!(
                "{name}: effort {e:.3} vs {base} {b:.3}: {:.1} % lower",
                100.0 * (b - e) / b
            ),
            Some(b) => failures.push(format!("{name}: effort {e} is not below {base}'s {b}")),
            None => failures.push(format!(
                "{name}: effort_below names `{base}`, no such folder"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "shipped gaits out of their claimed bands:\n{}",
        failures.join("\n")
    );
}
