//! Reneging: patients who stop waiting for a service after a patience time.

use super::{Destination, LengthOfStay};

/// How long a patient of one class waits for one service before giving up (reneging), and
/// where they go then.
///
/// The patience is drawn, from the patient's own generator, when they start waiting for the
/// service: on joining its queue, or on being blocked in a bed elsewhere waiting for a place
/// there. It runs while they wait for that service, in the queue or in the bed (moving from
/// the bed into the queue does not restart it), and stops when they are admitted. A patient
/// still waiting when it runs out leaves the wait, is counted in the service's `reneged`, and
/// goes to [`then`](Self::then): out of the system (leaving any bed they hold, as a
/// departure), or to another service, which they seek like a patient moving on from the bed
/// they hold — or, holding none, like an arrival from outside. Waits for funding are not
/// covered.
#[derive(Debug, Clone, PartialEq)]
pub struct Patience {
    pub(crate) time: LengthOfStay,
    pub(crate) then: Destination,
}

impl Patience {
    /// The distribution of the time, days, the patient waits before giving up.
    pub fn time(&self) -> &LengthOfStay {
        &self.time
    }

    /// Where a patient who gives up goes.
    pub fn then(&self) -> Destination {
        self.then
    }
}
