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

/// First row of the trajectory CSV in `dir` with a nonzero exo torque, and the largest torque.
fn exo_torques(dir: &std::path::Path) -> (Option<usize>, f64) {
    let f = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("_trajectory.csv"))
        .expect("trajectory CSV");
    let text = std::fs::read_to_string(f).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cols: Vec<usize> = (0..head.len())
        .filter(|&i| head[i].starts_with("exo_torque_"))
        .collect();
    assert_eq!(cols.len(), 2, "{head:?}");
    let (mut first, mut peak) = (None, 0.0f64);
    for (row, l) in lines.enumerate() {
        let v: Vec<&str> = l.split(',').collect();
        for &c in &cols {
            let t: f64 = v[c].parse().unwrap();
            if t != 0.0 && first.is_none() {
                first = Some(row);
            }
            peak = peak.max(t.abs());
        }
    }
    (first, peak)
}

#[test]
fn exo_device_puts_the_firmware_safety_layer_in_the_loop() {
    let dir = myoreflex::reference::dir().join("params/preoptimized/exo_4param_1_25ms");
    let file = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("_Best.txt"))
        .expect("a MyoAssist exo file");
    let f = file.to_str().unwrap();
    let (plain, dev) = (tmp("exo_plain"), tmp("exo_device"));
    for (out, extra) in [(&plain, vec![]), (&dev, vec!["--exo_device", "qemu"])] {
        let mut a = vec![
            "eval",
            "--config",
            "tutorial",
            "--params",
            f,
            "--sim_time",
            "3",
        ];
        a.extend(extra);
        a.extend(["--out", out.to_str().unwrap()]);
        let o = run(&a);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (p_first, _) = exo_torques(&plain);
    let (d_first, d_peak) = exo_torques(&dev);
    let (p_first, d_first) = (
        p_first.expect("plain exo assists"),
        d_first.expect("device assists"),
    );
    // the device withholds torque until its estimator has 3 stances: later than the plain exo
    // controller, which assists from its first stance
    assert!(
        d_first > p_first + 50,
        "device from row {d_first}, plain from {p_first}"
    );
    assert!(d_peak > 0.0, "{d_peak}");
    // bad --exo_device values, each refused with the key and the reason: an unknown board; a
    // board whose limit is below the config's max_torque (tutorial: 100 N m), which would
    // reject every profile; a run without an exo, which has nothing to send through it
    for (config, board, why) in [
        ("tutorial", "stm33", "qemu, stm32 or CLASS:LIMIT"),
        (
            "tutorial",
            "tutorial:20",
            "max_torque 100 exceeds the device's limit 20 N m",
        ),
        ("baseline", "qemu", "no exo (ExoOn 0)"),
    ] {
        fails_clearly(
            &[
                "eval",
                "--config",
                config,
                "--params",
                f,
                "--exo_device",
                board,
            ],
            &["exo_device", why],
        );
    }
    fails_clearly(
        &[
            "eval",
            "--config",
            "baseline",
            "--kinematics",
            "false",
            "--cost_weights",
            "bands:1",
        ],
        &["cost_weights", "gated walking tier", "velocity"],
    );
    for d in [plain, dev] {
        std::fs::remove_dir_all(d).ok();
    }
}
