//! pycma's termination criteria (`_CMAStopDict._update`), evaluated once per iteration after
//! `tell`, reported with pycma's keys.

use super::cma::CmaEs;
use super::history::median;

fn range(v: &[f64]) -> f64 {
    let mx = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mn = v.iter().cloned().fold(f64::INFINITY, f64::min);
    mx - mn
}

/// Updates the flat-fitness counter (pycma does this inside its stop test).
pub(crate) fn update_flat_fitness(es: &mut CmaEs) {
    let fit = &es.fit.fit;
    if fit[0] < fit[(0.75 * fit.len() as f64) as usize] {
        es.fit.flatfit_iterations = 0;
    } else {
        es.fit.flatfit_iterations += 1;
    }
}

/// The criteria that hold now, in pycma's order.
pub(crate) fn check(es: &CmaEs) -> Vec<String> {
    let mut out = Vec::new();
    if es.countiter == 0 {
        return out;
    }
    let mut add = |key: &str, cond: bool| {
        if cond {
            out.push(key.to_string());
        }
    };
    let r = &es.r;
    let n = es.n;
    let fit = &es.fit;
    add("ftarget", es.best.f <= r.ftarget);
    add("maxfevals", es.countevals.saturating_sub(1) >= r.maxfevals);
    add("maxiter", es.countiter >= r.maxiter);
    let stds = es.stds();
    add(
        "tolfacupx",
        (0..n).any(|i| stds[i] > es.sigma0 * es.sigma_vec0[i] * r.tolfacupx),
    );
    add(
        "tolx",
        stds.iter().all(|s| *s < r.tolx)
            && (0..n).all(|i| es.sigma * es.sigma_vec[i] * es.pc[i] < r.tolx),
    );
    let cur = range(&fit.fit);
    let hist = range(&fit.hist);
    add("tolfun", cur < r.tolfun && hist < r.tolfun);
    add(
        "tolfunrel",
        cur < r.tolfunrel * (fit.median0 - fit.median_min),
    );
    add("tolfunhist", fit.hist.len() > 9 && hist < r.tolfunhist);
    if r.tolstagnation > 0 {
        let lf = f64::max(
            r.tolstagnation as f64 / 5.0 / 2.0,
            fit.histbest.len() as f64 / 10.0,
        );
        if lf <= es.countiter as f64 {
            let l = lf as usize;
            let hb = &fit.histbest;
            let hm = &fit.histmedian;
            let cond = es.countiter as f64 > n as f64 * (5.0 + 100.0 / es.sp.lambda as f64)
                && (es.countevals - es.best.evals) as f64 / es.sp.lambda as f64
                    > r.tolstagnation as f64 / 2.0
                && hb.len() > 100
                && 2 * l < hb.len()
                && median(&hm[..l]) >= median(&hm[l..2 * l])
                && median(&hb[..l]) >= median(&hb[l..2 * l]);
            add("tolstagnation", cond);
        }
    }
    add("tolxstagnation", es.xstag.stop());
    let dmax = es.d.iter().cloned().fold(0.0, f64::max);
    add(
        "tolupsigma",
        r.tolupsigma > 0.0 && es.sigma / dmax > es.sigma0 * r.tolupsigma,
    );
    // pycma tests `any(idx)` on the list of indices, so a lone index 0 does not count; kept.
    let noeffect_coord = (0..n).any(|i| i > 0 && es.mean[i] == es.mean[i] + 0.2 * stds[i]);
    add("noeffectcoord", noeffect_coord);
    let k = (es.countiter % n as u64) as usize;
    let noeffect_axis = (0..n).all(|i| {
        es.mean[i] == es.mean[i] + 0.1 * es.sigma * es.d[k] * es.sigma_vec[i] * es.b[i * n + k]
    });
    add("noeffectaxis", noeffect_axis);
    add(
        "tolconditioncov",
        r.tolconditioncov > 0.0 && es.d[n - 1] > r.tolconditioncov.sqrt() * es.d[0],
    );
    add("tolflatfitness", fit.flatfit_iterations > r.tolflatfitness);
    out
}
