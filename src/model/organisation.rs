//! Organisations: who provides services and, later, who pays for them.

/// Dense index of an [`Organisation`] in a [`Model`](crate::Model).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct OrganisationId(pub(crate) u32);

impl OrganisationId {
    /// The position of this organisation in [`Model::organisations`](crate::Model::organisations).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What kind of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrganisationKind {
    /// An NHS acute hospital trust (ED, acute beds).
    AcuteTrust,
    /// An NHS community services provider (intermediate care, reablement, community beds).
    CommunityProvider,
    /// A local authority (council) running adult social care: home care, care homes.
    LocalAuthority,
    /// A commissioner (integrated care board); pays for care but provides none.
    Commissioner,
    /// An independent provider, for example a care home group or home care agency.
    IndependentProvider,
}

impl OrganisationKind {
    /// Every kind, in the order the scenario format lists them.
    pub const ALL: [OrganisationKind; 5] = [
        OrganisationKind::AcuteTrust,
        OrganisationKind::CommunityProvider,
        OrganisationKind::LocalAuthority,
        OrganisationKind::Commissioner,
        OrganisationKind::IndependentProvider,
    ];

    /// The name used in `organisations.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::AcuteTrust => "acute_trust",
            OrganisationKind::CommunityProvider => "community_provider",
            OrganisationKind::LocalAuthority => "local_authority",
            OrganisationKind::Commissioner => "commissioner",
            OrganisationKind::IndependentProvider => "independent_provider",
        }
    }

    /// Parses the name used in `organisations.csv`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// A provider or payer in the local system.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub(crate) name: String,
    pub(crate) kind: OrganisationKind,
}

impl Organisation {
    /// The organisation's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What kind of body it is.
    pub fn kind(&self) -> OrganisationKind {
        self.kind
    }
}
