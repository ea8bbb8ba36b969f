//! An [`Explanation`] printed: a table of services that fits 100 columns, the flows, the
//! flags, organisations and contracts.

use super::terminal::{self, Table};
use crate::CapacityUnit;
use crate::explain::{Explanation, FlowKind, Pressure, ServiceLoad, pounds};
use std::fmt;

/// `x` with about three significant figures, thousands grouped: 0.0123, 1.23, 12.3, 1,234.
pub(crate) fn figure(x: f64) -> String {
    let digits = match x.abs() {
        a if a >= 100.0 || a == 0.0 => 0,
        a if a >= 10.0 => 1,
        a if a >= 1.0 => 2,
        _ => 3,
    };
    let text = format!("{:.*}", digits, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    super::push_grouped(&mut out, int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A capacity with its unit: whole numbers without decimals.
pub(crate) fn capacity(s: &ServiceLoad) -> String {
    if s.capacity.fract() == 0.0 {
        let mut text = String::new();
        super::push_grouped(&mut text, &format!("{:.0}", s.capacity));
        if s.unit == CapacityUnit::Hours {
            text.push_str(" h/wk");
        }
        text
    } else {
        amount(s.capacity, s.unit)
    }
}

/// A load or capacity with its unit: `845` places, `1,200 h/wk` at services counted in hours.
pub(crate) fn amount(x: f64, unit: CapacityUnit) -> String {
    match unit {
        CapacityUnit::Places => figure(x),
        CapacityUnit::Hours => format!("{} h/wk", figure(x)),
        CapacityUnit::Visits => format!("{} visits/d", figure(x)),
    }
}

/// The load ratio as text: `0.94`, or `no places` for a service with no capacity.
pub(crate) fn ratio(s: &ServiceLoad) -> String {
    match s.load_ratio {
        Some(r) => format!("{r:.2}"),
        None if s.arrivals_per_day > 0.0 => "no places".into(),
        None => "-".into(),
    }
}

/// What a flagged service's load means, in words.
pub(crate) fn flag_text(s: &ServiceLoad) -> Option<String> {
    let load = amount(s.offered_load, s.unit);
    let capacity = capacity(s);
    match s.pressure() {
        Pressure::Unstable if s.load_ratio.is_none() => Some(format!(
            "{}: {load} offered to a service with no capacity: everyone who comes waits for ever",
            s.name
        )),
        Pressure::Unstable => Some(format!(
            "{}: offered load {load} is {} of its capacity {capacity}: its queue grows without bound, however long the run",
            s.name,
            ratio(s)
        )),
        Pressure::High => Some(format!(
            "{}: offered load {load} is {} of its capacity {capacity} (over 0.85): expect long waits and blocking upstream",
            s.name,
            ratio(s)
        )),
        Pressure::Fine | Pressure::Unreached => None,
    }
}

impl fmt::Display for Explanation {
    /// The services' table, the flows between them, the flags, organisations, contracts and
    /// what is left out; no line is wider than 100 columns.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |id: crate::ServiceId| self.services[id.index()].name.as_str();
        terminal::write_wrapped(
            f,
            "Expected demand per service, from the traffic equations (arrival rates, routes, pathways and readmissions; no queueing or blocking); offered load = arrivals × mean stay:",
            0,
        )?;
        let rows = self
            .services
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    vec![
                        s.kind.as_str().to_owned(),
                        capacity(s),
                        figure(s.arrivals_per_day),
                        s.mean_stay_days.map_or_else(|| "-".into(), figure),
                        amount(s.offered_load, s.unit),
                        ratio(s),
                        s.pressure().as_str().to_owned(),
                    ],
                )
            })
            .collect();
        Table {
            label_heading: "service".into(),
            headings: [
                "kind",
                "capacity",
                "arrivals\na day",
                "mean stay\n(days)",
                "offered\nload",
                "load ÷\ncapacity",
                "flag",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            repeat: 0,
        }
        .write(f)?;
        let flagged: Vec<String> = self.flagged().filter_map(flag_text).collect();
        if !flagged.is_empty() {
            writeln!(f)?;
            for line in flagged {
                terminal::write_wrapped(f, &format!("flag: {line}"), 4)?;
            }
        }
        if !self.entries.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "Arrivals from outside, a day (mean over the observation window):"
            )?;
            for e in &self.entries {
                let mut text = format!("{}: {}", name(e.service), figure(e.streams_per_day));
                if e.electives_per_day > 0.0 {
                    text.push_str(&format!(
                        " from streams and {} booked electives",
                        figure(e.electives_per_day)
                    ));
                }
                if !e.step_up.is_empty() {
                    let step_up: Vec<&str> = e.step_up.iter().map(|&s| name(s)).collect();
                    text.push_str(&format!(" (tried first when free: {})", step_up.join(", ")));
                }
                terminal::write_wrapped(f, &text, 4)?;
            }
        }
        if !self.flows.is_empty() {
            writeln!(f)?;
            let rows = self
                .flows
                .iter()
                .map(|flow| {
                    let to = flow.to.map_or("exit", name);
                    let arrow = match flow.kind {
                        FlowKind::Route => "→",
                        FlowKind::Readmission => "⤺ readmitted to",
                    };
                    (
                        format!("{} {arrow} {to}", name(flow.from)),
                        vec![
                            format!("{:.1}%", flow.probability * 100.0),
                            figure(flow.per_day),
                        ],
                    )
                })
                .collect();
            Table {
                label_heading: "flow".into(),
                headings: vec!["share of\nleavers".into(), "patients\na day".into()],
                rows,
                repeat: 0,
            }
            .write(f)?;
        }
        if !self.organisations.is_empty() {
            writeln!(f)?;
            writeln!(f, "Organisations:")?;
            for o in &self.organisations {
                let mut text = format!("{} ({})", o.name, o.kind.as_str());
                if !o.provides.is_empty() {
                    text.push_str(&format!(" provides {}", o.provides.join(", ")));
                }
                if let Some(a) = o.annual_funding {
                    text.push_str(&format!("; funded {} a year", pounds(a)));
                }
                if let Some(b) = o.care_budget {
                    text.push_str(&format!("; care budget {} a year", pounds(b)));
                }
                terminal::write_wrapped(f, &text, 4)?;
            }
        }
        if !self.contracts.is_empty() {
            writeln!(f)?;
            writeln!(f, "Contracts (who pays whom):")?;
            for c in &self.contracts {
                terminal::write_wrapped(
                    f,
                    &format!("{} ({}): {}", c.name, c.kind.as_str(), c.summary),
                    4,
                )?;
            }
        }
        if !self.notes.is_empty() {
            writeln!(f)?;
            for note in &self.notes {
                terminal::write_wrapped(f, &format!("not counted: {note}"), 4)?;
            }
        }
        Ok(())
    }
}
