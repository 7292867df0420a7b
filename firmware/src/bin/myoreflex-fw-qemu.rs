//! The firmware for QEMU `mps2-an386` (feature `board-qemu`, the default).
#![no_std]
#![no_main]

#[path = "../app.rs"]
mod app;
