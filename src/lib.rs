//! careflow simulates patient flow through a local health and care system.
#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]
#![doc(test(attr(deny(warnings))))]

mod error;
pub mod model;
mod rng;
pub mod scenario;

pub use error::Error;
pub use model::*;
pub use rng::{SimRng, replication_seed};
