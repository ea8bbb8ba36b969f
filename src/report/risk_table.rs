//! The printed report's risk tables: each organisation's probability of a deficit and the
//! spread of its surplus, and each control total's position against its limit.

use super::chart::money_text;
use super::terminal::{self, Table};
use super::{CONTROL_TOTAL_KPIS, Report, Risk, Scope};
use std::fmt;

/// A probability with its interval, as percentages: "35% (18–57%)".
pub(crate) fn probability_text(r: &Risk) -> String {
    let pct = |p: f64| format!("{:.0}", p * 100.0);
    format!(
        "{}% ({}–{}%)",
        pct(r.p_below_zero),
        pct(r.p_low),
        pct(r.p_high)
    )
}

impl Report<'_> {
    /// The control totals with money lines, in output order.
    pub(crate) fn control_totals(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for k in self.keys.iter().filter(|k| {
            k.scope == Scope::Finance && k.kpi == CONTROL_TOTAL_KPIS[0] && !k.service.is_empty()
        }) {
            if !names.contains(&k.service.as_str()) {
                names.push(&k.service);
            }
        }
        names
    }

    /// The sentence that says what the risk figures are over, and a warning when the
    /// replications are too few for the tails to be more than rough.
    pub(crate) fn risk_preamble(&self) -> (String, Option<String>) {
        let n = self.result.replications();
        let pct = (self.info.level * 100.0).round();
        let text = format!(
            "risk over {n} replications (the model's run-to-run variation for these parameters, \
             not uncertainty in the parameters): the probability of a deficit (surplus below £0) \
             with its {pct}% Wilson interval, and the 5th and 95th percentiles of the surplus \
             across replications (linear interpolation between order statistics, type 7)"
        );
        let warning = (n < super::ROUGH_TAILS_BELOW).then(|| {
            format!(
                "only {n} replications: the 5th and 95th percentiles rest on the one or two most \
                 extreme runs and are rough, and the probabilities' intervals are wide; run at \
                 least {} for tails worth quoting",
                super::ROUGH_TAILS_BELOW
            )
        });
        (text, warning)
    }

    /// Each organisation's risk of a deficit in each financial year, per variant, and with
    /// variants the probability of being worse off than in the baseline; then each control
    /// total's position. Nothing when the scenario books no money.
    pub(crate) fn fmt_risk(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let organisations = self.ledger_organisations();
        if organisations.is_empty() {
            return Ok(());
        }
        let names = &self.result.names;
        let several = names.len() > 1;
        let (text, warning) = self.risk_preamble();
        writeln!(f)?;
        terminal::write_wrapped(f, &text, 4)?;
        if let Some(warning) = &warning {
            terminal::write_wrapped(f, &format!("warning: {warning}"), 4)?;
        }
        let pct = (self.info.level * 100.0).round();
        let mut headings = vec![
            format!("P(deficit)\n({pct}% CI)"),
            "surplus\n5th pct".to_string(),
            "surplus\n95th pct".to_string(),
        ];
        if several {
            headings.push(format!("P(worse off than\n{}) ({pct}% CI)", names[0]));
        }
        let mut rows = Vec::new();
        for year in self.financial_years() {
            for &organisation in &organisations {
                for variant in names {
                    let Some(r) = self.finance_risk(variant, year, organisation, "surplus") else {
                        continue;
                    };
                    let mut cells = vec![probability_text(r), money_text(r.p05, false)];
                    cells.push(money_text(r.p95, false));
                    if several {
                        cells.push(
                            self.finance_comparison_risk(variant, year, organisation, "surplus")
                                .map_or_else(String::new, probability_text),
                        );
                    }
                    let label = if several {
                        format!("{organisation} {year} {variant}")
                    } else {
                        format!("{organisation} {year}")
                    };
                    rows.push((label, cells));
                }
            }
        }
        Table {
            label_heading: if several {
                "organisation, year, variant".into()
            } else {
                "organisation, year".into()
            },
            headings,
            rows,
            repeat: 0,
        }
        .write(f)?;
        self.fmt_control_totals(f)
    }

    /// Each control total's limit, spending and the probability of a breach, per financial
    /// year and variant.
    fn fmt_control_totals(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let totals = self.control_totals();
        if totals.is_empty() {
            return Ok(());
        }
        let names = &self.result.names;
        let pct = (self.info.level * 100.0).round();
        for total in totals {
            let members = self
                .experiment
                .baseline()
                .finance()
                .control_totals()
                .iter()
                .find(|t| t.name() == total)
                .map(|t| {
                    let organisations = self.experiment.baseline().organisations();
                    t.organisations()
                        .iter()
                        .map(|o| organisations[o.index()].name())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            writeln!(f)?;
            terminal::write_wrapped(
                f,
                &format!(
                    "control total {total} ({members}): spending is the members' costs and \
                     payments net of payments between them; breach: spending above the limit"
                ),
                4,
            )?;
            let mut rows = Vec::new();
            for year in self.financial_years() {
                for variant in names {
                    let get = |kpi| self.finance(variant, year, total, kpi);
                    let spread = |kpi| self.finance_risk(variant, year, total, kpi);
                    let (Some(limit), Some(spending), Some(headroom), Some(s), Some(h)) = (
                        get(CONTROL_TOTAL_KPIS[0]),
                        get(CONTROL_TOTAL_KPIS[1]),
                        get(CONTROL_TOTAL_KPIS[2]),
                        spread(CONTROL_TOTAL_KPIS[1]),
                        spread(CONTROL_TOTAL_KPIS[2]),
                    ) else {
                        continue;
                    };
                    let label = if names.len() > 1 {
                        format!("{year} {variant}")
                    } else {
                        year.to_string()
                    };
                    rows.push((
                        label,
                        vec![
                            money_text(limit.mean, false),
                            money_text(spending.mean, false),
                            format!(
                                "{} to {}",
                                money_text(s.p05, false),
                                money_text(s.p95, false)
                            ),
                            money_text(headroom.mean, true),
                            probability_text(h),
                        ],
                    ));
                }
            }
            Table {
                label_heading: "year".into(),
                headings: vec![
                    "limit".into(),
                    "spending\nmean".into(),
                    "spending\n5th to 95th pct".into(),
                    "headroom\nmean".into(),
                    format!("P(breach)\n({pct}% CI)"),
                ],
                rows,
                repeat: 0,
            }
            .write(f)?;
        }
        Ok(())
    }
}
