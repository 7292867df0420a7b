//! `cargo bench -p myoreflex --bench sim`: physics steps per second of the native simulator
//! (single thread, walking-like workload; the same measurement as `myoreflex bench`).

fn main() {
    let model = match myoreflex::sim::bench::reference_model("baseline") {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    match myoreflex::sim::bench::measure(model, 20_000) {
        Ok((sps, ms)) => println!(
            "sim/walking_like: {sps:.0} physics steps/s, {ms:.1} ms CPU per 20 simulated s"
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
