//! Rows whose probabilities must sum to 1: routes, pathways and pathway changes.

use std::collections::HashMap;
use std::hash::Hash;

/// How far from 1 a group's probabilities may sum, for rounding in decimal files.
pub(crate) const TOLERANCE: f64 = 1e-9;

/// One group: the rows sharing a key.
#[derive(Debug)]
pub(crate) struct ProbabilityGroup<K> {
    pub(crate) key: K,
    /// The line of the group's first row, where a wrong sum is reported.
    pub(crate) first_line: u64,
    pub(crate) sum: f64,
    /// Whether every row's probability could be read (only then is the sum checked).
    pub(crate) summable: bool,
}

impl<K> ProbabilityGroup<K> {
    /// Whether the rows could all be read and their probabilities do not sum to 1.
    pub(crate) fn wrong_sum(&self) -> bool {
        self.summable && (self.sum - 1.0).abs() > TOLERANCE
    }
}

/// Groups of rows by key, in order of first appearance, with their probability sums.
#[derive(Debug)]
pub(crate) struct ProbabilityGroups<K> {
    groups: Vec<ProbabilityGroup<K>>,
    index: HashMap<K, usize>,
}

impl<K: Hash + Eq + Copy> ProbabilityGroups<K> {
    pub(crate) fn new() -> Self {
        ProbabilityGroups {
            groups: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Adds a row of group `key` on `line`, with its probability (`None` if it could not be
    /// read). Returns whether the row opened the group.
    pub(crate) fn add(&mut self, key: K, line: u64, probability: Option<f64>) -> bool {
        let groups = &mut self.groups;
        let mut opened = false;
        let g = *self.index.entry(key).or_insert_with(|| {
            opened = true;
            groups.push(ProbabilityGroup {
                key,
                first_line: line,
                sum: 0.0,
                summable: true,
            });
            groups.len() - 1
        });
        match probability {
            Some(p) => self.groups[g].sum += p,
            None => self.groups[g].summable = false,
        }
        opened
    }

    /// The groups, in order of first appearance.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &ProbabilityGroup<K>> {
        self.groups.iter()
    }
}
