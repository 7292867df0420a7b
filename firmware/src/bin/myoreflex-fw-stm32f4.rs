//! The firmware for an STM32F405 board (feature `board-stm32f4`).
#![no_std]
#![no_main]

#[path = "../app.rs"]
mod app;
