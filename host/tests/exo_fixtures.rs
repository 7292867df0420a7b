//! Every PCHIP and exo-controller case recorded from the original (`pchip_cases*.json`,
//! `exo_controller_cases*.json` in the reference folder) reproduced in f64.

use controller::exo::{
    fourparam, npoint, ExoController, ExoKind, GaitState, Knots, Pchip, Profile, ProfileError,
};
use serde_json::Value;
use std::path::PathBuf;

use std::sync::atomic::{AtomicUsize, Ordering};

static COMPARED: AtomicUsize = AtomicUsize::new(0);
static BIT_EXACT: AtomicUsize = AtomicUsize::new(0);

/// Relative tolerance of the README (1e-12 relative, 1e-13 absolute); counts bit-exact hits.
fn close(a: f64, b: f64) -> bool {
    COMPARED.fetch_add(1, Ordering::Relaxed);
    if a.to_bits() == b.to_bits() || (a == 0.0 && b == 0.0) {
        BIT_EXACT.fetch_add(1, Ordering::Relaxed);
    }
    a == b || (a - b).abs() <= 1e-13 + 1e-12 * b.abs()
}

fn report(what: &str, count: usize) {
    let (n, e) = (
        COMPARED.load(Ordering::Relaxed),
        BIT_EXACT.load(Ordering::Relaxed),
    );
    eprintln!("{count} {what} reproduced; so far {e} of {n} compared numbers bit-exact");
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().expect("number"),
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        Value::String(s) if s == "nan" => f64::NAN,
        other => panic!("not a number: {other}"),
    }
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(num).collect()
}

/// Every file in the reference folder whose name contains `stem` and ends in `.json`.
fn fixture_files(stem: &str) -> Vec<PathBuf> {
    let dir = myoreflex::reference::dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reference folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.contains(stem) && name.ends_with(".json")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no {stem}*.json in {}", dir.display());
    files
}

fn load(path: &PathBuf) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn kind_of(case: &Value, n_params: usize) -> ExoKind {
    match case
        .get("kind")
        .or_else(|| case.get("controller"))
        .and_then(Value::as_str)
    {
        Some("fourparam") => ExoKind::FourParam,
        Some("npoint") => ExoKind::NPoint(
            case.get("n_points")
                .and_then(Value::as_u64)
                .map_or(n_params / 2, |n| n as usize),
        ),
        other => panic!("unknown kind {other:?}"),
    }
}

fn validity_message(r: Result<(), ProfileError>) -> (bool, &'static str) {
    match r {
        Ok(()) => (true, "Valid spline parameters"),
        Err(e) => (false, e.message()),
    }
}

fn assert_all_close(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(close(g, w), "{what}[{i}]: got {g:e}, want {w:e}");
    }
}

#[test]
fn pchip_cases_match_scipy() {
    let mut count = 0;
    for file in fixture_files("pchip_cases") {
        let doc = load(&file);
        for case in doc["cases"].as_array().expect("cases") {
            let name = format!("{}:{}", file.display(), case["name"]);
            let generic = case["kind"] == "generic";
            let params = if generic {
                vec![]
            } else {
                nums(&case["params"])
            };
            let built: Result<Knots<f64>, ProfileError> = if generic {
                let (x, y) = (nums(&case["knots_x"]), nums(&case["knots_y"]));
                let k = Knots::from_slices(&x, &y).expect("capacity");
                k.check().map(|_| k).map_err(ProfileError::Spline)
            } else {
                let kind = kind_of(case, params.len());
                if let Some(v) = case.get("validity").and_then(Value::as_array) {
                    let got = validity_message(kind.check(&params));
                    assert_eq!(
                        (v[0].as_bool().unwrap(), v[1].as_str().unwrap()),
                        got,
                        "{name}: validity"
                    );
                }
                kind.knots(&params, num(&case["max_torque"]))
            };
            if case.get("error").is_some_and(|e| !e.is_null()) {
                assert!(
                    built.is_err(),
                    "{name}: expected a construction error, got {built:?}"
                );
                count += 1;
                continue;
            }
            let knots = built.unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(
                knots.x(),
                nums(&case["knots_x"]).as_slice(),
                "{name}: knots_x"
            );
            assert_eq!(
                knots.y(),
                nums(&case["knots_y"]).as_slice(),
                "{name}: knots_y"
            );
            let p = Pchip::new(&knots).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let ev = |xs: &[f64]| xs.iter().map(|&x| p.eval(x)).collect::<Vec<_>>();
            let xe = nums(&case["x_eval"]);
            assert_all_close(&format!("{name} y_eval"), &ev(&xe), &nums(&case["y_eval"]));
            assert_all_close(
                &format!("{name} y_at_knots"),
                &ev(knots.x()),
                &nums(&case["y_at_knots"]),
            );
            let d: Vec<f64> = knots.x().iter().map(|&x| p.eval_derivative(x)).collect();
            assert_all_close(
                &format!("{name} slopes"),
                &d,
                &nums(&case["slopes_at_knots"]),
            );
            // The fixture's slopes are the PPoly derivative (bit-exact above); the raw PCHIP
            // slopes differ from it by rounding at the last knot only.
            assert_all_close(
                &format!("{name} pchip slopes"),
                p.slopes(),
                &nums(&case["slopes_at_knots"]),
            );
            let ex = &case["extrapolation"];
            assert_all_close(
                &format!("{name} extrapolation"),
                &ev(&nums(&ex["x"])),
                &nums(&ex["y"]),
            );
            count += 1;
        }
    }
    assert!(count > 0);
    report("PCHIP cases", count);
}

#[test]
fn exo_controller_cases_match_original() {
    let mut count = 0;
    for file in fixture_files("exo_controller_cases") {
        let doc = load(&file);
        for case in doc["cases"].as_array().expect("cases") {
            let name = format!("{}:{}", file.display(), case["name"]);
            let params = nums(&case["params"]);
            let kind = kind_of(case, params.len());
            if let ExoKind::NPoint(n) = kind {
                assert_eq!(
                    case["n_points"].as_u64(),
                    Some(n as u64),
                    "{name}: n_points"
                );
            }
            let (max_torque, dt) = (num(&case["max_torque"]), num(&case["dt"]));
            let fixed = case["fixed_exo"].as_bool().unwrap_or(false);
            let v = case["validity"].as_array().expect("validity");
            let got = validity_message(kind.check(&params));
            assert_eq!(
                (v[0].as_bool().unwrap(), v[1].as_str().unwrap()),
                got,
                "{name}: validity"
            );
            // The original's controller builds its spline whether or not the check passes.
            let profile = Profile::build(kind, &params, max_torque, fixed)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            if got.0 {
                assert_eq!(
                    Profile::new(kind, &params, max_torque, fixed),
                    Ok(profile),
                    "{name}"
                );
            }
            let mut exo = ExoController::from_profile(profile);
            let knots = exo.profile().spline().knots();
            assert_eq!(
                knots.x(),
                nums(&case["spline_knots_x"]).as_slice(),
                "{name}: knots_x"
            );
            assert_eq!(
                knots.y(),
                nums(&case["spline_knots_y"]).as_slice(),
                "{name}: knots_y"
            );
            let s = &case["steps"];
            let load = nums(&s["load"]);
            let (st, avg, pct, tq) = (
                nums(&s["stance_time"]),
                nums(&s["avg_stance"]),
                nums(&s["stance_pct"]),
                nums(&s["torque"]),
            );
            let states = s["state"].as_array().expect("state");
            let stored = s["n_stored"].as_array().expect("n_stored");
            for (i, &l) in load.iter().enumerate() {
                let torque = exo.step(l, dt);
                let e = exo.stance();
                let state = match e.state() {
                    GaitState::Stance => "STANCE",
                    GaitState::Swing => "SWING",
                };
                let at = format!("{name} step {i}");
                assert_eq!(states[i].as_str(), Some(state), "{at}: state");
                assert_eq!(
                    stored[i].as_u64(),
                    Some(e.n_stored() as u64),
                    "{at}: n_stored"
                );
                assert!(
                    close(e.stance_time(), st[i]),
                    "{at}: stance_time {} vs {}",
                    e.stance_time(),
                    st[i]
                );
                assert!(
                    close(e.avg_stance(), avg[i]),
                    "{at}: avg_stance {} vs {}",
                    e.avg_stance(),
                    avg[i]
                );
                assert!(
                    close(exo.stance_pct(), pct[i]),
                    "{at}: pct {} vs {}",
                    exo.stance_pct(),
                    pct[i]
                );
                assert!(close(torque, tq[i]), "{at}: torque {torque} vs {}", tq[i]);
            }
            count += 1;
        }
        for (j, check) in doc["validity_checks"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let name = format!("{}:validity_checks[{j}]", file.display());
            let params = nums(&check["params"]);
            let kind = kind_of(check, params.len());
            let got = validity_message(kind.check(&params));
            let want = (
                check["valid"].as_bool().unwrap(),
                check["message"].as_str().unwrap(),
            );
            assert_eq!(want, got, "{name}: {params:?}");
            let raises = !check["construction_error"].is_null();
            let built = kind.knots(&params, 10.0);
            assert_eq!(raises, built.is_err(), "{name}: construction {built:?}");
            count += 1;
        }
    }
    assert!(count > 0);
    report("exo controller cases", count);
}

#[test]
fn npoint_defaults_are_geometric() {
    let mut out = [0.0; 12];
    ExoKind::NPoint(6).defaults(&mut out).unwrap();
    assert_eq!(
        out,
        [0.0625, 0.125, 0.25, 0.5, 0.25, 0.125, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    );
    let mut out = [0.0; 4];
    ExoKind::FourParam.defaults(&mut out).unwrap();
    assert_eq!(out.to_vec(), fourparam::DEFAULTS.to_vec());
    assert_eq!(npoint::default_torque(0, 4), 0.125);
}
