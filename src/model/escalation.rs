//! Escalation beds: extra capacity that opens under pressure and closes when it eases.

/// A service's escalation rule.
///
/// When occupancy reaches `open_at` × the planned capacity (the base capacity or the capacity
/// calendar's), `extra` places open after `delay` days — unless by then occupancy has fallen
/// below `close_below` × planned capacity. Once open, they close as soon as occupancy falls
/// below `close_below` × planned capacity; nobody is evicted (occupancy may stay above the
/// planned capacity until patients leave).
///
/// # Example
///
/// ```
/// use careflow::Escalation;
///
/// let e = Escalation::new(20, 0.98, 0.90, 0.5)?;
/// assert_eq!(e.extra(), 20);
/// assert!(Escalation::new(20, 0.90, 0.95, 0.0).is_err());
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Escalation {
    pub(crate) extra: u32,
    pub(crate) open_at: f64,
    pub(crate) close_below: f64,
    pub(crate) delay: f64,
}

impl Escalation {
    /// A rule opening `extra` places at occupancy `open_at` × planned capacity after `delay`
    /// days, closing them below `close_below` × planned capacity.
    ///
    /// # Errors
    ///
    /// A message unless `extra >= 1`, `0 < close_below < open_at <= 1` and `delay` is finite
    /// and at least 0.
    pub fn new(extra: u32, open_at: f64, close_below: f64, delay: f64) -> Result<Self, String> {
        if extra == 0 {
            return Err("extra must be at least 1".into());
        }
        if !(close_below > 0.0 && close_below < open_at && open_at <= 1.0) {
            return Err(format!(
                "expected 0 < close_below < open_at <= 1, found close_below {close_below}, open_at {open_at}"
            ));
        }
        if !(delay.is_finite() && delay >= 0.0) {
            return Err(format!(
                "delay must be a finite number of at least 0, found {delay}"
            ));
        }
        Ok(Escalation {
            extra,
            open_at,
            close_below,
            delay,
        })
    }

    /// Places that open.
    pub fn extra(&self) -> u32 {
        self.extra
    }

    /// Occupancy share of planned capacity at which they are called for.
    pub fn open_at(&self) -> f64 {
        self.open_at
    }

    /// Occupancy share of planned capacity below which they close.
    pub fn close_below(&self) -> f64 {
        self.close_below
    }

    /// Days from the call to opening.
    pub fn delay(&self) -> f64 {
        self.delay
    }
}
