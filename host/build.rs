//! Build script: only does something with the optional `mujoco` feature. It finds the MuJoCo
//! 3.3.3 shared library unpacked from the PyPI wheel by `scripts/get-mujoco` (env `MUJOCO_DIR`,
//! default `<workspace>/.mujoco/mujoco-3.3.3`), checks its version, links it and bakes an rpath
//! so binaries and tests run without `LD_LIBRARY_PATH`. A missing library is a build error that
//! says which command to run; there is no silent fallback.

use std::path::{Path, PathBuf};

const VERSION: &str = "3.3.3";
const HEADER_VERSION: &str = "333";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=MUJOCO_DIR");
    if std::env::var_os("CARGO_FEATURE_MUJOCO").is_none() {
        return;
    }
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = match std::env::var_os("MUJOCO_DIR") {
        Some(d) => PathBuf::from(d),
        None => manifest
            .join("..")
            .join(".mujoco")
            .join(format!("mujoco-{VERSION}")),
    };
    if let Err(msg) = check(&dir) {
        eprintln!();
        eprintln!("error: the `mujoco` feature needs MuJoCo {VERSION}: {msg}");
        eprintln!(
            "       run `scripts/get-mujoco` (downloads the PyPI wheel `mujoco=={VERSION}` into"
        );
        eprintln!("       .mujoco/mujoco-{VERSION}), or set MUJOCO_DIR to a folder with");
        eprintln!("       lib/libmujoco.so.{VERSION} and include/mujoco/mujoco.h");
        eprintln!();
        panic!(
            "MuJoCo {VERSION} not found in {} (run scripts/get-mujoco)",
            dir.display()
        );
    }
    let lib = dir.join("lib");
    let lib = lib.canonicalize().unwrap_or(lib);
    println!(
        "cargo:rerun-if-changed={}",
        lib.join(format!("libmujoco.so.{VERSION}")).display()
    );
    println!("cargo:rustc-link-search=native={}", lib.display());
    println!("cargo:rustc-link-lib=dylib=mujoco");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    println!("cargo:rustc-env=MYOREFLEX_MUJOCO_LIB_DIR={}", lib.display());
}

/// Checks that `dir` holds the library (with the unversioned link name) and 3.3.3 headers.
fn check(dir: &Path) -> Result<(), String> {
    let so = dir.join("lib").join(format!("libmujoco.so.{VERSION}"));
    if !so.is_file() {
        return Err(format!("{} is missing", so.display()));
    }
    let link = dir.join("lib").join("libmujoco.so");
    if !link.exists() {
        return Err(format!(
            "{} is missing (a symlink to libmujoco.so.{VERSION})",
            link.display()
        ));
    }
    let header = dir.join("include").join("mujoco").join("mujoco.h");
    let text = std::fs::read_to_string(&header)
        .map_err(|e| format!("cannot read {}: {e}", header.display()))?;
    let found = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("#define mjVERSION_HEADER")
                .map(|v| v.trim().to_string())
        })
        .ok_or_else(|| format!("{} has no mjVERSION_HEADER", header.display()))?;
    if found != HEADER_VERSION {
        return Err(format!(
            "{} is version {found}, the bindings are for {HEADER_VERSION}",
            header.display()
        ));
    }
    Ok(())
}
