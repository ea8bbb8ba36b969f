//! Maximising a function of one variable on an interval: a grid to find the highest region
//! (so a function with several bumps is not climbed from the wrong side), then golden-section
//! search between the grid points around the best one.
//!
//! Why not a crate (argmin): the likelihoods fitted here have at most two parameters, and
//! the second is maximised out for each value of the first (a profile likelihood), so a
//! careful 1-D search is all that is needed; it has no tuning to get wrong, treats -∞ (a
//! parameter the data rule out) as the lowest value, and keeps careflow's dependencies few.

/// Golden-section steps: the bracket (two grid steps) shrinks by 0.618 each step, so 55
/// steps take a bracket of width 1 to about 10⁻¹¹¹, far below what the intervals resolve.
const STEPS: usize = 55;

/// The point of `[low, high]` where `f` is highest, searched from a grid of `grid` points
/// (at least 3), and its value; `None` when `f` is -∞ (or NaN) everywhere it was evaluated.
/// The point is at an end of the interval when the function still rises there: callers
/// check with [`at_edge`].
pub(crate) fn maximise(
    low: f64,
    high: f64,
    grid: usize,
    f: impl Fn(f64) -> f64,
) -> Option<(f64, f64)> {
    let grid = grid.max(3);
    let value = |x: f64| {
        let v = f(x);
        if v.is_nan() { f64::NEG_INFINITY } else { v }
    };
    let step = (high - low) / (grid - 1) as f64;
    let points: Vec<(f64, f64)> = (0..grid)
        .map(|i| {
            let x = if i == grid - 1 {
                high
            } else {
                low + step * i as f64
            };
            (x, value(x))
        })
        .collect();
    let best = (0..grid).max_by(|&a, &b| points[a].1.total_cmp(&points[b].1))?;
    if points[best].1 == f64::NEG_INFINITY {
        return None;
    }
    let (mut a, mut b) = (
        points[best.saturating_sub(1)].0,
        points[(best + 1).min(grid - 1)].0,
    );
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    let (mut fc, mut fd) = (value(c), value(d));
    for _ in 0..STEPS {
        if fc >= fd {
            b = d;
            (d, fd) = (c, fc);
            c = b - ratio * (b - a);
            fc = value(c);
        } else {
            a = c;
            (c, fc) = (d, fd);
            d = a + ratio * (b - a);
            fd = value(d);
        }
    }
    let (x, v) = if fc >= fd { (c, fc) } else { (d, fd) };
    // The grid point may still be the best (a spike narrower than the search's resolution).
    Some(if points[best].1 > v {
        points[best]
    } else {
        (x, v)
    })
}

/// Whether `x` is within half a step of a `grid` of `[low, high]` of an end: the maximum
/// may lie beyond.
pub(crate) fn at_edge(x: f64, low: f64, high: f64, grid: usize) -> bool {
    let step = (high - low) / (grid.max(3) - 1) as f64;
    x - low < step * 0.5 || high - x < step * 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_highest_of_two_bumps_and_the_edge() {
        let f = |x: f64| (-(x - 1.0).powi(2)).exp() + 2.0 * (-(x - 6.0).powi(2) * 4.0).exp();
        let (x, v) = maximise(-5.0, 10.0, 32, f).unwrap();
        assert!((x - 6.0).abs() < 1e-6, "{x}");
        assert!((v - f(6.0)).abs() < 1e-12);
        let (x, _) = maximise(0.0, 3.0, 8, |x| x).unwrap();
        assert!(at_edge(x, 0.0, 3.0, 8));
        assert!(maximise(0.0, 1.0, 8, |_| f64::NEG_INFINITY).is_none());
        assert!(maximise(0.0, 1.0, 8, |_| f64::NAN).is_none());
        // -∞ on part of the interval is just low.
        let (x, _) = maximise(-1.0, 1.0, 8, |x| {
            if x < 0.0 {
                f64::NEG_INFINITY
            } else {
                -(x - 0.3).powi(2)
            }
        })
        .unwrap();
        assert!((x - 0.3).abs() < 1e-6);
    }
}
