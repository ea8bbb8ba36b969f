//! The selection among the finalists, on fresh common-random-number replications, with a
//! stated guarantee.

/// One replication's values at one configuration: the objective (its weighted sum) and each
/// constraint's statistic, in the problem's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The objective's value in this replication.
    pub objective: f64,
    /// Each constraint's statistic in this replication.
    pub constraints: Vec<f64>,
}

/// Runs replications: for each `(configuration, replication)` job, in order, the sample.
/// Configurations are indices into the list the selection was given; replication indices
/// are the selection's own (`0..`), which the caller maps to fresh seeds. Every
/// configuration's replication `r` shares random numbers with every other's.
pub(crate) trait Simulator {
    /// The samples of `jobs`, in the order given.
    fn run(&mut self, jobs: &[(usize, u64)]) -> Vec<Sample>;
}
