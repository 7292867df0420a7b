//! Step events and the evaluation window (`../shared/spec/original.md` 5.3).

use super::record::StepRecord;

/// Indices of the records flagged as a new step, pruned as the original does: walk the
/// (shrinking) list and drop every other event at most `0.3 / dt` samples away (in f64,
/// `0.3 / 0.01` is exactly 30, so events exactly 30 samples apart are dropped too).
pub fn step_events(records: &[StepRecord], dt: f64) -> Vec<usize> {
    let mut ev: Vec<usize> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.new_step)
        .map(|(i, _)| i)
        .collect();
    let thr = 0.3 / dt;
    let mut k = 0;
    while k < ev.len() {
        let me = ev[k];
        ev.retain(|&e| {
            let d = (me as f64 - e as f64).abs();
            d > thr || d == 0.0
        });
        k += 1;
    }
    ev
}

/// Splits events into left and right stances: left when the left ankle angle is smaller than
/// the right one at the event, right when larger (ties belong to neither).
pub fn stance_feet(events: &[usize], records: &[StepRecord]) -> (Vec<usize>, Vec<usize>) {
    let left = events
        .iter()
        .copied()
        .filter(|&i| records[i].l_ankle() < records[i].r_ankle())
        .collect();
    let right = events
        .iter()
        .copied()
        .filter(|&i| records[i].l_ankle() > records[i].r_ankle())
        .collect();
    (left, right)
}

/// The evaluation window: all left and right stance events from the (N+1)-th last left stance
/// to the last left stance, inclusive (`index_vector`; ideally 2N+1 events). `None` when there
/// are not N+1 stances on each side.
pub fn window(left: &[usize], right: &[usize], n: usize) -> Option<Vec<usize>> {
    if left.len() < n + 1 || right.len() < n + 1 {
        return None;
    }
    let mut all: Vec<usize> = left.iter().chain(right).copied().collect();
    all.sort_unstable();
    let first = left[left.len() - (n + 1)];
    let last = left[left.len() - 1];
    let a = all.iter().position(|&e| e == first)?;
    let b = all.iter().position(|&e| e == last)?;
    Some(all[a..=b].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_drops_events_up_to_thirty_samples_apart() {
        let mut recs = vec![StepRecord::default(); 200];
        for i in [10, 20, 40, 69, 100, 130] {
            recs[i].new_step = true;
        }
        // From 10: 20 and 40 (30 apart) go, 69 stays; from 69: 100 (31) stays; from 100: 130 goes.
        assert_eq!(step_events(&recs, 0.01), vec![10, 69, 100]);
    }
}
