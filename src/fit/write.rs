//! Writing a fitted scenario as a scenario folder, with the fit's tables beside it in
//! `fit/`.

use super::{Chosen, FitOptions, ScenarioFit};
use crate::Error;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// The files a scenario folder written by the fit may hold: a folder holding any of them is
/// not written over.
const WRITTEN: [&str; 14] = [
    "settings.csv",
    "organisations.csv",
    "services.csv",
    "classes.csv",
    "arrivals.csv",
    "profile_hours.csv",
    "profile_weekdays.csv",
    "profile_periods.csv",
    "los.csv",
    "routes.csv",
    "census_patients.csv",
    "stays",
    "fit",
    "fit_report.html",
];

/// Rows of one CSV file being written.
struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Csv {
    fn new(header: &[&str]) -> Self {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(header)
            .expect("writing to memory cannot fail");
        Csv { writer }
    }

    fn row<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(&mut self, fields: I) {
        self.writer
            .write_record(fields)
            .expect("writing to memory cannot fail");
    }

    fn save(self, path: &Path) -> Result<(), Error> {
        let bytes = self
            .writer
            .into_inner()
            .expect("writing to memory cannot fail");
        std::fs::write(path, bytes).map_err(|source| Error::Output {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// A number as written: its shortest exact form.
fn num(x: f64) -> String {
    format!("{x}")
}

/// An interval's ends, or empty cells where it is not known.
fn ends(e: &super::Estimate) -> [String; 2] {
    if e.low.is_finite() && e.high.is_finite() {
        [num(e.low), num(e.high)]
    } else {
        [String::new(), String::new()]
    }
}

impl ScenarioFit {
    /// The date the written scenario starts: the extract's last day.
    pub fn start_date(&self) -> NaiveDate {
        self.window.1.date()
    }

    /// Writes the scenario into `folder` (created if needed; refused if it already holds
    /// any of the files written), with the fit's tables in `folder/fit/`: `stays.csv`
    /// (every family's fit and intervals), `arrivals.csv`, `routes.csv` and `warnings.txt`;
    /// and the fit report, `fit_report.html` ([`report_html`](Self::report_html)).
    ///
    /// # Errors
    ///
    /// [`Error::Output`] when a file cannot be written or the folder already holds a
    /// scenario; [`Error::Usage`] when `services_from` has no `services.csv` or
    /// `organisations.csv`.
    pub fn write_scenario(&self, folder: &Path, options: &FitOptions) -> Result<(), Error> {
        let output = |path: &Path, source| Error::Output {
            path: path.to_path_buf(),
            source,
        };
        if let Some(taken) = WRITTEN.iter().map(|f| folder.join(f)).find(|p| p.exists()) {
            return Err(output(
                &taken,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "already there: write the fitted scenario into a new or empty folder",
                ),
            ));
        }
        for dir in [folder.to_path_buf(), folder.join("fit")] {
            std::fs::create_dir_all(&dir).map_err(|e| output(&dir, e))?;
        }
        let start_date = self.start_date();

        let mut settings = Csv::new(&["key", "value"]);
        settings.row(["start_date", &start_date.format("%Y-%m-%d").to_string()]);
        settings.row(["horizon_days", &num(options.horizon_days)]);
        settings.row(["warmup_days", "0"]);
        settings.row(["seed", "1"]);
        settings.row(["replications", &options.replications.to_string()]);
        settings.save(&folder.join("settings.csv"))?;

        match &options.services_from {
            Some(from) => {
                for file in ["services.csv", "organisations.csv"] {
                    let source = from.join(file);
                    std::fs::copy(&source, folder.join(file)).map_err(|e| {
                        Error::Usage(format!(
                            "{}: cannot copy the services from it: {e}",
                            source.display()
                        ))
                    })?;
                }
            }
            None => {
                let mut organisations = Csv::new(&["id", "kind"]);
                organisations.row(["provider", "acute_trust"]);
                organisations.save(&folder.join("organisations.csv"))?;
                let mut services = Csv::new(&[
                    "id",
                    "kind",
                    "provider",
                    "capacity",
                    "waiting_list",
                    "transfers_wait",
                    "when_full",
                ]);
                for (id, peak) in &self.services {
                    let capacity = (*peak).max(1).to_string();
                    services.row([
                        id.as_str(),
                        "other",
                        "provider",
                        &capacity,
                        "unlimited",
                        "in_bed",
                        "waiting_list",
                    ]);
                }
                services.save(&folder.join("services.csv"))?;
            }
        }

        let mut classes = Csv::new(&["id"]);
        for c in &self.classes {
            classes.row([c]);
        }
        classes.save(&folder.join("classes.csv"))?;

        let mut arrivals = Csv::new(&["id", "class", "service", "rate_per_day", "profile"]);
        let mut hours = Csv::new(&["profile", "hour", "multiplier"]);
        let mut weekdays = Csv::new(&["profile", "weekday", "multiplier"]);
        let mut periods = Csv::new(&["profile", "from", "to", "multiplier"]);
        let (mut any_hours, mut any_weekdays, mut any_periods) = (false, false, false);
        const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        for s in &self.streams {
            let profiled = s.hours.is_some() || s.weekdays.is_some() || s.months.is_some();
            let profile = if profiled { s.id.as_str() } else { "" };
            arrivals.row([&s.id, &s.class, &s.service, &num(s.rate.value), profile]);
            if let Some(m) = &s.hours {
                any_hours = true;
                for (h, x) in m.iter().enumerate() {
                    hours.row([&s.id, &h.to_string(), &num(*x)]);
                }
            }
            if let Some(m) = &s.weekdays {
                any_weekdays = true;
                for (d, x) in WEEKDAYS.iter().zip(m) {
                    weekdays.row([s.id.as_str(), d, &num(*x)]);
                }
            }
            for &(month, x) in s.months.iter().flatten() {
                any_periods = true;
                let (from, to) = month_after(start_date, month);
                periods.row([
                    s.id.clone(),
                    from.format("%Y-%m-%d").to_string(),
                    to.format("%Y-%m-%d").to_string(),
                    num(x),
                ]);
            }
        }
        arrivals.save(&folder.join("arrivals.csv"))?;
        if any_hours {
            hours.save(&folder.join("profile_hours.csv"))?;
        }
        if any_weekdays {
            weekdays.save(&folder.join("profile_weekdays.csv"))?;
        }
        if any_periods {
            periods.save(&folder.join("profile_periods.csv"))?;
        }

        let mut los = Csv::new(&[
            "class",
            "service",
            "distribution",
            "mean",
            "sd",
            "shape",
            "scale",
            "file",
        ]);
        let mut table = Csv::new(&[
            "class",
            "service",
            "episodes",
            "ended",
            "zero",
            "open",
            "family",
            "chosen",
            "log_likelihood",
            "aic",
            "ks_distance",
            "ks_critical",
            "mean",
            "mean_low",
            "mean_high",
            "parameter",
            "value",
            "low",
            "high",
        ]);
        let mut empirical = 0;
        for f in &self.stays {
            let mut cells = vec![String::new(); 5];
            match &f.chosen {
                Chosen::Family(_) => {
                    let best = f.best().expect("a chosen family was fitted");
                    for (name, e) in &best.parameters {
                        let column = match *name {
                            "mean" => 0,
                            "sd" => 1,
                            "shape" => 2,
                            _ => 3,
                        };
                        cells[column] = num(e.value);
                    }
                    los.row(
                        [f.class.as_str(), &f.service, best.family.as_str()]
                            .into_iter()
                            .map(str::to_owned)
                            .chain(cells),
                    );
                }
                Chosen::Empirical(observed) => {
                    empirical += 1;
                    let file = format!("stays/stays_{empirical}.csv");
                    let dir = folder.join("stays");
                    std::fs::create_dir_all(&dir).map_err(|e| output(&dir, e))?;
                    let mut days = Csv::new(&["days"]);
                    for d in observed {
                        days.row([num(*d)]);
                    }
                    days.save(&folder.join(&file))?;
                    cells[4] = file;
                    los.row(
                        [f.class.as_str(), &f.service, "empirical"]
                            .into_iter()
                            .map(str::to_owned)
                            .chain(cells),
                    );
                }
            }
            let critical = super::stays::ks_critical(f.ended);
            for (family, result) in &f.families {
                let chosen = f.best().is_some_and(|b| b.family == *family);
                let head = [
                    f.class.clone(),
                    f.service.clone(),
                    f.episodes.to_string(),
                    f.ended.to_string(),
                    f.zero.to_string(),
                    f.censored.to_string(),
                    family.as_str().to_owned(),
                    chosen.to_string(),
                ];
                match result {
                    Ok(fit) => {
                        for (name, e) in &fit.parameters {
                            let [mean_low, mean_high] = ends(&fit.mean);
                            let [low, high] = ends(e);
                            table.row(head.iter().cloned().chain([
                                num(fit.log_likelihood),
                                num(fit.aic),
                                num(fit.ks),
                                num(critical),
                                num(fit.mean.value),
                                mean_low,
                                mean_high,
                                (*name).to_owned(),
                                num(e.value),
                                low,
                                high,
                            ]));
                        }
                    }
                    Err(why) => {
                        let mut row: Vec<String> = head.to_vec();
                        row.extend(std::iter::repeat_n(String::new(), 7));
                        row.push(format!("not fitted: {why:?}"));
                        row.extend(std::iter::repeat_n(String::new(), 3));
                        table.row(row);
                    }
                }
            }
        }
        los.save(&folder.join("los.csv"))?;
        table.save(&folder.join("fit").join("stays.csv"))?;

        let mut routes = Csv::new(&["class", "service", "next", "probability"]);
        let mut route_table = Csv::new(&[
            "class",
            "service",
            "next",
            "count",
            "total",
            "probability",
            "low",
            "high",
        ]);
        for r in &self.routes {
            routes.row([&r.class, &r.service, &r.next, &num(r.probability.value)]);
            let [low, high] = ends(&r.probability);
            route_table.row([
                r.class.clone(),
                r.service.clone(),
                r.next.clone(),
                r.count.to_string(),
                r.total.to_string(),
                num(r.probability.value),
                low,
                high,
            ]);
        }
        routes.save(&folder.join("routes.csv"))?;
        route_table.save(&folder.join("fit").join("routes.csv"))?;

        let mut stream_table = Csv::new(&[
            "id",
            "class",
            "service",
            "arrivals",
            "rate_per_day",
            "low",
            "high",
            "hours_p",
            "weekdays_p",
            "months_p",
        ]);
        let p = |x: Option<f64>| x.map(num).unwrap_or_default();
        for s in &self.streams {
            let [low, high] = ends(&s.rate);
            stream_table.row([
                s.id.clone(),
                s.class.clone(),
                s.service.clone(),
                s.arrivals.to_string(),
                num(s.rate.value),
                low,
                high,
                p(s.hours_p),
                p(s.weekdays_p),
                p(s.months_p),
            ]);
        }
        stream_table.save(&folder.join("fit").join("arrivals.csv"))?;

        if !self.census.is_empty() {
            let mut census = Csv::new(&["patient", "service", "class", "elapsed_days", "fit"]);
            for c in &self.census {
                census.row([
                    c.patient.clone(),
                    c.service.clone(),
                    c.class.clone(),
                    c.elapsed_days.map(num).unwrap_or_default(),
                    if c.fit { "true" } else { "false" }.to_owned(),
                ]);
            }
            census.save(&folder.join("census_patients.csv"))?;
        }

        let report = folder.join("fit_report.html");
        let page = self.report_html()?;
        std::fs::write(&report, page).map_err(|e| output(&report, e))?;

        let warnings = folder.join("fit").join("warnings.txt");
        let mut text = self.warnings.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        std::fs::write(&warnings, text).map_err(|e| output(&warnings, e))
    }
}

/// The first and last day of the first `month` (1–12) whose end is on or after `start`.
fn month_after(start: NaiveDate, month: u32) -> (NaiveDate, NaiveDate) {
    let year = if month >= start.month() {
        start.year()
    } else {
        start.year() + 1
    };
    let from = NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month");
    let to = from
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .expect("months end within chrono's range");
    (from, to)
}
