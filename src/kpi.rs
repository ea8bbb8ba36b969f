//! Typed names of the statistics careflow reports, so that a typo is a compile error rather
//! than a statistic that is silently not found.
//!
//! Each enum's [`as_str`](Kpi::as_str) is the name in the output files (`kpi` column), and
//! [`FromStr`] reads that name back, for names typed on a command line.

use std::fmt;
use std::str::FromStr;

/// Defines a statistic-name enum: each variant with its name in the output files. Adding a
/// statistic is one line here (plus, for service statistics, its arm in
/// [`ServiceResult::value`](crate::ServiceResult::value), which the compiler asks for).
macro_rules! kpi_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $scope:literal {
            $($(#[$doc:meta])* $variant:ident = $text:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$doc])* $variant,)*
        }

        impl $name {
            /// Every statistic, in output order.
            pub const ALL: [$name; [$($text),*].len()] = [$($name::$variant),*];
            /// Their names, in output order.
            pub const NAMES: [&'static str; [$($text),*].len()] = [$($text),*];

            /// The name in the output files.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownKpi;

            /// Reads a name as written in the output files.
            fn from_str(name: &str) -> Result<Self, UnknownKpi> {
                $name::ALL
                    .into_iter()
                    .find(|k| k.as_str() == name)
                    .ok_or_else(|| UnknownKpi {
                        scope: $scope,
                        name: name.to_owned(),
                        known: &$name::NAMES,
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

kpi_enum! {
    /// A statistic of one service in one replication ([`ServiceResult`](crate::ServiceResult);
    /// scope `service` in the output files).
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::Kpi;
    ///
    /// assert_eq!(Kpi::DelayedBedDays.as_str(), "delayed_bed_days");
    /// assert_eq!("mean_occupancy".parse::<Kpi>(), Ok(Kpi::MeanOccupancy));
    /// assert!("delayed_bed_day".parse::<Kpi>().is_err());
    /// ```
    Kpi, "service" {
        /// Arrivals (from outside and from other services).
        Arrivals = "arrivals",
        /// Admissions to a place.
        Admissions = "admissions",
        /// Departures from a place.
        Departures = "departures",
        /// Arrivals from outside turned away, and elective patients lost.
        Diverted = "diverted",
        /// Elective bookings cancelled for want of a place.
        Cancelled = "cancelled",
        /// Patients who gave up waiting for a place here (`patience.csv`).
        Reneged = "reneged",
        /// Readmissions arriving here.
        Readmissions = "readmissions",
        /// Time-weighted mean places occupied.
        MeanOccupancy = "mean_occupancy",
        /// Most places occupied at once.
        MaxOccupancy = "max_occupancy",
        /// Time-weighted mean capacity.
        MeanCapacity = "mean_capacity",
        /// Share of time with every place occupied.
        ShareTimeFull = "share_time_full",
        /// Time-weighted mean queue length.
        MeanQueue = "mean_queue",
        /// Longest queue.
        MaxQueue = "max_queue",
        /// Mean wait for admission, days.
        MeanWaitDays = "mean_wait_days",
        /// Admissions that waited longer than the threshold.
        LongWaits = "long_waits",
        /// Median wait for admission, days.
        P50WaitDays = "p50_wait_days",
        /// 95th percentile of the wait for admission, days.
        P95WaitDays = "p95_wait_days",
        /// Mean time in a place, days.
        MeanLengthOfStayDays = "mean_length_of_stay_days",
        /// Bed-days of patients fit to leave but still in a place, for any reason (a place,
        /// funding or an assessment awaited).
        DelayedBedDays = "delayed_bed_days",
        /// Patients delayed here, for any reason, counted once per stay.
        DelayedPatients = "delayed_patients",
        /// Of the delayed bed-days, those waiting for a place at the next service.
        DelayedBedDaysAwaitingPlace = "delayed_bed_days_awaiting_place",
        /// Of the delayed bed-days, those waiting for a council to fund the next care.
        DelayedBedDaysAwaitingFunding = "delayed_bed_days_awaiting_funding",
        /// Of the delayed bed-days, those spent being assessed in the bed (assess in hospital).
        DelayedBedDaysAwaitingAssessment = "delayed_bed_days_awaiting_assessment",
        /// Delayed patients who waited for a place.
        DelayedPatientsAwaitingPlace = "delayed_patients_awaiting_place",
        /// Delayed patients who waited for funding.
        DelayedPatientsAwaitingFunding = "delayed_patients_awaiting_funding",
        /// Delayed patients assessed in the bed.
        DelayedPatientsAwaitingAssessment = "delayed_patients_awaiting_assessment",
        /// Days with escalation places open.
        EscalationDaysOpen = "escalation_days_open",
        /// Bed-days used in escalation places.
        EscalationBedDays = "escalation_bed_days",
        /// Patients who left after becoming medically fit here.
        FitPatients = "fit_patients",
        /// Mean days from medically fit to leaving.
        MeanFitToLeaveDays = "mean_fit_to_leave_days",
        /// Mean hours of care a week in use.
        MeanHoursUsed = "mean_hours_used",
        /// Mean visits a day booked, at services counted in visits.
        MeanVisitsUsed = "mean_visits_used",
        /// Mean occupancy over mean capacity.
        Utilisation = "utilisation",
    }
}

kpi_enum! {
    /// A statistic of the whole system in one replication
    /// ([`SystemResult`](crate::SystemResult); scope `system`).
    SystemKpi, "system" {
        /// Patients inside at the start of observation.
        InsideAtStart = "inside_at_start",
        /// Arrivals from outside.
        Arrived = "arrived",
        /// Readmissions.
        Readmissions = "readmissions",
        /// Arrivals lost.
        Diverted = "diverted",
        /// Patients who left.
        Left = "left",
        /// Patients inside at the end.
        InsideAtEnd = "inside_at_end",
        /// Circular blockings detected.
        Deadlocks = "deadlocks",
    }
}

kpi_enum! {
    /// A statistic of one entry service's arrival-to-leaving times
    /// ([`EntryResult`](crate::EntryResult); scope `entry`).
    EntryKpi, "entry" {
        /// Patients who left the entry service.
        Patients = "patients",
        /// Of those, how many took longer than the threshold.
        OverThreshold = "over_threshold",
        /// `over_threshold / patients`.
        ShareOverThreshold = "share_over_threshold",
        /// Mean time from arrival to leaving, days.
        MeanTimeDays = "mean_time_days",
        /// 95th percentile of the time from arrival to leaving, days.
        P95TimeDays = "p95_time_days",
        /// Patients admitted onward.
        Admitted = "admitted",
        /// Of those, how many after longer than the threshold.
        AdmittedOverThreshold = "admitted_over_threshold",
        /// Mean time from arrival to admission onward, days.
        MeanTimeToAdmissionDays = "mean_time_to_admission_days",
    }
}

/// A name that is not one of a scope's statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKpi {
    scope: &'static str,
    name: String,
    known: &'static [&'static str],
}

impl UnknownKpi {
    /// The names that would have been known: the scope's statistics, or the scopes.
    pub fn known(&self) -> &'static [&'static str] {
        self.known
    }
}

impl fmt::Display for UnknownKpi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.scope.is_empty() {
            "a scope of statistics".to_owned()
        } else {
            format!("a {} statistic", self.scope)
        };
        write!(
            f,
            "'{}' is not {what}; expected one of {}",
            self.name,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownKpi {}

/// One statistic of one subject, addressed by typed names: what
/// [`Report::statistic`](crate::Report::statistic) and
/// [`Experiment::has_statistic`](crate::Experiment::has_statistic) take.
///
/// # Example
///
/// ```
/// use careflow::{Kpi, Statistic};
///
/// let delays = Statistic::Service("acute", Kpi::DelayedBedDays);
/// assert_eq!(delays.names(), ("service", "acute", "delayed_bed_days"));
/// assert_eq!(Statistic::parse("service", "acute", "delayed_bed_days"), Ok(delays));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Statistic<'a> {
    /// A statistic of the whole system.
    System(SystemKpi),
    /// A statistic of the named service.
    Service(&'a str, Kpi),
    /// A statistic of the named entry service's arrival-to-leaving times.
    Entry(&'a str, EntryKpi),
}

impl<'a> Statistic<'a> {
    /// The (scope, service, kpi) names of the statistic in the output files (service empty
    /// for the system).
    pub fn names(self) -> (&'static str, &'a str, &'static str) {
        match self {
            Statistic::System(k) => ("system", "", k.as_str()),
            Statistic::Service(s, k) => ("service", s, k.as_str()),
            Statistic::Entry(s, k) => ("entry", s, k.as_str()),
        }
    }

    /// Reads a statistic named as in the output files, as typed on a command line.
    ///
    /// # Errors
    ///
    /// [`UnknownKpi`] if `kpi` is not a statistic of `scope`, or `scope` is not `system`,
    /// `service` or `entry` (money is addressed by [`Report::finance`](crate::Report::finance)).
    pub fn parse(scope: &str, service: &'a str, kpi: &str) -> Result<Self, UnknownKpi> {
        match scope {
            "system" => kpi.parse().map(Statistic::System),
            "service" => kpi.parse().map(|k| Statistic::Service(service, k)),
            "entry" => kpi.parse().map(|k| Statistic::Entry(service, k)),
            _ => Err(UnknownKpi {
                scope: "",
                name: scope.to_owned(),
                known: &["system", "service", "entry"],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for k in Kpi::ALL {
            assert_eq!(k.as_str().parse::<Kpi>(), Ok(k));
        }
        for k in SystemKpi::ALL {
            assert_eq!(k.as_str().parse::<SystemKpi>(), Ok(k));
        }
        for k in EntryKpi::ALL {
            assert_eq!(k.as_str().parse::<EntryKpi>(), Ok(k));
        }
    }

    #[test]
    fn unknown_names_say_what_is_known() {
        let e = "delayed_beddays".parse::<Kpi>().unwrap_err().to_string();
        assert!(e.starts_with("'delayed_beddays' is not a service statistic; expected one of arrivals, admissions,"), "{e}");
        let e = Statistic::parse("services", "acute", "arrivals")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "'services' is not a scope of statistics; expected one of system, service, entry"
        );
    }
}
