//! Checks on the whole model that no single file can make: runs that could never finish.

use super::arrivals;
use super::source::Source;
use super::stays;
use super::{ScenarioError, ScenarioErrors};
use crate::{ClassId, Destination, LengthOfStay, Model, ServiceId};

/// The most home-care packages a replication may be expected to draw that need more hours a
/// week than their service can ever have: each blocks its queue for ever.
const MAX_PACKAGES_NEVER_STARTED: f64 = 1e-3;

/// The most arrivals careflow accepts in one replication (minutes of work at millions of
/// patients a second); more means a run that cannot finish in reasonable time.
const MAX_ARRIVALS: f64 = 1e9;

/// Records a problem if the expected arrivals of a replication exceed [`MAX_ARRIVALS`], on
/// the stream with the largest share (`arrival_lines[i]`: the line of stream `i`), and if some
/// class can loop through services whose stays can all be exactly 0 days, so that time would
/// never advance (`stay_lines[cell]`: the los.csv line of each cell), and if a home-care
/// package could need more hours or visits than its service ever has (`packages`: the
/// lines of each cell's package sizes).
pub(crate) fn check(
    source: &Source<'_>,
    model: &Model,
    arrival_lines: &[u64],
    elective_lines: &[u64],
    stay_lines: &[Option<u64>],
    packages: PackageLines<'_>,
    errors: &mut ScenarioErrors,
) {
    let horizon = model.settings().horizon_days;
    let expected: Vec<f64> = model
        .arrivals()
        .iter()
        .map(|a| {
            let peak = a
                .profile()
                .map_or(1.0, |p| model.profile(p).max_multiplier());
            a.rate_per_day() * peak * horizon
        })
        .collect();
    let weeks = (horizon / 7.0).ceil();
    let electives: f64 = model
        .electives()
        .iter()
        .map(|e| f64::from(e.count()) * weeks)
        .sum();
    let total: f64 = expected.iter().sum::<f64>() + electives;
    // The total as a message gives it: three digits are enough to see how far over it is.
    let total_text = if total.is_finite() {
        format!("{total:.3e}")
    } else {
        format!("over {:.3e}", f64::MAX)
    };
    let largest_stream = expected
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, &x)| (i, x));
    if total > MAX_ARRIVALS && electives > largest_stream.map_or(0.0, |s| s.1) {
        let (i, list) = model
            .electives()
            .iter()
            .enumerate()
            .max_by_key(|(_, e)| e.count())
            .expect("electives make up the total, so there is a list");
        errors.push(ScenarioError::InvalidValue {
            path: source.dir().join(super::electives::FILE),
            line: elective_lines[i],
            column: "count".into(),
            expected: "at most 10^9 arrivals and bookings in a replication".into(),
            found: format!("{} ({total_text} in all)", list.count()),
        });
    } else if total > MAX_ARRIVALS
        && let Some((i, _)) = largest_stream
    {
        let stream = &model.arrivals()[i];
        let expected_text = "at most 10^9 arrivals in a replication (rate × peak profile \
                             multiplier × horizon_days, over all streams)";
        // Blame the profile when the stream's rate alone would fit: its multiplier is wrong.
        // (The others are summed afresh: with an infinite peak, total − largest is NaN.)
        let others: f64 = expected
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &x)| x)
            .sum::<f64>()
            + electives;
        let flat = stream.rate_per_day() * horizon;
        let profile_at_fault = stream
            .profile()
            .filter(|_| others + flat <= MAX_ARRIVALS)
            .and_then(|p| {
                super::profiles::blame_peak(
                    source,
                    model.profile(p),
                    "a multiplier that keeps arrivals within 10^9 a replication (rate × peak \
                     profile multiplier × horizon_days, over all streams)",
                    &format!("{total_text} arrivals"),
                )
            });
        errors.push(
            profile_at_fault.unwrap_or_else(|| ScenarioError::InvalidValue {
                path: source.dir().join(arrivals::FILE),
                line: arrival_lines[i],
                column: "rate_per_day".into(),
                expected: expected_text.into(),
                found: format!(
                    "{} ({total_text} arrivals)",
                    super::error::number(stream.rate_per_day())
                ),
            }),
        );
    }

    check_packages(source, model, total, packages, errors);

    let n = model.services().len();
    for class in 0..model.classes().len() {
        let class = ClassId(class as u32);
        let zero = |s: usize| {
            model
                .length_of_stay(class, ServiceId(s as u32))
                .is_some_and(|los| los.can_be_zero())
                && model.discharge_rule(class, ServiceId(s as u32)).is_none()
        };
        // Depth-first search for a cycle among services with possibly-zero stays.
        let mut state = vec![0u8; n]; // 0 new, 1 on the path, 2 done
        for start in 0..n {
            if state[start] != 0 || !zero(start) {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            state[start] = 1;
            while let Some(&mut (s, ref mut next_branch)) = stack.last_mut() {
                let branches: Vec<usize> = model
                    .routing(class, ServiceId(s as u32))
                    .probabilities()
                    .filter(|&(_, p)| p > 0.0)
                    .filter_map(|(d, _)| match d {
                        Destination::Service(t) if zero(t.index()) => Some(t.index()),
                        _ => None,
                    })
                    .collect();
                if let Some(&t) = branches.get(*next_branch) {
                    *next_branch += 1;
                    match state[t] {
                        0 => {
                            state[t] = 1;
                            stack.push((t, 0));
                        }
                        1 => {
                            let cell = model.cell(class, ServiceId(t as u32));
                            errors.push(ScenarioError::Inconsistent {
                                path: source.dir().join(stays::FILE),
                                line: stay_lines[cell].unwrap_or(1),
                                column: "distribution".into(),
                                message: format!(
                                    "class '{}' can loop back to service '{}' through stays of exactly 0 days, so time would never advance",
                                    model.classes()[class.index()].name(),
                                    model.services()[t].name()
                                ),
                            });
                            return;
                        }
                        _ => {}
                    }
                } else {
                    state[s] = 2;
                    stack.pop();
                }
            }
        }
    }
}

/// The lines of each cell's package sizes: in `package_hours.csv`, and (initial, final) in
/// `visit_rates.csv`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PackageLines<'a> {
    pub(crate) hours: &'a [Option<u64>],
    pub(crate) visits: &'a [[Option<u64>; 2]],
}

/// How a drawn package size could exceed what its service can ever have.
enum Excess {
    /// A bounded distribution reaching past it: its largest value.
    Bounded(f64),
    /// An unbounded one: the probability of a draw past it, and how many such draws a
    /// replication is expected to make.
    Unbounded(f64, f64),
}

/// Whether draws from `dist` above `limit` are possible (bounded distributions) or expected
/// more than [`MAX_PACKAGES_NEVER_STARTED`] times in `arrivals` draws (unbounded ones).
fn excess(dist: &LengthOfStay, limit: f64, arrivals: f64) -> Option<Excess> {
    match dist.max() {
        Some(max) if max > limit => Some(Excess::Bounded(max)),
        Some(_) => None,
        None => {
            let p = dist.probability_above(limit);
            let expected = p * arrivals.max(1.0);
            (expected > MAX_PACKAGES_NEVER_STARTED).then_some(Excess::Unbounded(p, expected))
        }
    }
}

/// Records a problem for each package size (`package_hours.csv`) that could exceed the most
/// hours a week its service can ever have ([`Model::most_capacity`]), and each visit rate
/// (`visit_rates.csv`) that, rounded, could exceed the most visit slots a day its service can
/// ever have: such a package never starts, and everyone queued behind it waits for ever. A
/// bounded distribution may not reach past it at all; an unbounded one may, with a
/// probability so small that fewer than [`MAX_PACKAGES_NEVER_STARTED`] such packages are
/// expected in a replication of `arrivals` arrivals (each counted once, however often it
/// returns). The engine reports any that happens anyway
/// (`ReplicationResult::packages_never_started`).
fn check_packages(
    source: &Source<'_>,
    model: &Model,
    arrivals: f64,
    lines: PackageLines<'_>,
    errors: &mut ScenarioErrors,
) {
    let (package_lines, visit_lines) = (lines.hours, lines.visits);
    let n = model.services().len();
    for (cell, line) in package_lines.iter().enumerate() {
        let (class, service) = (ClassId((cell / n) as u32), ServiceId((cell % n) as u32));
        let (Some(line), Some(hours)) = (line, model.package_hours(class, service)) else {
            continue;
        };
        let most = model.most_capacity(service);
        let name = model.services()[service.index()].name();
        let message = match excess(hours, most as f64 + 1e-9, arrivals) {
            None => continue,
            Some(Excess::Bounded(max)) => format!(
                "packages of up to {max} hours a week can never start at service '{name}', \
                 which has at most {most} (its largest capacity over the calendar, with \
                 escalation): one would keep everyone queued behind it waiting for ever"
            ),
            Some(Excess::Unbounded(p, expected)) => format!(
                "a package needs more than the {most} hours a week service '{name}' can \
                 ever have (its largest capacity over the calendar, with escalation) with \
                 probability {p:.3e}: {expected:.3e} such packages expected in a \
                 replication, where at most 10^-3 are accepted, since one would keep \
                 everyone queued behind it waiting for ever"
            ),
        };
        errors.push(ScenarioError::Inconsistent {
            path: source.dir().join(super::package_hours::FILE),
            line: *line,
            column: "distribution".into(),
            message,
        });
    }
    for (cell, lines) in visit_lines.iter().enumerate() {
        let (class, service) = (ClassId((cell / n) as u32), ServiceId((cell % n) as u32));
        let Some(rates) = model.visit_rates(class, service) else {
            continue;
        };
        let most = model.most_capacity(service);
        let name = model.services()[service.index()].name();
        let rows = [("initial", rates.initial()), ("final", rates.last())];
        for ((which, rate), line) in rows.into_iter().zip(lines) {
            let Some(line) = *line else {
                continue;
            };
            // A rate of most + ½ or more rounds to more visits than the slots.
            let message = match excess(rate, most as f64 + 0.5 - 1e-9, arrivals) {
                None => continue,
                Some(Excess::Bounded(max)) => format!(
                    "{which} rates of up to {max} visits a day can never start at service \
                     '{name}', which has at most {most} slots a day (its largest capacity over \
                     the calendar): such a package would wait for ever"
                ),
                Some(Excess::Unbounded(p, expected)) => format!(
                    "a package's {which} rate rounds to more than the {most} visit slots a day \
                     service '{name}' can ever have with probability {p:.3e}: {expected:.3e} \
                     such packages expected in a replication, where at most 10^-3 are \
                     accepted, since one would wait for ever; give truncate_max"
                ),
            };
            errors.push(ScenarioError::Inconsistent {
                path: source.dir().join(super::visit_rates::FILE),
                line,
                column: "distribution".into(),
                message,
            });
        }
    }
}
