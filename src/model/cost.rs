//! What care costs its provider: a rate per unit of care, by service.

/// The unit a cost or a spot price is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CostBasis {
    /// Per occupied place per day (a bed-day), at services counted in places.
    BedDay,
    /// Per occupied place per week (a placement-week), at services counted in places.
    PlacementWeek,
    /// Per hour of care delivered, at services counted in hours a week.
    CareHour,
    /// Per visit booked, at services counted in visit slots a day.
    Visit,
}

impl CostBasis {
    /// Every basis, in the order the scenario format lists them.
    pub const ALL: [CostBasis; 4] = [
        CostBasis::BedDay,
        CostBasis::PlacementWeek,
        CostBasis::CareHour,
        CostBasis::Visit,
    ];

    /// The name used in `costs.csv` and `contracts.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            CostBasis::BedDay => "bed_day",
            CostBasis::PlacementWeek => "placement_week",
            CostBasis::CareHour => "care_hour",
            CostBasis::Visit => "visit",
        }
    }

    /// Parses the name used in `costs.csv` and `contracts.csv`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == name)
    }

    /// Money per day for one patient holding `held` capacity (one place, a package's hours
    /// a week, or its visits a day) at `rate` per unit of this basis.
    ///
    /// ```
    /// use careflow::CostBasis;
    ///
    /// assert_eq!(CostBasis::BedDay.per_day(450.0, 1.0), 450.0);
    /// assert_eq!(CostBasis::PlacementWeek.per_day(910.0, 1.0), 130.0);
    /// // 14 hours a week at £25 an hour: £350 a week, £50 a day.
    /// assert_eq!(CostBasis::CareHour.per_day(25.0, 14.0), 50.0);
    /// // 2.5 visits a day at £30 a visit.
    /// assert_eq!(CostBasis::Visit.per_day(30.0, 2.5), 75.0);
    /// ```
    pub fn per_day(self, rate: f64, held: f64) -> f64 {
        match self {
            CostBasis::BedDay | CostBasis::Visit => rate * held,
            CostBasis::PlacementWeek | CostBasis::CareHour => rate * held / 7.0,
        }
    }
}

/// What a service's care costs its provider.
///
/// Costs accrue continuously: `rate` per bed-day or placement-week for every occupied place
/// (delayed and assessment days included: the bed is in use), or per hour of care a week in
/// use at services counted in hours, or per visit booked at services counted in visits;
/// `fixed_per_place_day` per day for every place open (staffed), occupied or not — at
/// services counted in hours, per hour a week of capacity; in visits, per visit slot a day —
/// escalation places included while open; and `escalation_premium` per bed-day used in
/// escalation places, on top. Splitting a bed's cost into a fixed and a variable part says how
/// much is saved when occupancy falls but the beds stay open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub(crate) basis: CostBasis,
    pub(crate) rate: f64,
    pub(crate) escalation_premium: f64,
    pub(crate) fixed_per_place_day: f64,
}

impl Cost {
    /// The unit `rate` is counted in.
    pub fn basis(&self) -> CostBasis {
        self.basis
    }

    /// Money per unit of care.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Money per place open (staffed) per day, occupied or not.
    pub fn fixed_per_place_day(&self) -> f64 {
        self.fixed_per_place_day
    }

    /// Extra money per bed-day used in escalation places.
    pub fn escalation_premium(&self) -> f64 {
        self.escalation_premium
    }
}
