//! `myoreflex export` and `--inspect` through the binary: every parameter file in the
//! reference folder, and malformed blobs rejected with the right reason code.

use controller::blob::{
    self, DeviceClass, ExoParamsV1, ProfileParams, Provenance, Reason, HEADER_LEN,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_myoreflex"))
}

fn tmp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("myoreflex-export-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("run myoreflex")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every `*_Best.txt` / `*_BestLast.txt` under the reference `params` folder.
fn param_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            param_files(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with("_Best.txt") || n.ends_with("_BestLast.txt"))
        {
            out.push(p);
        }
    }
}

/// MyoAssist launchers (`.bat`/`.sh`) in the folder of `p`.
fn launchers(p: &Path) -> Vec<String> {
    let Some(dir) = p.parent() else { return vec![] };
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|q| q.extension().is_some_and(|e| e == "bat" || e == "sh"))
        .filter_map(|q| q.to_str().map(String::from))
        .collect();
    v.sort();
    v
}

fn count_values(p: &Path) -> usize {
    std::fs::read_to_string(p)
        .expect("read")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
}

#[test]
fn exports_and_inspects_every_reference_parameter_file() {
    let mut files = Vec::new();
    param_files(&myoreflex::reference::dir().join("params"), &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no parameter files under the reference folder"
    );
    let dir = tmp_dir("all");
    let (mut with_exo, mut without) = (0, 0);
    for (i, f) in files.iter().enumerate() {
        let fs = f.to_str().expect("utf-8 path");
        let out = dir.join(format!("{i}.blob"));
        let outs = out.to_str().unwrap();
        let n = count_values(f);
        if n == controller::params::N_HUMAN {
            // No exo slice: a clear error, no blob.
            let o = run(&[
                "export", "--params", fs, "--device", "tutorial", "--out", outs,
            ]);
            assert!(
                !o.status.success(),
                "{fs}: exported a file without exo slice"
            );
            assert!(text(&o).contains("no exo profile"), "{fs}: {}", text(&o));
            for l in launchers(f) {
                // Its launcher says exo on: the count does not match, a clear error.
                let o = run(&["export", "--params", fs, "--config", &l, "--out", outs]);
                assert!(!o.status.success(), "{fs} with {l}: exported");
                assert!(text(&o).contains("has 77 values"), "{fs}: {}", text(&o));
            }
            assert!(!out.exists());
            without += 1;
            continue;
        }
        let mut variants = vec![
            vec![
                "--use_4param_spline".to_string(),
                "--max_torque".into(),
                "100".into(),
                "--device".into(),
                "tutorial".into(),
            ],
            vec!["--config".into(), "tutorial".into()],
            vec!["--device".into(), "dephy".into()],
        ];
        // The run's own launcher (.bat/.sh) beside the file, when there is one.
        for l in launchers(f) {
            variants.push(vec!["--config".into(), l]);
        }
        for args in variants {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut a = vec!["export", "--params", fs, "--out", outs];
            a.extend(args.iter().copied());
            let o = run(&a);
            assert!(o.status.success(), "{fs} {args:?}: {}", text(&o));
            let o = run(&["export", "--inspect", outs]);
            assert!(o.status.success(), "{fs}: inspect: {}", text(&o));
            assert!(text(&o).contains("status          OK"), "{}", text(&o));
            let bytes = std::fs::read(&out).unwrap();
            let limits = blob::Limits {
                device: None,
                max_torque: 100.0,
            };
            let b = blob::decode(&bytes, &limits).expect("the firmware decoder accepts it");
            assert_eq!(b.params.provenance.param_count as usize, n);
        }
        with_exo += 1;
    }
    eprintln!(
        "{with_exo} parameter files exported and inspected, {without} without exo slice rejected"
    );
    assert!(with_exo > 0);
    let _ = std::fs::remove_dir_all(dir);
}

fn fix_crcs(b: &mut [u8]) {
    let pc = blob::crc32(&b[HEADER_LEN..]);
    b[16..20].copy_from_slice(&pc.to_le_bytes());
    let hc = blob::crc32(&b[..20]);
    b[20..24].copy_from_slice(&hc.to_le_bytes());
}

fn encoded(p: [f32; 4], max_torque: f32) -> Vec<u8> {
    let params = ExoParamsV1 {
        max_torque,
        profile: ProfileParams::FourParam(p),
        provenance: Provenance::default(),
    };
    let mut buf = [0u8; blob::MAX_BLOB_LEN];
    let n = blob::encode(DeviceClass::Dephy, &params, &mut buf).unwrap();
    buf[..n].to_vec()
}

#[test]
fn inspect_rejects_malformed_blobs_with_their_reason() {
    let dir = tmp_dir("bad");
    let good = encoded([0.5, 0.467, 0.9, 0.075], 100.0);
    let mut corrupted = good.clone();
    corrupted[HEADER_LEN + 2] ^= 0x10;
    let truncated = good[..good.len() - 3].to_vec();
    let mut wrong_version = good.clone();
    wrong_version[4] = 9;
    fix_crcs(&mut wrong_version);
    let mut wrong_payload_version = good.clone();
    wrong_payload_version[HEADER_LEN] = 3;
    fix_crcs(&mut wrong_payload_version);
    let cases: Vec<(&str, Vec<u8>, Reason)> = vec![
        ("corrupted", corrupted, Reason::PayloadCrc),
        ("truncated", truncated, Reason::Truncated),
        ("empty", vec![], Reason::TooShort),
        (
            "not_a_blob",
            b"this is not a blob, just some text".to_vec(),
            Reason::BadMagic,
        ),
        (
            "wrong_version",
            wrong_version,
            Reason::UnsupportedHeaderVersion,
        ),
        (
            "wrong_payload_version",
            wrong_payload_version,
            Reason::UnsupportedPayloadVersion,
        ),
        (
            "torque_out_of_bounds",
            encoded([1.5, 0.467, 0.9, 0.075], 10.0),
            Reason::TorqueOutOfBounds,
        ),
        (
            "over_device_limit",
            encoded([0.9, 0.467, 0.9, 0.075], 1000.0),
            Reason::DryRunOverLimit,
        ),
        (
            "rise_zero",
            encoded([0.5, 0.0, 0.9, 0.075], 10.0),
            Reason::RiseOutOfRange,
        ),
        (
            "nan",
            encoded([f32::NAN, 0.467, 0.9, 0.075], 10.0),
            Reason::NonFinite,
        ),
    ];
    let o = run(&[
        "export",
        "--inspect",
        dir.join("missing.blob").to_str().unwrap(),
    ]);
    assert!(
        !o.status.success() && text(&o).contains("missing.blob"),
        "{}",
        text(&o)
    );
    for (name, bytes, reason) in cases {
        let path = dir.join(format!("{name}.blob"));
        std::fs::write(&path, &bytes).unwrap();
        let o = run(&["export", "--inspect", path.to_str().unwrap()]);
        assert!(!o.status.success(), "{name}: accepted");
        let t = text(&o);
        let want = format!("{} (code {})", reason.name(), reason.code());
        assert!(t.contains(&want), "{name}: expected {want} in:\n{t}");
        assert!(!t.contains("panicked"), "{name}: {t}");
    }
    // The device check: a dephy blob inspected for an H-MEDI build.
    let path = dir.join("good.blob");
    std::fs::write(&path, &good).unwrap();
    let o = run(&[
        "export",
        "--inspect",
        path.to_str().unwrap(),
        "--device",
        "hmedi",
    ]);
    assert!(
        !o.status.success() && text(&o).contains("wrong_device"),
        "{}",
        text(&o)
    );
    let o = run(&["export", "--inspect", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_parameter_files_give_clear_errors() {
    let dir = tmp_dir("params");
    let out = dir.join("x.blob");
    let outs = out.to_str().unwrap();
    let write = |name: &str, lines: &[String]| {
        let p = dir.join(name);
        std::fs::write(&p, lines.join("\n")).unwrap();
        p
    };
    let mut v: Vec<String> = (0..81).map(|_| "1.0".to_string()).collect();
    v[80] = "nan".into();
    let p = write("nan_Best.txt", &v);
    let o = run(&[
        "export",
        "--params",
        p.to_str().unwrap(),
        "--device",
        "dephy",
        "--out",
        outs,
    ]);
    assert!(
        !o.status.success() && text(&o).contains("nan_Best.txt: line 81"),
        "{}",
        text(&o)
    );
    // Invalid profile for the original (all ones: peak time 100 %, fall 100 %).
    let p = write(
        "ones_Best.txt",
        &(0..81).map(|_| "1".to_string()).collect::<Vec<_>>(),
    );
    let o = run(&[
        "export",
        "--params",
        p.to_str().unwrap(),
        "--device",
        "dephy",
        "--out",
        outs,
    ]);
    assert!(
        !o.status.success() && text(&o).contains("invalid for the original controller"),
        "{}",
        text(&o)
    );
    // Wrong count for the flags given.
    let o = run(&[
        "export",
        "--params",
        p.to_str().unwrap(),
        "--n_points",
        "4",
        "--device",
        "dephy",
        "--out",
        outs,
    ]);
    assert!(
        !o.status.success() && text(&o).contains("has 81 values but the 4-point exo needs 85"),
        "{}",
        text(&o)
    );
    // No device.
    let o = run(&["export", "--params", p.to_str().unwrap(), "--out", outs]);
    assert!(
        !o.status.success() && text(&o).contains("--device"),
        "{}",
        text(&o)
    );
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(dir);
}
