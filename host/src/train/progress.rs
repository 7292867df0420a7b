//! Progress display: an indicatif bar (generation, best cost, evaluations per second) when
//! stderr is a terminal, else pycma-style lines at generations 1, 2, 3, every 100th and the last.

use std::io::IsTerminal;
use std::time::Instant;

use crate::optim::CmaEs;
use crate::results::GenRow;

pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    popsize: usize,
    t0: Instant,
    evals0: u64,
}

impl Progress {
    pub fn new(enabled: bool, es: &CmaEs, threads: usize) -> Self {
        let tty = std::io::stderr().is_terminal();
        let bar = (enabled && tty).then(|| {
            let total = es.options().maxiter.min(1_000_000);
            let b = indicatif::ProgressBar::new(total);
            let style = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] gen {pos}/{len} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
            b.set_style(style);
            b.set_position(es.iteration());
            b.set_message(format!("({threads} threads)"));
            b
        });
        if enabled && !tty {
            eprintln!(
                "({}_w,{})-aCMA-ES in dimension {} ({} threads)\nIterat #Fevals   function value  axis ratio  sigma  min&max std  evals/s",
                es.strategy().mu,
                es.popsize(),
                es.dimension(),
                threads
            );
        }
        Progress {
            bar,
            lines: enabled && !tty,
            popsize: es.popsize(),
            t0: Instant::now(),
            evals0: es.evaluations(),
        }
    }

    pub fn generation(&mut self, es: &CmaEs, row: Option<&GenRow>) {
        let Some(r) = row else { return };
        let rate =
            (es.evaluations() - self.evals0) as f64 / self.t0.elapsed().as_secs_f64().max(1e-9);
        if let Some(b) = &self.bar {
            b.set_position(r.generation);
            b.set_message(format!("best {:.6e}  {:.1} evals/s", r.best_ever, rate));
        } else if self.lines
            && (r.generation <= 3 || r.generation % 100 == 0 || !es.stop().is_empty())
        {
            eprintln!(
                "{:>6} {:>7} {:>16.9e} {:>10.1e} {:>8.2e} {:.0e} {:.0e} {:>8.1}",
                r.generation,
                r.evaluations,
                r.best,
                r.axis_ratio,
                r.sigma,
                r.min_std,
                r.max_std,
                rate
            );
        }
        let _ = self.popsize;
    }

    pub fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}
