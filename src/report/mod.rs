//! Reports: summaries across replications, paired comparisons between variants, tidy CSV
//! files and a readable table.
//!
//! [`Report::write_csv`] writes, into one folder (one observation per row, for pandas, R or
//! Excel):
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `replications.csv` | variant × replication × statistic | `variant,replication,scope,service,awaiting,kpi,value` |
//! | `summary.csv` | variant × statistic | `variant,scope,service,awaiting,kpi,n,mean,sd,ci_low,ci_high,level` |
//! | `comparison.csv` | variant × statistic, for each variant other than the baseline | `variant,baseline,scope,service,awaiting,kpi,n,baseline_mean,variant_mean,difference,sd,ci_low,ci_high,level` |
//! | `variants_effective.csv` | cell a variant's overrides set (when any variant has overrides) | `variant,file,row,column,baseline,expression,effective`: the baseline's text of the cell, the override as written (absolute, or relative such as `+10%`) and the text the variant ran with |
//! | `daily.csv` | variant × day × service × measure (when the daily series is on) | `variant,day,date,service,measure,mean,p10,p90` |
//! | `finance.csv` | variant × financial year × organisation (or control total) × money statistic (when the scenario books money) | `variant,year,organisation,kpi,n,mean,ci_low,ci_high,difference,difference_ci_low,difference_ci_high,level,p_below_zero,p_below_zero_ci_low,p_below_zero_ci_high,p05,p95,difference_p_below_zero,difference_p_below_zero_ci_low,difference_p_below_zero_ci_high,difference_p05,difference_p95` |
//! | `run.csv` | fact about the run | `key,value`: scenario, careflow version, seed, seeding, replications, variants, threads, seconds, events, confidence level, precision target, `partial_financial_years` (with money, the financial years the observation window covers only in part, e.g. `2027-28: 1 of 366 days`; empty when it covers whole years); a `warning` row for each of the scenario's warnings, each queue that grows throughout the window, and each deadlock, run stopped early or home-care package that can never start ([`Report::warnings`], [`stability`]); for a result merged from shards also `shards` (then `threads` and `seconds` are summed over the shards) |
//!
//! `scope` is `system`, `service`, `entry` (arrival-to-leaving times at entry services),
//! `delay` (delayed bed-days in `service`'s beds awaiting `awaiting`, a place there or funding
//! for it: [`DELAY_KPIS`]), `fallback` (patients who wanted `service`, placed in the fallback
//! `awaiting` because `service` had no free place, and the place-days they held there:
//! [`FALLBACK_KPIS`]; one row per pair of `fallbacks.csv`), `step_up` (arrivals of the stream
//! `service` that entered its step-up service instead of its entry: [`STEP_UP_KPI`]),
//! `outcome` (outcome measures of patient journeys, with `care_settings.csv`: an
//! [`OutcomeKpi`](crate::OutcomeKpi), `service` and `awaiting` empty) or
//! `finance` (money, £:
//! `service` holds the organisation, empty for the whole system, and `awaiting` the financial
//! year, e.g. `2026-27`, or `all` for the whole observation window when it spans several;
//! `kpi` is a ledger category such as `tariff` or `care_costs` — see [`crate::ledger`] —
//! or `income`, `spending`, `surplus`; for the system `funding`, `care_costs`,
//! `capacity_costs`, `escalation_premium`, `surplus` and `unbalanced_transfers`, which
//! conservation of money makes zero). Comparisons are paired:
//! the difference variant − baseline is taken replication by replication (the same seeds
//! under common random numbers), then summarised with a Student-t interval. `daily.csv` gives,
//! per day, the mean across replications of each measure (`occupancy`, `queue`, `delayed` —
//! patients fit to move on still in the service's beds, for any reason — and its split
//! `delayed_awaiting_place`, `delayed_awaiting_funding`, `delayed_awaiting_assessment`;
//! daily time-averages) and its 10th and 90th percentiles across replications (linear
//! interpolation between order statistics). `finance.csv` repeats the money lines of
//! `summary.csv` and `comparison.csv` side by side: each variant's mean with its interval
//! and, for variants, the paired difference from the baseline with its interval.
//!
//! Risk, not just means: `finance.csv` also gives how each money statistic is spread across
//! replications ([`Risk`]). `p_below_zero` is the share of replications in which it is below
//! £0 (by more than [`HALF_PENNY`], so that rounding in the sums is not a loss) — for `surplus`, the **probability of a deficit**; for `control_headroom`, of a
//! **breach** of the control total — with its Wilson score interval at the report's level
//! (`p_below_zero_ci_low`, `p_below_zero_ci_high`); `p05` and `p95` are its 5th and 95th
//! percentiles (Hyndman and Fan type 7: linear interpolation between order statistics, the
//! default of R and numpy). The `difference_` columns give the same for the paired difference
//! variant − baseline, replication by replication under common random numbers: for `surplus`,
//! `difference_p_below_zero` is the probability that the organisation is worse off under the
//! variant. These are over the model's run-to-run variation for the parameters given (arrivals,
//! lengths of stay, routes), not over uncertainty in the parameters themselves; with fewer
//! than [`ROUGH_TAILS_BELOW`] replications the printed summary and the HTML report warn that
//! the percentiles are rough. A control total's lines (`control_total.csv`) have its id in
//! `organisation` and the statistics [`CONTROL_TOTAL_KPIS`]: `control_limit` (pro rata for part
//! of a year), `control_spending` (the members' costs and payments net of payments between
//! them: their funding less their surplus) and `control_headroom` (limit less spending).
//!
//! Each file is written under a fresh temporary name (created exclusively, so nothing planted
//! at a predictable name is written through) and renamed when complete, so an interrupted run
//! never leaves a file that looks complete. For a folder that always holds one complete run
//! (never a mix of two, never a partial set), write into an [`OutputFolder`]'s staging folder
//! and commit it, as the examples do.
//!
//! A result merged from shards ([`merge_shard_files`](crate::merge_shard_files)) gives the
//! same files byte for byte as the same experiment run in one go, except `run.csv` (threads,
//! seconds and the `shards` row) and the time `report.html` says it was generated. Before the merge, [`write_shard_csv`] writes one shard's
//! rows of `replications.csv` for people to read.
//!
//! [`Report::write_html`] writes one self-contained HTML file (`report.html` in the examples'
//! output folders) to read offline or send on: no external resources, charts inline as SVG.
//!
//! | section | shows |
//! |---|---|
//! | (under the title) | the run's warnings ([`Report::warnings`]), when there are any: the scenario's, queues that grow throughout the window ([`stability`]), deadlocks, runs stopped early and packages that can never start |
//! | the scenario at a glance | the network diagram and each service's expected arrivals, mean stay, offered load and load over capacity from the traffic equations ([`Explanation`](crate::explain::Explanation)), beside the baseline's measured arrivals and mean occupancy; flagged services, contracts and what the equations leave out |
//! | summary | one variant: the system, each entry service and each service (means with intervals); with variants: each variant's paired difference from the baseline, in tables of at most four variants that each repeat the statistic and the baseline |
//! | occupancy over time | per service (baseline): daily occupancy, mean and 10–90% band across replications, capacity from the calendar, warm-up shaded (needs the daily series) |
//! | delayed discharges | delayed bed-days (waits for a place, for funding and in-bed assessments) by what was awaited and by the service holding the bed, means with interval whiskers; the split by reason per service when there is more than waits for a place |
//! | time in the emergency department | per emergency-department entry service: arrival-to-leaving times in 15-minute bins, all replications, with the threshold and the share over it |
//! | money | when the scenario books money: income, spending and surplus by organisation (baseline), and with variants each variant's change in surplus, £, with intervals; then a table of each organisation's probability of deficit per year and variant, with its interval and, for variants, the probability of being worse off than the baseline, and a chart of each organisation's surplus in every replication, per variant, with the deficit line at £0, the 5th to 95th percentiles and the probability of deficit over each column (control totals: their headroom and the probability of a breach); a warning below [`ROUGH_TAILS_BELOW`] replications |
//! | policy comparison | with variants: a forest plot of paired differences in headline statistics, as % of the baseline mean, with intervals |
//!
//! A tiny inline script, which the page does not need to display, checks on load that every
//! chart was drawn with data and records the result in `<body data-charts-ok="n/n">`, for
//! automated checks in a headless browser.

mod chart;
mod explanation;
mod folder;
mod html;
pub(crate) use html::fit_page;
mod network;
pub mod optimisation;
mod output_file;
mod risk;
mod risk_table;
mod shard_csv;
pub mod stability;
mod terminal;

pub use crate::observation::{
    ALL_YEARS, CARE_BUDGET_KPIS, CONTROL_TOTAL_KPIS, DELAY_KPIS, ENTRY_KPIS, FALLBACK_KPIS,
    FinanceLine, Key, LEDGER_TOTALS, Pairs, STEP_UP_KPI, SYSTEM_KPIS, SYSTEM_MONEY, Scope,
    delay_pairs, fallback_pairs, finance_lines, finance_value, observations,
};
pub use folder::{Committed, OutputFolder, RunLock};
pub use optimisation::{
    OPTIMISATION_FILES, OptimisationReport, check_decision_names, progress_text,
};
pub use risk::{HALF_PENNY, ROUGH_TAILS_BELOW, Risk, wilson};
pub use shard_csv::write_shard_csv;

use crate::{Error, Experiment, ExperimentResult, Statistic, Summary};
pub(crate) use chart::push_grouped;
pub(crate) use output_file::write_atomically as write_file_atomically;
use output_file::{OBSERVATION_COLUMNS, OutputFile, number};
use std::fmt;
use std::path::{Path, PathBuf};

/// What a report needs besides the results: a name for the scenario and a confidence level.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// The scenario folder or name.
    pub scenario: String,
    /// Confidence level of the intervals, e.g. 0.95.
    pub level: f64,
}

/// The results of an experiment, summarised and ready to write.
///
/// # Example
///
/// ```
/// use careflow::{Experiment, Plan, Report, RunInfo};
///
/// let mut experiment = Experiment::load("scenarios/erlang_b_ward")?;
/// experiment.variants_mut()[0].model.settings_mut().horizon_days = 300.0;
/// let result = experiment.run(&Plan::replications(5));
/// let info = RunInfo { scenario: "erlang_b_ward".into(), level: 0.95 };
/// let report = Report::new(&experiment, &result, info);
/// let occupancy = report.summary("baseline", "service", "ward", "mean_occupancy").unwrap();
/// assert!(occupancy.low() < occupancy.high());
/// # Ok::<(), careflow::Error>(())
/// ```
#[derive(Debug)]
pub struct Report<'a> {
    experiment: &'a Experiment,
    result: &'a ExperimentResult,
    info: RunInfo,
    keys: Vec<Key>,
    /// `values[v][r][k]`: statistic `k` of replication `r` of variant `v`.
    values: Vec<Vec<Vec<f64>>>,
    /// `summaries[v][k]`.
    summaries: Vec<Vec<Summary>>,
    /// `comparisons[v][k]`: paired difference variant `v` − baseline (empty for v = 0).
    comparisons: Vec<Vec<Summary>>,
    /// `risks[v][k]`: the spread of money statistic `k` of variant `v` across replications
    /// (`None` for statistics other than money).
    risks: Vec<Vec<Option<Risk>>>,
    /// `comparison_risks[v][k]`: the spread of the paired difference variant `v` − baseline
    /// of money statistic `k` (empty for v = 0).
    comparison_risks: Vec<Vec<Option<Risk>>>,
}

impl<'a> Report<'a> {
    /// Summarises `result`, which `experiment` produced.
    ///
    /// # Panics
    ///
    /// If `result` has no replications, or `info.level` is not strictly between 0 and 1.
    pub fn new(experiment: &'a Experiment, result: &'a ExperimentResult, info: RunInfo) -> Self {
        assert!(
            result.replications() > 0,
            "a report needs at least one replication"
        );
        let pairs = Pairs::of(result.results.iter().flatten());
        let finance = finance_lines(
            experiment
                .variants()
                .iter()
                .zip(&result.results)
                .flat_map(|(v, reps)| reps.iter().map(move |r| (&v.model, r))),
        );
        let entries = entry_indices(experiment);
        let mut keys = Vec::new();
        let values: Vec<Vec<Vec<f64>>> = experiment
            .variants()
            .iter()
            .zip(&result.results)
            .map(|(variant, reps)| {
                reps.iter()
                    .map(|r| {
                        let rows = observations(&variant.model, r, &entries, &pairs, &finance);
                        if keys.is_empty() {
                            keys = rows.iter().map(|(k, _)| k.clone()).collect();
                        }
                        rows.into_iter().map(|(_, v)| v).collect()
                    })
                    .collect()
            })
            .collect();
        let column = |v: usize, k: usize| -> Vec<f64> { values[v].iter().map(|r| r[k]).collect() };
        let summaries = (0..values.len())
            .map(|v| {
                (0..keys.len())
                    .map(|k| Summary::new(&column(v, k), info.level))
                    .collect()
            })
            .collect();
        // Paired by replication: the same seeds under common random numbers.
        let differences = |v: usize, k: usize| -> Vec<f64> {
            column(v, k)
                .iter()
                .zip(column(0, k))
                .map(|(x, b)| x - b)
                .collect()
        };
        let comparisons = (0..values.len())
            .map(|v| {
                if v == 0 {
                    return Vec::new();
                }
                (0..keys.len())
                    .map(|k| Summary::new(&differences(v, k), info.level))
                    .collect()
            })
            .collect();
        // Money only: its spread is what a deficit or a breach depends on. Money that is not
        // finite has no spread; check_money reports it before anything is written.
        let is_money = |k: usize, of: &[f64]| {
            keys[k].scope == Scope::Finance && of.iter().all(|x| x.is_finite())
        };
        let risks = (0..values.len())
            .map(|v| {
                (0..keys.len())
                    .map(|k| {
                        let of = column(v, k);
                        is_money(k, &of).then(|| Risk::new(&of, info.level))
                    })
                    .collect()
            })
            .collect();
        let comparison_risks = (0..values.len())
            .map(|v| {
                if v == 0 {
                    return Vec::new();
                }
                (0..keys.len())
                    .map(|k| {
                        let of = differences(v, k);
                        is_money(k, &of).then(|| Risk::new(&of, info.level))
                    })
                    .collect()
            })
            .collect();
        Report {
            experiment,
            result,
            info,
            keys,
            values,
            summaries,
            comparisons,
            risks,
            comparison_risks,
        }
    }

    fn key_index(&self, scope: &str, service: &str, kpi: &str) -> Option<usize> {
        self.keys.iter().position(|k| {
            k.scope.as_str() == scope
                && k.service == service
                && k.awaiting.is_empty()
                && k.kpi == kpi
        })
    }

    fn variant_index(&self, variant: &str) -> Option<usize> {
        self.result.names.iter().position(|n| n == variant)
    }

    fn finance_index(&self, year: &str, organisation: &str, kpi: &str) -> Option<usize> {
        // With one financial year observed, its lines are the totals: no `all` lines repeat
        // them in the files.
        let years = self.financial_years();
        let year = if year == ALL_YEARS && years.len() == 1 {
            years[0]
        } else {
            year
        };
        self.keys.iter().position(|k| {
            k.scope == Scope::Finance
                && k.awaiting == year
                && k.service == organisation
                && k.kpi == kpi
        })
    }

    /// The summary of statistic `k` of `variant`.
    fn summary_at(&self, variant: &str, k: Option<usize>) -> Option<&Summary> {
        Some(&self.summaries[self.variant_index(variant)?][k?])
    }

    /// The paired difference `variant − baseline` of statistic `k`; `None` for the baseline.
    fn comparison_at(&self, variant: &str, k: Option<usize>) -> Option<&Summary> {
        let v = self.variant_index(variant).filter(|&v| v > 0)?;
        Some(&self.comparisons[v][k?])
    }

    /// The financial years with money lines, in order ([`ALL_YEARS`] left out).
    pub fn financial_years(&self) -> Vec<&str> {
        let mut years: Vec<&str> = Vec::new();
        for k in self.keys.iter().filter(|k| k.scope == Scope::Finance) {
            if k.awaiting != ALL_YEARS && !years.contains(&k.awaiting.as_str()) {
                years.push(&k.awaiting);
            }
        }
        years
    }

    /// The summary of one money statistic of one variant: the financial year (`2026-27`, or
    /// [`ALL_YEARS`] for the totals over every year observed, one or several), the
    /// organisation (empty for the whole system) and the statistic (a
    /// [`Category`](crate::Category) name, `income`, `spending` or `surplus`, for a local
    /// authority with a care budget one of [`CARE_BUDGET_KPIS`]; for the system one of
    /// [`SYSTEM_MONEY`]). `None` for an unknown name or year.
    pub fn finance(
        &self,
        variant: &str,
        year: &str,
        organisation: &str,
        kpi: &str,
    ) -> Option<&Summary> {
        self.summary_at(variant, self.finance_index(year, organisation, kpi))
    }

    /// The paired difference `variant − baseline` of one money statistic (see
    /// [`finance`](Self::finance)); `None` for the baseline itself or an unknown name.
    pub fn finance_comparison(
        &self,
        variant: &str,
        year: &str,
        organisation: &str,
        kpi: &str,
    ) -> Option<&Summary> {
        self.comparison_at(variant, self.finance_index(year, organisation, kpi))
    }

    /// How one money statistic of one variant (named as in [`finance`](Self::finance)) is
    /// spread across replications: the probability it is below zero (for `surplus`, of a
    /// deficit; for `control_headroom`, of a breach) with its Wilson interval, and its 5th and
    /// 95th percentiles. Over the model's run-to-run variation for the given parameters, not
    /// over uncertainty in the parameters. `None` for an unknown name or year.
    pub fn finance_risk(
        &self,
        variant: &str,
        year: &str,
        organisation: &str,
        kpi: &str,
    ) -> Option<&Risk> {
        let v = self.variant_index(variant)?;
        self.risks[v][self.finance_index(year, organisation, kpi)?].as_ref()
    }

    /// How the paired difference `variant − baseline` of one money statistic is spread across
    /// replications (paired by replication under common random numbers): for `surplus`, the
    /// probability that the organisation is worse off under the variant, and the 5th and 95th
    /// percentiles of the change. `None` for the baseline itself or an unknown name.
    pub fn finance_comparison_risk(
        &self,
        variant: &str,
        year: &str,
        organisation: &str,
        kpi: &str,
    ) -> Option<&Risk> {
        let v = self.variant_index(variant).filter(|&v| v > 0)?;
        self.comparison_risks[v][self.finance_index(year, organisation, kpi)?].as_ref()
    }

    /// The financial year the printed tables show: [`ALL_YEARS`] when the window spans
    /// several, else the only one; `None` when no money is booked.
    fn headline_year(&self) -> Option<&str> {
        let years = self.keys.iter().filter(|k| k.scope == Scope::Finance);
        let mut first = None;
        for k in years {
            if k.awaiting == ALL_YEARS {
                return Some(ALL_YEARS);
            }
            first.get_or_insert(k.awaiting.as_str());
        }
        first
    }

    /// Organisations with money lines, in output order.
    fn ledger_organisations(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let ledgers = self
            .keys
            .iter()
            .filter(|k| k.scope == Scope::Finance && !CONTROL_TOTAL_KPIS.contains(&k.kpi));
        for k in ledgers {
            if !k.service.is_empty() && !names.contains(&k.service.as_str()) {
                names.push(&k.service);
            }
        }
        names
    }

    /// Every statistic's key, in output order.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The summary of one statistic of one variant: `scope` as in [`Scope::as_str`],
    /// `service` empty for the system. For names read at run time (a command line); in code,
    /// [`statistic`](Self::statistic) takes typed names.
    pub fn summary(
        &self,
        variant: &str,
        scope: &str,
        service: &str,
        kpi: &str,
    ) -> Option<&Summary> {
        self.summary_at(variant, self.key_index(scope, service, kpi))
    }

    /// The paired difference `variant − baseline` of one statistic; `None` for the baseline
    /// itself or an unknown name.
    pub fn comparison(
        &self,
        variant: &str,
        scope: &str,
        service: &str,
        kpi: &str,
    ) -> Option<&Summary> {
        self.comparison_at(variant, self.key_index(scope, service, kpi))
    }

    /// The summary of one statistic of one variant, addressed by typed names: a misspelt
    /// statistic is a compile error. `None` for an unknown variant or service.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{Experiment, Kpi, Plan, Report, RunInfo, Statistic};
    ///
    /// let mut experiment = Experiment::load("scenarios/erlang_b_ward")?;
    /// experiment.variants_mut()[0].model.settings_mut().horizon_days = 300.0;
    /// let result = experiment.run(&Plan::replications(3));
    /// let info = RunInfo { scenario: "erlang_b_ward".into(), level: 0.95 };
    /// let report = Report::new(&experiment, &result, info);
    /// let lost = report.statistic("baseline", Statistic::Service("ward", Kpi::Diverted)).unwrap();
    /// assert!(lost.mean > 0.0);
    /// # Ok::<(), careflow::Error>(())
    /// ```
    pub fn statistic(&self, variant: &str, statistic: Statistic<'_>) -> Option<&Summary> {
        let (scope, service, kpi) = statistic.names();
        self.summary(variant, scope, service, kpi)
    }

    /// The paired difference `variant − baseline` of one statistic addressed by typed names;
    /// `None` for the baseline itself or an unknown variant or service.
    pub fn statistic_comparison(
        &self,
        variant: &str,
        statistic: Statistic<'_>,
    ) -> Option<&Summary> {
        let (scope, service, kpi) = statistic.names();
        self.comparison(variant, scope, service, kpi)
    }

    /// Writes `replications.csv`, `summary.csv`, `comparison.csv` (with variants),
    /// `daily.csv` (when recorded) and `run.csv` into `dir`, creating it if needed. Returns
    /// the paths written.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if a file cannot be written; no partial file is left under a final
    /// name.
    pub fn write_csv(&self, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        self.check_money()?;
        std::fs::create_dir_all(dir).map_err(|source| Error::Output {
            path: dir.to_path_buf(),
            source,
        })?;
        let names = &self.result.names;
        let mut written = Vec::new();

        let mut f = OutputFile::create(dir, "replications.csv")?;
        f.row(OBSERVATION_COLUMNS)?;
        for (v, reps) in self.values.iter().enumerate() {
            for (r, values) in reps.iter().enumerate() {
                let rep = self.result.results[v][r].replication.to_string();
                for (k, value) in self.keys.iter().zip(values) {
                    f.observation(&names[v], &rep, k, *value)?;
                }
            }
        }
        written.push(f.finish()?);

        let mut f = OutputFile::create(dir, "summary.csv")?;
        f.row([
            "variant", "scope", "service", "awaiting", "kpi", "n", "mean", "sd", "ci_low",
            "ci_high", "level",
        ])?;
        for (v, summaries) in self.summaries.iter().enumerate() {
            for (k, s) in self.keys.iter().zip(summaries) {
                let (low, high) = interval(s);
                f.row([
                    names[v].as_str(),
                    k.scope.as_str(),
                    &k.service,
                    &k.awaiting,
                    k.kpi,
                    &s.n.to_string(),
                    &number(s.mean),
                    &number(s.sd),
                    &low,
                    &high,
                    &number(s.level),
                ])?;
            }
        }
        written.push(f.finish()?);

        if names.len() > 1 {
            let mut f = OutputFile::create(dir, "comparison.csv")?;
            f.row([
                "variant",
                "baseline",
                "scope",
                "service",
                "awaiting",
                "kpi",
                "n",
                "baseline_mean",
                "variant_mean",
                "difference",
                "sd",
                "ci_low",
                "ci_high",
                "level",
            ])?;
            for v in 1..names.len() {
                for (k, key) in self.keys.iter().enumerate() {
                    let d = &self.comparisons[v][k];
                    let (low, high) = interval(d);
                    f.row([
                        names[v].as_str(),
                        names[0].as_str(),
                        key.scope.as_str(),
                        &key.service,
                        &key.awaiting,
                        key.kpi,
                        &d.n.to_string(),
                        &number(self.summaries[0][k].mean),
                        &number(self.summaries[v][k].mean),
                        &number(d.mean),
                        &number(d.sd),
                        &low,
                        &high,
                        &number(d.level),
                    ])?;
                }
            }
            written.push(f.finish()?);
        }

        if self
            .result
            .results
            .iter()
            .flatten()
            .any(|r| !r.daily.is_empty())
        {
            written.push(self.write_daily(dir)?);
        }

        if self
            .experiment
            .variants()
            .iter()
            .any(|v| !v.overrides.is_empty())
        {
            written.push(self.write_effective(dir)?);
        }

        if self.keys.iter().any(|k| k.scope == Scope::Finance) {
            written.push(self.write_finance(dir)?);
        }

        let baseline = self.experiment.baseline().settings();
        let mut f = OutputFile::create(dir, "run.csv")?;
        f.row(["key", "value"])?;
        let precision = match &self.result.precision {
            Some((p, reached)) => format!(
                "{} {} {}: half-width within {}% of the mean at {}; reached {:.2}%",
                p.kpi.0,
                p.kpi.1,
                p.kpi.2,
                number(p.relative_half_width * 100.0),
                number(p.level),
                reached * 100.0
            ),
            None => String::new(),
        };
        for (k, v) in [
            ("scenario", self.info.scenario.clone()),
            ("careflow_version", env!("CARGO_PKG_VERSION").to_string()),
            ("seed", baseline.seed.to_string()),
            (
                "seeds",
                match self.result.seeds {
                    crate::Seeds::Common => "common random numbers".to_string(),
                    crate::Seeds::Independent => "independent".to_string(),
                },
            ),
            ("replications", self.result.replications().to_string()),
            ("variants", names.join(";")),
            ("start_date", baseline.start_date.to_string()),
            ("horizon_days", number(baseline.horizon_days)),
            ("warmup_days", number(baseline.warmup_days)),
            ("threads", self.result.threads.to_string()),
            ("seconds", format!("{:.3}", self.result.seconds)),
            (
                "events",
                self.result
                    .results
                    .iter()
                    .flatten()
                    .map(|r| r.events)
                    .sum::<u64>()
                    .to_string(),
            ),
            ("confidence_level", number(self.info.level)),
            ("precision", precision),
            (
                "partial_financial_years",
                self.partial_financial_years().unwrap_or_default(),
            ),
        ] {
            f.row([k, v.as_str()])?;
        }
        if let Some(shards) = self.result.shards {
            f.row(["shards", shards.to_string().as_str()])?;
        }
        for warning in self.warnings() {
            f.row(["warning", warning.as_str()])?;
        }
        written.push(f.finish()?);
        Ok(written)
    }

    /// Writes the report as one self-contained HTML file at `path` (creating its folder if
    /// needed): a title with the scenario, replications and dates, the summary tables and the
    /// charts as inline SVG (see the [module docs](self) for what each shows). It needs no
    /// network and no script to display. Returns the path written.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{Experiment, Model, Plan, Report, RunInfo};
    ///
    /// let mut model = Model::load("scenarios/baseline")?;
    /// model.settings_mut().horizon_days = 120.0; // shorter than the scenario's three years
    /// model.settings_mut().warmup_days = 30.0;
    /// let experiment = Experiment::new(model);
    /// let result = experiment.run(&Plan::replications(3));
    /// let info = RunInfo { scenario: "baseline".into(), level: 0.95 };
    /// let report = Report::new(&experiment, &result, info);
    /// let dir = std::env::temp_dir().join("careflow-doc-write-html");
    /// let path = report.write_html(&dir.join("report.html"))?;
    /// let html = std::fs::read_to_string(path).unwrap();
    /// assert!(html.contains("<svg") && html.contains("id=\"chart-occupancy-acute\""));
    /// # Ok::<(), careflow::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if a chart cannot be drawn or the file cannot be written; the file is
    /// written under a temporary name and renamed when complete, so no partial file is left
    /// under the final name.
    pub fn write_html(&self, path: &Path) -> Result<PathBuf, Error> {
        self.check_money()?;
        let page = html::page(self).map_err(|e| Error::Output {
            path: path.to_path_buf(),
            source: std::io::Error::other(e),
        })?;
        output_file::write_atomically(path, page.as_bytes())
    }

    /// Checks that every money amount of every replication's ledger is finite, as the loader's
    /// limits on amounts ensure; [`write_csv`](Self::write_csv) and
    /// [`write_html`](Self::write_html) check it first, and a program should before printing
    /// the report.
    ///
    /// # Errors
    ///
    /// [`Error::MoneyNotFinite`] for the first amount that is infinite or NaN.
    pub fn check_money(&self) -> Result<(), Error> {
        for ((name, reps), variant) in self
            .result
            .names
            .iter()
            .zip(&self.result.results)
            .zip(self.experiment.variants())
        {
            for r in reps {
                crate::ledger::check_replication_money(&variant.model, name, r)?;
            }
        }
        Ok(())
    }

    /// `finance.csv`: the money lines of every variant with their intervals and, for
    /// variants, the paired difference from the baseline.
    fn write_finance(&self, dir: &Path) -> Result<PathBuf, Error> {
        let mut f = OutputFile::create(dir, "finance.csv")?;
        f.row([
            "variant",
            "year",
            "organisation",
            "kpi",
            "n",
            "mean",
            "ci_low",
            "ci_high",
            "difference",
            "difference_ci_low",
            "difference_ci_high",
            "level",
            "p_below_zero",
            "p_below_zero_ci_low",
            "p_below_zero_ci_high",
            "p05",
            "p95",
            "difference_p_below_zero",
            "difference_p_below_zero_ci_low",
            "difference_p_below_zero_ci_high",
            "difference_p05",
            "difference_p95",
        ])?;
        let spread = |r: Option<&Risk>| -> [String; 5] {
            r.map_or_else(Default::default, |r| {
                [r.p_below_zero, r.p_low, r.p_high, r.p05, r.p95].map(number)
            })
        };
        for (v, name) in self.result.names.iter().enumerate() {
            for (k, key) in self.keys.iter().enumerate() {
                if key.scope != Scope::Finance {
                    continue;
                }
                let risk = spread(self.risks[v][k].as_ref());
                let difference_risk =
                    spread(self.comparison_risks[v].get(k).and_then(Option::as_ref));
                let s = &self.summaries[v][k];
                let (low, high) = interval(s);
                let (difference, d_low, d_high) = match self.comparisons[v].get(k) {
                    Some(d) => {
                        let (l, h) = interval(d);
                        (number(d.mean), l, h)
                    }
                    None => Default::default(),
                };
                f.row([
                    name.as_str(),
                    &key.awaiting,
                    &key.service,
                    key.kpi,
                    &s.n.to_string(),
                    &number(s.mean),
                    &low,
                    &high,
                    &difference,
                    &d_low,
                    &d_high,
                    &number(s.level),
                    &risk[0],
                    &risk[1],
                    &risk[2],
                    &risk[3],
                    &risk[4],
                    &difference_risk[0],
                    &difference_risk[1],
                    &difference_risk[2],
                    &difference_risk[3],
                    &difference_risk[4],
                ])?;
            }
        }
        f.finish()
    }

    /// `variants_effective.csv`: every cell each variant's overrides set, with the baseline's
    /// value, the override as written and the value the variant ran with.
    fn write_effective(&self, dir: &Path) -> Result<PathBuf, Error> {
        let mut f = OutputFile::create(dir, "variants_effective.csv")?;
        f.row([
            "variant",
            "file",
            "row",
            "column",
            "baseline",
            "expression",
            "effective",
        ])?;
        for variant in self.experiment.variants() {
            for o in &variant.overrides {
                f.row([
                    variant.name.as_str(),
                    &o.file,
                    &o.row,
                    &o.column,
                    &o.baseline,
                    &o.expression,
                    &o.effective,
                ])?;
            }
        }
        f.finish()
    }

    fn write_daily(&self, dir: &Path) -> Result<PathBuf, Error> {
        let mut f = OutputFile::create(dir, "daily.csv")?;
        f.row([
            "variant", "day", "date", "service", "measure", "mean", "p10", "p90",
        ])?;
        for (v, variant) in self.experiment.variants().iter().enumerate() {
            let reps = &self.result.results[v];
            let start = variant.model.settings().start_date;
            let services = variant.model.services();
            let rows = reps.iter().map(|r| r.daily.len()).min().unwrap_or(0);
            let mut values = Vec::with_capacity(reps.len());
            for i in 0..rows {
                let first = reps[0].daily[i];
                let date = start + chrono::Days::new(u64::from(first.day));
                type Measure = fn(&crate::DailyRecord) -> f64;
                let measures: [(&str, Measure); 6] = [
                    ("occupancy", |d| d.occupancy),
                    ("queue", |d| d.queue),
                    ("delayed", |d| d.delayed),
                    ("delayed_awaiting_place", |d| d.delayed_awaiting_place),
                    ("delayed_awaiting_funding", |d| d.delayed_awaiting_funding),
                    ("delayed_awaiting_assessment", |d| {
                        d.delayed_awaiting_assessment
                    }),
                ];
                for (measure, get) in measures {
                    values.clear();
                    values.extend(reps.iter().map(|r| get(&r.daily[i])));
                    let mean = values.iter().sum::<f64>() / values.len() as f64;
                    values.sort_by(f64::total_cmp);
                    f.row([
                        self.result.names[v].as_str(),
                        &first.day.to_string(),
                        &date.to_string(),
                        services[first.service.index()].name(),
                        measure,
                        &number(mean),
                        &number(quantile(&values, 0.1)),
                        &number(quantile(&values, 0.9)),
                    ])?;
                }
            }
        }
        f.finish()
    }

    /// The scenario's warnings (see [`Model::warnings`](crate::Model::warnings)): the
    /// baseline's, then those only a variant has, prefixed with its name; then the run's
    /// instabilities, each prefixed with its variant's name: a queue that grows throughout the
    /// observation window, with the service's offered load (the test: [`stability`]); then
    /// what went wrong while running, each prefixed with its variant's name: deadlocks
    /// ([`Deadlock`](crate::Deadlock)), runs stopped early (time stopped advancing, or an
    /// [`InvalidDraw`](crate::InvalidDraw)) and home-care packages that can never start
    /// ([`PackageNeverStarted`](crate::PackageNeverStarted)). They are printed, written to
    /// `run.csv` and shown under the HTML report's title.
    pub fn warnings(&self) -> Vec<String> {
        let variants = self.experiment.variants();
        let baseline = variants[0].model.warnings();
        let mut lines: Vec<String> = baseline.iter().map(ToString::to_string).collect();
        for v in &variants[1..] {
            for w in v.model.warnings().iter().filter(|w| !baseline.contains(w)) {
                lines.push(format!("variant '{}': {w}", v.name));
            }
        }
        lines.extend(stability::warnings(self.experiment, self.result));
        lines.extend(self.run_warnings());
        lines
    }

    /// What went wrong while running, each prefixed with its variant's name: deadlocks
    /// (circular blocking), runs stopped early (time stopped advancing, or a draw that was not
    /// a finite number of at least 0) and home-care packages that can never start; for each,
    /// how many replications and the first example.
    fn run_warnings(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (name, reps) in self.result.names.iter().zip(&self.result.results) {
            let stuck: Vec<&crate::ReplicationResult> =
                reps.iter().filter(|r| !r.deadlocks.is_empty()).collect();
            if let Some(first) = stuck.first() {
                let services = self.experiment.baseline().services();
                let d = &first.deadlocks[0];
                let names: Vec<&str> = d
                    .services
                    .iter()
                    .map(|s| services[s.index()].name())
                    .collect();
                lines.push(format!(
                    "{name}: {} of {} replications deadlocked (circular blocking), e.g. replication {} on day {:.1}: {}",
                    stuck.len(),
                    reps.len(),
                    first.replication,
                    d.time,
                    names.join(", ")
                ));
            }
        }
        for (name, reps) in self.result.names.iter().zip(&self.result.results) {
            let stalled: Vec<&crate::ReplicationResult> =
                reps.iter().filter(|r| r.stalled.is_some()).collect();
            if let Some(first) = stalled.first() {
                lines.push(format!(
                    "{name}: {} of {} replications stopped early: time stopped advancing on day {:.3} of replication {} (a loop of stays that take no time)",
                    stalled.len(),
                    reps.len(),
                    first.stalled.unwrap_or(0.0),
                    first.replication
                ));
            }
            let services = self.experiment.baseline().services();
            let invalid: Vec<&crate::ReplicationResult> =
                reps.iter().filter(|r| r.invalid_draw.is_some()).collect();
            if let Some(first) = invalid.first() {
                let d = first.invalid_draw.as_ref().expect("filtered on it");
                lines.push(format!(
                    "{name}: {} of {} replications stopped early: replication {} drew a {} of {} at service '{}' on day {:.3}, not a finite number of at least 0 (a careflow bug: please report it with the scenario)",
                    invalid.len(),
                    reps.len(),
                    first.replication,
                    d.draw.as_str(),
                    d.value,
                    services[d.service.index()].name(),
                    d.time
                ));
            }
            let never: Vec<&crate::ReplicationResult> = reps
                .iter()
                .filter(|r| !r.packages_never_started.is_empty())
                .collect();
            if let Some(first) = never.first() {
                let p = &first.packages_never_started[0];
                let unit = if services[p.service.index()].unit() == crate::CapacityUnit::Visits {
                    "visits on a day"
                } else {
                    "hours a week"
                };
                lines.push(format!(
                    "{name}: {} of {} replications have a home-care package that can never start, e.g. replication {} on day {:.1}: {:.1} {unit} at '{}', which has at most {} (it and those queued behind it wait for ever)",
                    never.len(),
                    reps.len(),
                    first.replication,
                    p.time,
                    p.hours,
                    services[p.service.index()].name(),
                    p.most_hours
                ));
            }
        }
        lines
    }

    fn fmt_single(&self, f: &mut fmt::Formatter<'_>, v: usize) -> fmt::Result {
        let model = &self.experiment.variants()[v].model;
        let settings = model.settings();
        let name = &self.result.names[v];
        let get = |scope: &str, service: &str, kpi: &str| {
            self.summary(name, scope, service, kpi)
                .expect("every reported statistic is summarised")
        };
        terminal::write_wrapped(
            f,
            &format!(
                "system: arrived {}, diverted {}, left {}, inside at start {} and at end {}",
                ci(get("system", "", "arrived"), 0),
                ci(get("system", "", "diverted"), 0),
                ci(get("system", "", "left"), 0),
                ci(get("system", "", "inside_at_start"), 0),
                ci(get("system", "", "inside_at_end"), 0),
            ),
            4,
        )?;
        // The arrival-to-leaving measure is the emergency department's 4-hour standard; the
        // CSV files have it for every entry service.
        for id in model.entry_services().into_iter().filter(|id| {
            model.services()[id.index()].kind() == crate::ServiceKind::EmergencyDepartment
        }) {
            let service = model.services()[id.index()].name();
            terminal::write_wrapped(
                f,
                &format!(
                    "entry {service}: {} patients, {}% spent over {} h from arrival to leaving (mean {} h); {} admitted onward, {} of them after over {} h (mean {} h from arrival to admission)",
                    ci(get("entry", service, "patients"), 0),
                    ci(
                        &scaled(get("entry", service, "share_over_threshold"), 100.0),
                        1
                    ),
                    settings.wait_threshold_hours,
                    ci(&scaled(get("entry", service, "mean_time_days"), 24.0), 2),
                    ci(get("entry", service, "admitted"), 0),
                    ci(get("entry", service, "admitted_over_threshold"), 0),
                    settings.wait_threshold_hours,
                    ci(
                        &scaled(get("entry", service, "mean_time_to_admission_days"), 24.0),
                        2
                    ),
                ),
                4,
            )?;
        }
        // Outcome measures of patient journeys, with care_settings.csv.
        if model.has_outcomes() {
            let outcome = |kpi: &str| get("outcome", "", kpi);
            writeln!(
                f,
                "outcomes: {}% of {} leaving reablement for home still at home 91 days later; {}% of {} discharges from hospital readmitted within 30 days, {} days at home in the 90 after; days delayed per patient who left: mean {}, 95th percentile {}, most {}",
                ci(&scaled(outcome("still_at_home_91_share"), 100.0), 1),
                ci(outcome("reablement_discharges"), 0),
                ci(&scaled(outcome("readmitted_30_share"), 100.0), 1),
                ci(outcome("hospital_discharges_30"), 0),
                ci(outcome("mean_days_at_home_90"), 1),
                ci(outcome("mean_delayed_days"), 2),
                ci(outcome("p95_delayed_days"), 2),
                ci(outcome("max_delayed_days"), 1),
            )?;
        }
        for (i, s) in model.services().iter().enumerate() {
            if !has_discharge_rule(self.experiment, i) {
                continue;
            }
            let service = s.name();
            terminal::write_wrapped(
                f,
                &format!(
                    "discharge from {service}: {} medically fit patients left, {} days from fit to leaving; delayed (no criteria to reside) bed-days {}: {} awaiting assessment, {} awaiting a place, {} awaiting funding",
                    ci(get("service", service, "fit_patients"), 0),
                    ci(get("service", service, "mean_fit_to_leave_days"), 2),
                    ci(get("service", service, "delayed_bed_days"), 0),
                    ci(
                        get("service", service, "delayed_bed_days_awaiting_assessment"),
                        0
                    ),
                    ci(
                        get("service", service, "delayed_bed_days_awaiting_place"),
                        0
                    ),
                    ci(
                        get("service", service, "delayed_bed_days_awaiting_funding"),
                        0
                    ),
                ),
                4,
            )?;
        }
        // Admission avoidance, by stream.
        for (k, key) in self.keys.iter().enumerate() {
            if key.scope == Scope::StepUp && self.summaries[v][k].mean != 0.0 {
                terminal::write_wrapped(
                    f,
                    &format!(
                        "step-up {}: {} admissions avoided",
                        key.service,
                        ci(&self.summaries[v][k], 0)
                    ),
                    4,
                )?;
            }
        }
        // Fallback placements, where any were made.
        let fallback_keys = self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.scope == Scope::Fallback && k.kpi == FALLBACK_KPIS[0]);
        for (k, key) in fallback_keys {
            let patients = &self.summaries[v][k];
            if patients.mean == 0.0 {
                continue;
            }
            let bed_days = self
                .keys
                .iter()
                .position(|b| {
                    b.scope == Scope::Fallback
                        && b.service == key.service
                        && b.awaiting == key.awaiting
                        && b.kpi == FALLBACK_KPIS[1]
                })
                .map(|b| &self.summaries[v][b])
                .expect("each fallback pair has its bed-days");
            terminal::write_wrapped(
                f,
                &format!(
                    "fallback {} -> {}: {} patients placed for want of a free place, {} bed-days",
                    key.service,
                    key.awaiting,
                    ci(patients, 0),
                    ci(bed_days, 0),
                ),
                4,
            )?;
        }
        writeln!(f)?;
        // Patients giving up a wait (patience.csv): a column only where some did.
        let reneging = model
            .services()
            .iter()
            .any(|s| self.any_mean("service", s.name(), "reneged"));
        let mut headings: Vec<String> = [
            "capacity".to_owned(),
            "mean\noccupancy".to_owned(),
            "utilisation\n%".to_owned(),
            "mean wait\n(d)".to_owned(),
            format!("waits\n> {} h", settings.wait_threshold_hours),
            "delayed\nbed-days".to_owned(),
            "diverted".to_owned(),
        ]
        .to_vec();
        if reneging {
            headings.push("reneged".to_owned());
        }
        let rows = model
            .services()
            .iter()
            .map(|s| {
                let service = s.name();
                let mut cells = vec![
                    format!("{:.0}", get("service", service, "mean_capacity").mean),
                    ci(get("service", service, "mean_occupancy"), 1),
                    ci(&scaled(get("service", service, "utilisation"), 100.0), 1),
                    ci(get("service", service, "mean_wait_days"), 2),
                    ci(get("service", service, "long_waits"), 0),
                    ci(get("service", service, "delayed_bed_days"), 0),
                    ci(get("service", service, "diverted"), 0),
                ];
                if reneging {
                    cells.push(ci(get("service", service, "reneged"), 0));
                }
                (service.to_owned(), cells)
            })
            .collect();
        terminal::Table {
            label_heading: "service".into(),
            headings,
            rows,
            repeat: 1,
        }
        .write(f)?;
        self.fmt_delay_reasons(f, name)?;
        if let Some(year) = self.headline_year() {
            let money = |organisation: &str, kpi: &str| {
                self.finance(name, year, organisation, kpi)
                    .map_or_else(String::new, |s| ci(s, 0))
            };
            let period = if year == ALL_YEARS {
                "all financial years observed".to_string()
            } else {
                format!("financial year {year}")
            };
            writeln!(f)?;
            writeln!(f, "money, £ ({period}):")?;
            terminal::Table {
                label_heading: "organisation".into(),
                headings: ["income", "spending", "surplus"].map(String::from).to_vec(),
                rows: self
                    .ledger_organisations()
                    .into_iter()
                    .map(|o| {
                        let cells = ["income", "spending", "surplus"].map(|k| money(o, k));
                        (o.to_owned(), cells.to_vec())
                    })
                    .collect(),
                repeat: 0,
            }
            .write(f)?;
            terminal::write_wrapped(
                f,
                &format!(
                    "system: funding {}, care costs {} (variable) and {} (fixed), surplus {}",
                    money("", "funding"),
                    money("", "care_costs"),
                    money("", "capacity_costs"),
                    money("", "surplus"),
                ),
                4,
            )?;
            self.fmt_care_budgets(f, name)?;
            self.fmt_risk(f)?;
        }
        Ok(())
    }

    /// When the scenario books money and the baseline's observation window covers some
    /// financial year only in part, those years as `2027-28: 1 of 366 days; …`.
    fn partial_financial_years(&self) -> Option<String> {
        if self
            .experiment
            .variants()
            .iter()
            .all(|v| v.model.finance().is_empty())
        {
            return None;
        }
        let cut = self
            .experiment
            .baseline()
            .settings()
            .partial_financial_years();
        (!cut.is_empty()).then(|| {
            cut.iter()
                .map(|y| {
                    format!(
                        "{}: {} of {} days",
                        y.label,
                        number(y.end - y.start),
                        number(y.year_days)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    /// Local authorities with a care budget, in output order.
    fn care_budget_organisations(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for k in self.keys.iter().filter(|k| k.scope == Scope::Finance) {
            if k.kpi == CARE_BUDGET_KPIS[0] && !names.contains(&k.service.as_str()) {
                names.push(&k.service);
            }
        }
        names
    }

    /// Each care budget in each financial year observed: budget, committed and left.
    fn fmt_care_budgets(&self, f: &mut fmt::Formatter<'_>, variant: &str) -> fmt::Result {
        let organisations = self.care_budget_organisations();
        if organisations.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        writeln!(f, "care budget, £ (whole financial years):")?;
        let mut rows = Vec::new();
        for organisation in organisations {
            for year in self.financial_years() {
                let money = |kpi: &str| {
                    self.finance(variant, year, organisation, kpi)
                        .map_or_else(String::new, |s| ci(s, 0))
                };
                rows.push((
                    organisation.to_owned(),
                    vec![
                        year.to_owned(),
                        money(CARE_BUDGET_KPIS[0]),
                        money(CARE_BUDGET_KPIS[1]),
                        money(CARE_BUDGET_KPIS[2]),
                    ],
                ));
            }
        }
        terminal::Table {
            label_heading: "local authority".into(),
            headings: ["year", "budget", "committed", "left"]
                .map(String::from)
                .to_vec(),
            rows,
            repeat: 1,
        }
        .write(f)
    }

    /// The services whose delayed bed-days had more than one reason in some variant, each with
    /// the reasons that occurred (suffixes of [`DELAY_REASON_KPIS`]), in service order.
    fn delay_reasons(&self) -> Vec<(&str, Vec<&'static str>)> {
        let model = self.experiment.baseline();
        model
            .services()
            .iter()
            .filter_map(|s| {
                let reasons: Vec<&'static str> = DELAY_REASON_KPIS
                    .into_iter()
                    .filter(|&kpi| self.any_mean("service", s.name(), kpi))
                    .collect();
                (reasons.len() > 1 || reasons.iter().any(|&r| r != DELAY_REASON_KPIS[0]))
                    .then_some((s.name(), reasons))
            })
            .collect()
    }

    /// The split of delayed bed-days by reason, for services where patients waited for more
    /// than a place; nothing when every delay was a wait for a place.
    fn fmt_delay_reasons(&self, f: &mut fmt::Formatter<'_>, variant: &str) -> fmt::Result {
        let services = self.delay_reasons();
        if services.is_empty() {
            return Ok(());
        }
        let get = |service: &str, kpi: &str| {
            ci(
                self.summary(variant, "service", service, kpi)
                    .expect("every reported statistic is summarised"),
                0,
            )
        };
        writeln!(f)?;
        terminal::Table {
            label_heading: "delayed bed-days".into(),
            headings: [
                "total",
                "awaiting a place",
                "awaiting funding",
                "awaiting assessment",
            ]
            .map(String::from)
            .to_vec(),
            rows: services
                .into_iter()
                .map(|(service, _)| {
                    let cells = [
                        get(service, "delayed_bed_days"),
                        get(service, DELAY_REASON_KPIS[0]),
                        get(service, DELAY_REASON_KPIS[1]),
                        get(service, DELAY_REASON_KPIS[2]),
                    ];
                    (service.to_owned(), cells.to_vec())
                })
                .collect(),
            repeat: 0,
        }
        .write(f)
    }

    /// The rows of the comparison table, as (label, statistic index, decimal digits).
    fn comparison_rows(&self) -> Vec<(String, usize, usize)> {
        let model = self.experiment.baseline();
        let reasons = self.delay_reasons();
        let mut rows: Vec<(String, usize, usize)> = Vec::new();
        let mut push = |label: String, scope: &str, service: &str, kpi: &str, digits: usize| {
            if let Some(k) = self.key_index(scope, service, kpi) {
                rows.push((label, k, digits));
            }
        };
        push("system: diverted".into(), "system", "", "diverted", 0);
        // The arrival-to-leaving measure is the emergency department's 4-hour standard; the
        // CSV files have it for every entry service.
        for id in model.entry_services().into_iter().filter(|id| {
            model.services()[id.index()].kind() == crate::ServiceKind::EmergencyDepartment
        }) {
            let s = model.services()[id.index()].name();
            push(
                format!("{s}: share over threshold"),
                "entry",
                s,
                "share_over_threshold",
                4,
            );
        }
        for (i, s) in model.services().iter().enumerate() {
            let s = s.name();
            push(
                format!("{s}: mean occupancy"),
                "service",
                s,
                "mean_occupancy",
                1,
            );
            push(
                format!("{s}: mean wait (days)"),
                "service",
                s,
                "mean_wait_days",
                3,
            );
            push(
                format!("{s}: delayed bed-days"),
                "service",
                s,
                "delayed_bed_days",
                0,
            );
            if let Some((_, kpis)) = reasons.iter().find(|(name, _)| *name == s) {
                for &kpi in kpis {
                    let reason = kpi
                        .trim_start_matches("delayed_bed_days_")
                        .replace('_', " ");
                    push(
                        format!("{s}: delayed bed-days {reason}"),
                        "service",
                        s,
                        kpi,
                        0,
                    );
                }
            }
            // Patients giving up a wait (patience.csv): only where some did.
            if self.any_mean("service", s, "reneged") {
                push(format!("{s}: reneged"), "service", s, "reneged", 0);
            }
            if has_discharge_rule(self.experiment, i) {
                push(
                    format!("{s}: days from fit to leaving"),
                    "service",
                    s,
                    "mean_fit_to_leave_days",
                    2,
                );
            }
        }
        if let Some(year) = self.headline_year() {
            for organisation in self.ledger_organisations() {
                for kpi in ["income", "surplus"] {
                    if let Some(k) = self.finance_index(year, organisation, kpi) {
                        rows.push((format!("money {year}: {organisation} {kpi} (£)"), k, 0));
                    }
                }
            }
            if let Some(k) = self.finance_index(year, "", "surplus") {
                rows.push((format!("money {year}: system surplus (£)"), k, 0));
            }
            for organisation in self.care_budget_organisations() {
                for year in self.financial_years() {
                    if let Some(k) = self.finance_index(year, organisation, CARE_BUDGET_KPIS[2]) {
                        rows.push((
                            format!("money {year}: {organisation} care budget left (£)"),
                            k,
                            0,
                        ));
                    }
                }
            }
        }
        rows
    }

    /// Whether any variant's mean of a statistic is non-zero.
    fn any_mean(&self, scope: &str, service: &str, kpi: &str) -> bool {
        self.key_index(scope, service, kpi)
            .is_some_and(|k| self.summaries.iter().any(|v| v[k].mean != 0.0))
    }

    /// The comparison table: for each headline statistic, the baseline mean and each
    /// variant's paired difference with its interval; `*` marks intervals that exclude 0.
    fn fmt_comparison(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What each variant ran with, so that a relative value's result is never a surprise.
        let mut any = false;
        for variant in self.experiment.variants() {
            for o in &variant.overrides {
                let baseline = if o.baseline.is_empty() {
                    "(empty)"
                } else {
                    &o.baseline
                };
                let how = if o.expression == o.effective {
                    String::new()
                } else {
                    format!(" ({})", o.expression)
                };
                terminal::write_wrapped(
                    f,
                    &format!(
                        "{}: {} row '{}' column '{}': {baseline} → {}{how}",
                        variant.name, o.file, o.row, o.column, o.effective
                    ),
                    4,
                )?;
                any = true;
            }
        }
        if any {
            writeln!(f)?;
        }
        // One column per variant after the baseline's; blocks of columns that fit the
        // terminal, each repeating the statistic and the baseline.
        let names = &self.result.names;
        let rows = self
            .comparison_rows()
            .into_iter()
            .map(|(label, k, digits)| {
                let mut cells = vec![ci(&self.summaries[0][k], digits)];
                for v in 1..names.len() {
                    let d = &self.comparisons[v][k];
                    let significant = d.half_width.is_some_and(|h| d.mean.abs() > h);
                    let mark = if significant { "*" } else { " " };
                    cells.push(format!("{}{mark}", ci(d, digits)));
                }
                (label, cells)
            })
            .collect();
        let mut headings = vec![names[0].clone()];
        headings.extend(
            names[1..]
                .iter()
                .map(|name| format!("{name}\n− {}", names[0])),
        );
        terminal::Table {
            label_heading: "statistic".into(),
            headings,
            rows,
            repeat: 1,
        }
        .write(f)?;
        writeln!(
            f,
            "\n* the {}% interval of the paired difference excludes 0",
            (self.info.level * 100.0).round()
        )?;
        self.fmt_risk(f)
    }
}

impl fmt::Display for Report<'_> {
    /// A table people can read at a glance: for a single variant, the system, each entry
    /// service and each service as means with confidence intervals; with variants, the
    /// paired differences against the baseline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = self.experiment.baseline().settings();
        let pct = (self.info.level * 100.0).round();
        terminal::write_wrapped(
            f,
            &format!(
                "{}: {} replications × {} days after {} days warm-up, seed {} ({} threads, {:.2} s); means ± {pct}% CI half-width",
                self.info.scenario,
                self.result.replications(),
                settings.horizon_days - settings.warmup_days,
                settings.warmup_days,
                settings.seed,
                self.result.threads,
                self.result.seconds,
            ),
            4,
        )?;
        writeln!(f)?;
        for warning in self.warnings() {
            writeln!(f, "warning: {warning}")?;
        }
        if let Some(cut) = self.partial_financial_years() {
            writeln!(
                f,
                "warning: the observation window covers financial years only in part: {cut}; their money is for part of a year (set observe_financial_years in settings.csv, e.g. 2028-29, to observe whole years)"
            )?;
        }
        if self.result.names.len() == 1 {
            self.fmt_single(f, 0)
        } else {
            self.fmt_comparison(f)
        }
    }
}

/// The entry services of any variant (service indices, sorted), so that every replication of
/// every variant reports the same entry statistics.
fn entry_indices(experiment: &Experiment) -> Vec<usize> {
    let mut entries: Vec<usize> = experiment
        .variants()
        .iter()
        .flat_map(|v| v.model.entry_services())
        .map(|s| s.index())
        .collect();
    entries.sort_unstable();
    entries.dedup();
    entries
}

/// The service statistics that split `delayed_bed_days` by reason; they add up to it.
pub const DELAY_REASON_KPIS: [&str; 3] = [
    "delayed_bed_days_awaiting_place",
    "delayed_bed_days_awaiting_funding",
    "delayed_bed_days_awaiting_assessment",
];

/// Whether some class has a discharge rule at service `index` in any variant.
fn has_discharge_rule(experiment: &Experiment, index: usize) -> bool {
    let service = crate::ServiceId(index as u32);
    experiment.variants().iter().any(|v| {
        (0..v.model.classes().len()).any(|c| {
            v.model
                .discharge_rule(crate::ClassId(c as u32), service)
                .is_some()
        })
    })
}

/// The files a run may write into its output folder (an optimisation's included:
/// [`OPTIMISATION_FILES`]).
pub const RESULT_FILES: [&str; 11] = [
    "replications.csv",
    "summary.csv",
    "comparison.csv",
    "variants_effective.csv",
    "daily.csv",
    "finance.csv",
    "run.csv",
    "report.html",
    OPTIMISATION_FILES[0],
    OPTIMISATION_FILES[1],
    OPTIMISATION_FILES[2],
];

/// The result files already in `dir`.
fn existing_results(dir: &Path) -> Vec<&'static str> {
    RESULT_FILES
        .into_iter()
        .filter(|name| dir.join(name).exists())
        .collect()
}

/// Refuses an output folder that already holds results of a run, unless `overwrite`: a new
/// run must not be mistaken for, or mixed with, an earlier one. A new or empty folder is fine.
///
/// # Errors
///
/// [`Error::Usage`] naming the result files found.
pub fn check_output_folder(dir: &Path, overwrite: bool) -> Result<(), Error> {
    let existing = existing_results(dir);
    if existing.is_empty() || overwrite {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{} already holds results ({}); pass --overwrite to replace them, or --out another folder",
        dir.display(),
        existing.join(", ")
    )))
}

fn interval(s: &Summary) -> (String, String) {
    match s.half_width {
        Some(_) => (number(s.low()), number(s.high())),
        None => (String::new(), String::new()),
    }
}

fn ci(s: &Summary, digits: usize) -> String {
    match s.half_width {
        Some(h) => format!("{:.*} ± {:.*}", digits, s.mean, digits, h),
        None => format!("{:.*}", digits, s.mean),
    }
}

fn scaled(s: &Summary, by: f64) -> Summary {
    Summary {
        mean: s.mean * by,
        sd: s.sd * by,
        half_width: s.half_width.map(|h| h * by),
        ..*s
    }
}

/// The `q` quantile of sorted `values` by linear interpolation between order statistics
/// (Hyndman & Fan type 7, the default of R and numpy).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - h.floor()) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let xs = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile(&xs, 0.1) - 1.4).abs() < 1e-12);
        assert!((quantile(&xs, 0.9) - 7.6).abs() < 1e-12);
        assert_eq!(quantile(&[5.0], 0.9), 5.0);
    }
}
