//! Alternatives when full: the services a patient may be placed in when the service they
//! want next has no free place.

use super::ServiceId;

/// What a patient does when neither the service they want nor any of its fallbacks has a
/// free place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitFor {
    /// Wait for the preferred service only, as without fallbacks: in its queue, in their bed,
    /// or turned away, as the service's rules say. A place freeing in a fallback later does not
    /// take them.
    Preferred,
    /// Wait as for `Preferred`, but take whichever frees a place first: the preferred service
    /// or any of its fallbacks.
    FirstFree,
}

impl WaitFor {
    /// The name written in `fallbacks.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitFor::Preferred => "preferred",
            WaitFor::FirstFree => "first_free",
        }
    }
}

/// The fallbacks of one preferred service, in the order they are tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallbacks {
    services: Vec<ServiceId>,
    wait_for: WaitFor,
}

impl Fallbacks {
    /// Fallbacks `services`, tried in order, and the rule when none has room. `None` if the
    /// list is empty or names a service twice.
    pub fn new(services: Vec<ServiceId>, wait_for: WaitFor) -> Option<Self> {
        let distinct = services
            .iter()
            .enumerate()
            .all(|(i, s)| !services[..i].contains(s));
        (!services.is_empty() && distinct).then_some(Fallbacks { services, wait_for })
    }

    /// The fallback services, in the order they are tried.
    pub fn services(&self) -> &[ServiceId] {
        &self.services
    }

    /// What a patient does when no fallback has room either.
    pub fn wait_for(&self) -> WaitFor {
        self.wait_for
    }
}
