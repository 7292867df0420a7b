//! `myoreflex eval` and the config layer through the binary: JSON output, config overrides,
//! MyoAssist launcher files, and clear errors (non-zero exit, no panic) on bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("myoreflex-cli-eval-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myoreflex"))
        .args(args)
        .output()
        .unwrap()
}

fn fails_clearly(args: &[&str], needles: &[&str]) {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{args:?} succeeded");
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: `{n}` not in: {err}");
    }
}

#[test]
fn eval_json_has_the_dictionary_and_gait_statistics() {
    let out = tmp("json");
    let o = run(&[
        "eval",
        "--config",
        "debug",
        "--model",
        "tutorial",
        "--sim_time",
        "1",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for k in [
        "Effort_Cost",
        "Symmetry_Cost",
        "Velocity_Cost",
        "GRF_Cost",
        "Kinematic_Cost",
        "cost",
        "walked_s",
        "distance_m",
        "speed_mps",
        "stride_time_s",
        "stride_length_m",
        "stance_fraction",
        "cpu_s",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["n_params"], 81);
    assert_eq!(v["peak_vgrf_bw"].as_array().unwrap().len(), 2);
    let cost = v["cost"].as_f64().unwrap();
    assert!(cost > 9.0e4, "1 s cannot pass the stride window: {cost}");
    assert!(
        std::fs::read_dir(&out).unwrap().count() >= 4,
        "trajectory, cost file, json, plots"
    );
}

#[test]
fn flags_override_the_config_and_launchers_load() {
    let out = tmp("override");
    let o = run(&[
        "eval",
        "--config",
        "debug",
        "--ExoOn",
        "0",
        "--model",
        "baseline",
        "--sim_time",
        "0.5",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["n_params"], 77);
    let bat = out.join("mine.bat");
    std::fs::write(&bat, "@echo off\r\npython -m myoassist_reflex.train ^\r\n    --model baseline ^\r\n    --sim_time 1 ^\r\n    -eff ^\r\n    --save_path results/mine\r\n").unwrap();
    let o = run(&[
        "eval",
        "--config",
        bat.to_str().unwrap(),
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cost_type"], "Effort");
}

#[test]
fn bad_input_is_a_clear_error() {
    let d = tmp("bad");
    fails_clearly(
        &["eval", "--config", "no_such_config"],
        &["unknown config `no_such_config`", "baseline"],
    );
    let f = d.join("bad_key.json");
    std::fs::write(&f, "{\"model\": \"baseline\", \"wingspan\": 3}").unwrap();
    fails_clearly(
        &["eval", "--config", f.to_str().unwrap()],
        &["`wingspan`", "bad_key.json"],
    );
    let f = d.join("bad_type.json");
    std::fs::write(&f, "{\"popsize\": \"many\"}").unwrap();
    fails_clearly(
        &["eval", "--config", f.to_str().unwrap()],
        &["`popsize`", "bad_type.json", "integer"],
    );
    fails_clearly(
        &["eval", "--config", "debug", "--popsize", "-3"],
        &["--popsize", "out of range"],
    );
    fails_clearly(
        &["eval", "--config", "debug", "-kine", "-eff"],
        &["mutually exclusive"],
    );
    let p = d.join("short.txt");
    std::fs::write(&p, "1\n2\n3\n").unwrap();
    fails_clearly(
        &["eval", "--config", "debug", "--params", p.to_str().unwrap()],
        &["short.txt", "3 parameters", "81"],
    );
    let p = d.join("nan.txt");
    std::fs::write(&p, "1\nnan\n").unwrap();
    fails_clearly(
        &["eval", "--config", "debug", "--params", p.to_str().unwrap()],
        &["nan.txt", "line 2"],
    );
    fails_clearly(
        &["eval", "--config", "debug", "--params", d.to_str().unwrap()],
        &["no *_BestLast.txt"],
    );
}
