//! Running many replications of a model in parallel, reproducibly.

use crate::{Model, ReplicationResult, run_replication};
use rayon::prelude::*;

/// Runs replications `0..replications` of `model` on rayon's thread pool.
///
/// Results come back in replication order and each depends only on the model and its index,
/// so the output is identical for any number of threads.
///
/// # Example
///
/// ```
/// use careflow::{Model, run_replications};
///
/// let mut model = Model::load("scenarios/erlang_b_ward")?;
/// model.settings_mut().horizon_days = 200.0;
/// let results = run_replications(&model, 4);
/// assert_eq!(results.len(), 4);
/// assert_eq!(results[2].replication, 2);
/// # Ok::<(), careflow::Error>(())
/// ```
pub fn run_replications(model: &Model, replications: u32) -> Vec<ReplicationResult> {
    (0..u64::from(replications))
        .into_par_iter()
        .map(|r| run_replication(model, r))
        .collect()
}
