//! Choosing a warm-up length from a pilot run: the MSER-5 rule.
//!
//! MSER (Marginal Standard Error Rule; White, 1997, *An effective truncation heuristic for
//! bias reduction in simulation output*, Simulation 69(6); MSER-5 in White, Cobb & Spratt, 2000,
//! *A comparison of five steady-state truncation heuristics for simulation*, Proc. Winter
//! Simulation Conference) batches the output series into means of 5 observations
//! `Z_1 … Z_m`, and picks the truncation `d` that minimises
//!
//! ```text
//! MSER(d) = 1 / (m − d)² · Σ_{j = d+1}^{m} (Z_j − Z̄(d))²,   Z̄(d) = mean of Z_{d+1} … Z_m
//! ```
//!
//! over `0 ≤ d ≤ m/2`, trading the bias of keeping early observations against the variance of
//! dropping them. The warm-up is then `5·d` observations. A minimum at the `m/2` limit means
//! the series has not settled within the pilot run: run a longer pilot (see
//! [`WarmupSuggestion::settled`]).

/// A suggested warm-up from [`mser5`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarmupSuggestion {
    /// Observations to discard (a multiple of 5).
    pub truncate: usize,
    /// The MSER statistic at that truncation.
    pub mser: f64,
    /// Whether the minimum lies inside the first half of the series. When `false` the series
    /// may still be trending at the end of the pilot; the suggestion is not reliable.
    pub settled: bool,
}

/// Applies MSER-5 to `series` (e.g. daily mean occupancy, averaged across pilot replications).
///
/// Returns `None` when the series has fewer than 10 observations (two batches), too few to
/// judge.
///
/// # Example
///
/// ```
/// use careflow::mser5;
///
/// // Twenty days filling up from empty, then flat with a small wobble.
/// let series: Vec<f64> = (0..200)
///     .map(|d| if d < 20 { d as f64 * 5.0 } else { 100.0 + (d % 3) as f64 })
///     .collect();
/// let s = mser5(&series).unwrap();
/// assert_eq!(s.truncate, 20);
/// assert!(s.settled);
/// ```
pub fn mser5(series: &[f64]) -> Option<WarmupSuggestion> {
    const BATCH: usize = 5;
    let batches: Vec<f64> = series
        .chunks_exact(BATCH)
        .map(|c| c.iter().sum::<f64>() / BATCH as f64)
        .collect();
    let m = batches.len();
    if m < 2 {
        return None;
    }
    // Suffix sums give every MSER(d) in one backward pass.
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    let mut mser = vec![0.0; m];
    for d in (0..m).rev() {
        sum += batches[d];
        sum_sq += batches[d] * batches[d];
        let k = (m - d) as f64;
        let ss = (sum_sq - sum * sum / k).max(0.0);
        mser[d] = ss / (k * k);
    }
    let limit = m / 2;
    let (best, &value) = mser[..=limit]
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .expect("at least one candidate truncation");
    Some(WarmupSuggestion {
        truncate: best * BATCH,
        mser: value,
        settled: best < limit,
    })
}

/// Suggests a warm-up for `model` by MSER-5 on a pilot run: `replications` replications of
/// the model with no warm-up and the daily series on, whose daily mean occupancy of `service`
/// (averaged across replications) is the series judged. The suggestion is in days.
///
/// Occupancy of the slowest-filling service (often care homes, with stays of a year or more)
/// is the series to judge: the others settle sooner.
///
/// # Example
///
/// ```
/// use careflow::{Model, suggest_warmup};
///
/// let mut model = Model::load("scenarios/erlang_c_ward")?;
/// model.settings_mut().horizon_days = 400.0;
/// let ward = model.service_id("ward").unwrap();
/// let s = suggest_warmup(&model, ward, 4).unwrap();
/// assert!(s.truncate < 100); // an M/M/c ward with 1-day stays settles within days
/// # Ok::<(), careflow::Error>(())
/// ```
pub fn suggest_warmup(
    model: &crate::Model,
    service: crate::ServiceId,
    replications: u32,
) -> Option<WarmupSuggestion> {
    let mut pilot = model.clone();
    pilot.settings_mut().warmup_days = 0.0;
    pilot.settings_mut().daily_series = true;
    let results = crate::run_replications(&pilot, replications);
    let days = results.iter().map(|r| r.daily.len()).min()?;
    let mut series: Vec<f64> = Vec::new();
    for i in 0..days {
        let record = results[0].daily[i];
        if record.service != service {
            continue;
        }
        let sum: f64 = results.iter().map(|r| r.daily[i].occupancy).sum();
        series.push(sum / results.len() as f64);
    }
    mser5(&series)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stationary_series_needs_no_warmup() {
        let series: Vec<f64> = (0..100).map(|i| [1.0, 2.0, 3.0][i % 3]).collect();
        assert_eq!(mser5(&series).unwrap().truncate, 0);
    }

    #[test]
    fn a_series_still_rising_is_not_settled() {
        let series: Vec<f64> = (0..100).map(|i| i as f64).collect();
        assert!(!mser5(&series).unwrap().settled);
    }

    #[test]
    fn too_short_a_series_gives_no_suggestion() {
        assert!(mser5(&[1.0; 9]).is_none());
    }
}
