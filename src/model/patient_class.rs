//! Patient classes: cohorts whose lengths of stay and routes differ.

/// Dense index of a [`PatientClass`] in a [`Model`](crate::Model).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ClassId(pub(crate) u32);

impl ClassId {
    /// The position of this class in [`Model::classes`](crate::Model::classes).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A cohort of patients, e.g. frail elderly non-elective or adult elective.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientClass {
    pub(crate) name: String,
    pub(crate) priority: u32,
}

impl PatientClass {
    /// The class's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Queue priority at services with the priority discipline; lower is admitted first.
    pub fn priority(&self) -> u32 {
        self.priority
    }
}
