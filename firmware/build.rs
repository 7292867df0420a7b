//! Puts the selected board's memory map on the linker search path as `memory.x` (read by
//! cortex-m-rt's `link.x`), together with `params.x`, which defines the parameter-blob region.
use std::{env, fs, path::PathBuf};

fn main() {
    let board = if env::var_os("CARGO_FEATURE_BOARD_STM32F4").is_some() {
        "stm32f405.x"
    } else {
        "qemu-mps2-an386.x"
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (src, dst) in [(board, "memory.x"), ("params.x", "params.x")] {
        let text = fs::read(format!("memory/{src}")).expect("memory/ holds the linker scripts");
        fs::write(out.join(dst), text).expect("OUT_DIR is writable");
        println!("cargo:rerun-if-changed=memory/{src}");
    }
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-env-changed=DEFMT_LOG");
}
