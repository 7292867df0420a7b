//! `myoreflex bench` through the binary: the figures it prints (not their size: speed goals
//! live in the benchmark, not in tests) and clear errors on bad input.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myoreflex"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn json_is_one_object_with_both_figures() {
    let o = run(&["bench", "--steps", "1000", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 2, "{out}");
    let sps = obj["physics_steps_per_s"].as_f64().unwrap();
    let ms = obj["cpu_ms_per_20s"].as_f64().unwrap();
    assert!(sps > 0.0 && ms > 0.0);
    // the two figures describe one measurement: 20,000 steps at sps steps/s
    assert!((ms - 20_000.0 / sps * 1000.0).abs() <= 1e-9 * ms, "{out}");
}

#[test]
fn the_text_line_names_the_model_file_it_timed() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/tutorial.json");
    let o = run(&["bench", "--steps", "1000", "--model_path", path]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(path) && out.contains("physics steps/s"),
        "{out}"
    );
}

#[test]
fn bad_input_fails_with_a_message_and_no_panic() {
    let bad_model =
        std::env::temp_dir().join(format!("myoreflex-bench-{}.json", std::process::id()));
    std::fs::write(&bad_model, "[1, 2]").unwrap();
    let cases: [(&[&str], &str); 3] = [
        (&["bench", "--model", "nosuch"], "unknown model 'nosuch'"),
        (&["bench", "--steps", "10"], "--steps"),
        (
            &["bench", "--model_path", bad_model.to_str().unwrap()],
            "not a valid model file",
        ),
    ];
    for (args, needle) in cases {
        let o = run(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
        assert!(err.contains(needle), "{args:?}: `{needle}` not in: {err}");
    }
    let _ = std::fs::remove_file(bad_model);
}
