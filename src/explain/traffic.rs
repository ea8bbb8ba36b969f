//! The traffic equations: patients a day at each (class, service, step), solved class by
//! class.

use super::{
    Entry, ExplainError, Flow, FlowKind, MAX_ARRIVALS_PER_DAY, MAX_PLACES_PER_CLASS, ServiceLoad,
};
use crate::{CapacityUnit, ClassId, Destination, DischargeModel, Model, ServiceId};

/// A residual larger than this share of the largest rate means the solution is not to be
/// trusted.
const RESIDUAL: f64 = 1e-6;

/// A pivot smaller than this means the equations are singular (patients never leave).
const PIVOT: f64 = 1e-12;

/// A place patients of one class occupy in one way: a regular stay at a service, or the
/// interim (discharge-to-assess) stay for one predicted pathway.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) class: ClassId,
    pub(crate) service: ServiceId,
    /// Mean stay, days.
    pub(crate) stay: f64,
    /// Mean hours a week a package needs (1 at services counted in places).
    pub(crate) hours: f64,
    pub(crate) moves: Vec<Move>,
}

/// Where patients leaving a node go, with what probability.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Move {
    /// The node they go to; `None` out of the system.
    pub(crate) to: Option<usize>,
    pub(crate) probability: f64,
    pub(crate) kind: FlowKind,
}

/// The solved equations.
#[derive(Debug)]
pub(crate) struct Solved {
    pub(crate) nodes: Vec<Node>,
    /// Patients a day seeking each node.
    pub(crate) rates: Vec<f64>,
    /// Of those, from outside (streams and elective lists).
    pub(crate) outside: Vec<f64>,
}

/// The nodes of `model`: class `c`'s regular stay at service `s` is node `c × services + s`;
/// interim stays follow.
fn nodes(model: &Model) -> Vec<Node> {
    let n_services = model.services().len();
    let regular = |class: ClassId, destination: Destination| match destination {
        Destination::Exit => None,
        Destination::Service(s) => Some(class.index() * n_services + s.index()),
    };
    let hours = |class: ClassId, service: ServiceId| match model.services()[service.index()].unit()
    {
        CapacityUnit::Hours => model
            .package_hours(class, service)
            .map_or(0.0, |h| h.mean()),
        // Visits a day over a package, falling linearly from the initial to the final rate:
        // their mean, before each day's rounding to whole visits.
        CapacityUnit::Visits => model
            .visit_rates(class, service)
            .map_or(0.0, |r| (r.initial().mean() + r.last().mean()) / 2.0),
        CapacityUnit::Places => 1.0,
    };
    // Interim stays, numbered after the regular ones: (class, rule's service, predicted
    // pathway, interim service).
    let mut interim: Vec<(ClassId, ServiceId, usize, ServiceId)> = Vec::new();
    for c in 0..model.classes().len() {
        let class = ClassId(c as u32);
        for s in 0..n_services {
            let service = ServiceId(s as u32);
            let Some(rule) = model.discharge_rule(class, service) else {
                continue;
            };
            for (p, share) in rule.pathway_probabilities().into_iter().enumerate() {
                if let (DischargeModel::DischargeToAssess, Some(at), true) =
                    (rule.model(), rule.pathway(p).interim, share > 0.0)
                {
                    interim.push((class, service, p, at));
                }
            }
        }
    }
    let first_interim = model.classes().len() * n_services;
    let interim_node = |class: ClassId, service: ServiceId, p: usize| {
        interim
            .iter()
            .position(|&(c, s, q, _)| (c, s, q) == (class, service, p))
            .map(|k| first_interim + k)
    };
    let readmit = |class: ClassId, service: ServiceId, pathway: Option<usize>, share: f64| {
        let rule = model
            .readmission(class, service, pathway)
            .or_else(|| pathway.and_then(|_| model.readmission(class, service, None)));
        rule.map(|r| Move {
            to: regular(class, Destination::Service(r.to())),
            probability: share * r.probability(),
            kind: FlowKind::Readmission,
        })
    };
    let mut nodes = Vec::with_capacity(first_interim + interim.len());
    for c in 0..model.classes().len() {
        let class = ClassId(c as u32);
        for s in 0..n_services {
            let service = ServiceId(s as u32);
            // The loader checks every (class, service) a patient can reach has a stay; one
            // nobody reaches gets no flow, so its stay does not count.
            let mut stay = model
                .length_of_stay(class, service)
                .map_or(0.0, |l| l.mean());
            let mut moves = Vec::new();
            match model.discharge_rule(class, service) {
                None => {
                    for (destination, p) in model.routing(class, service).probabilities() {
                        moves.push(Move {
                            to: regular(class, destination),
                            probability: p,
                            kind: FlowKind::Route,
                        });
                    }
                    moves.extend(readmit(class, service, None, 1.0));
                }
                Some(rule) => {
                    if rule.model() == DischargeModel::AssessInHospital {
                        stay += rule.assessment().mean();
                    }
                    for (p, share) in rule.pathway_probabilities().into_iter().enumerate() {
                        if share <= 0.0 {
                            continue;
                        }
                        let to = interim_node(class, service, p)
                            .or_else(|| regular(class, rule.pathway(p).destination));
                        moves.push(Move {
                            to,
                            probability: share,
                            kind: FlowKind::Route,
                        });
                        moves.extend(readmit(class, service, Some(p), share));
                    }
                }
            }
            nodes.push(Node {
                class,
                service,
                stay,
                hours: hours(class, service),
                moves,
            });
        }
    }
    // Interim stays: the assessment, then the actual pathway found there.
    for &(class, rule_at, predicted, at) in &interim {
        let rule = model
            .discharge_rule(class, rule_at)
            .expect("interim stays come from a discharge rule");
        let mut moves = Vec::new();
        let mut previous = 0.0;
        for (q, &cumulative) in rule.actual[predicted].iter().enumerate() {
            let share = cumulative - previous;
            previous = cumulative;
            if share > 0.0 {
                moves.push(Move {
                    to: regular(class, rule.pathway(q).destination),
                    probability: share,
                    kind: FlowKind::Route,
                });
            }
        }
        moves.extend(readmit(class, at, None, 1.0));
        nodes.push(Node {
            class,
            service: at,
            stay: rule.assessment().mean(),
            hours: hours(class, at),
            moves,
        });
    }
    nodes
}

/// The mean rate of `stream`, patients a day, over the observation window.
fn stream_rate(model: &Model, stream: &crate::ArrivalStream) -> f64 {
    let settings = model.settings();
    let multiplier = stream.profile().map_or(1.0, |p| {
        model
            .profile(p)
            .mean_multiplier(settings.warmup_days, settings.horizon_days)
    });
    stream.rate_per_day() * multiplier
}

/// Mean arrivals a day from outside at each node, over the observation window.
fn outside(model: &Model, n_nodes: usize) -> Vec<f64> {
    let n_services = model.services().len();
    let mut a = vec![0.0; n_nodes];
    for stream in model.arrivals() {
        a[stream.class().index() * n_services + stream.service().index()] +=
            stream_rate(model, stream);
    }
    for list in model.electives() {
        a[list.class().index() * n_services + list.service().index()] +=
            f64::from(list.count()) / 7.0;
    }
    a
}

/// Solves the traffic equations of every class.
pub(crate) fn solve(model: &Model) -> Result<Solved, ExplainError> {
    let nodes = nodes(model);
    let outside = outside(model, nodes.len());
    let mut rates = vec![0.0; nodes.len()];
    for c in 0..model.classes().len() {
        let class = ClassId(c as u32);
        solve_class(model, &nodes, &outside, class, &mut rates)?;
    }
    Ok(Solved {
        nodes,
        rates,
        outside,
    })
}

/// The nodes reachable from `starts` along moves that `follow` accepts.
fn reach(
    n: usize,
    starts: impl IntoIterator<Item = usize>,
    next: impl Fn(usize) -> Vec<usize>,
) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut stack: Vec<usize> = starts.into_iter().collect();
    for &s in &stack {
        seen[s] = true;
    }
    while let Some(i) = stack.pop() {
        for j in next(i) {
            if !seen[j] {
                seen[j] = true;
                stack.push(j);
            }
        }
    }
    seen
}

/// The names of the services of `nodes`, in id order, each once.
fn service_names(model: &Model, all: &[Node], nodes: impl Iterator<Item = usize>) -> Vec<String> {
    let mut ids: Vec<ServiceId> = nodes.map(|i| all[i].service).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.iter()
        .map(|s| model.services()[s.index()].name().to_owned())
        .collect()
}

fn solve_class(
    model: &Model,
    nodes: &[Node],
    outside: &[f64],
    class: ClassId,
    rates: &mut [f64],
) -> Result<(), ExplainError> {
    let n = nodes.len();
    let class_name = || model.classes()[class.index()].name().to_owned();
    let sources = (0..n).filter(|&i| nodes[i].class == class && outside[i] > 0.0);
    let reached = reach(n, sources, |i| {
        nodes[i]
            .moves
            .iter()
            .filter(|m| m.probability > 0.0)
            .filter_map(|m| m.to)
            .collect()
    });
    // Which nodes can lead out of the system by routes (readmissions add patients, they do
    // not take any away).
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut exits = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        for m in node
            .moves
            .iter()
            .filter(|m| m.kind == FlowKind::Route && m.probability > 0.0)
        {
            match m.to {
                Some(j) => into[j].push(i),
                None => exits.push(i),
            }
        }
    }
    let leaves = reach(n, exits, |j| into[j].clone());
    let stuck: Vec<usize> = (0..n).filter(|&i| reached[i] && !leaves[i]).collect();
    if !stuck.is_empty() {
        return Err(ExplainError::NeverLeaves {
            class: class_name(),
            services: service_names(model, nodes, stuck.into_iter()),
        });
    }
    let index: Vec<usize> = (0..n).filter(|&i| reached[i]).collect();
    if index.is_empty() {
        return Ok(());
    }
    let m = index.len();
    if m > MAX_PLACES_PER_CLASS {
        return Err(ExplainError::TooLarge {
            class: class_name(),
            places: m,
        });
    }
    let mut position = vec![usize::MAX; n];
    for (k, &i) in index.iter().enumerate() {
        position[i] = k;
    }
    // (I − Pᵀ) λ = a, on the nodes reached.
    let mut matrix = vec![vec![0.0; m]; m];
    for (k, &i) in index.iter().enumerate() {
        matrix[k][k] += 1.0;
        for mv in &nodes[i].moves {
            if let Some(j) = mv.to {
                matrix[position[j]][k] -= mv.probability;
            }
        }
    }
    let a: Vec<f64> = index.iter().map(|&i| outside[i]).collect();
    let on_cycle = || {
        // Nodes that can come back to themselves: where a loop keeps patients.
        let cyclic = index.iter().copied().filter(|&i| {
            let next =
                |k: usize| -> Vec<usize> { nodes[k].moves.iter().filter_map(|m| m.to).collect() };
            reach(n, next(i), next)[i]
        });
        service_names(model, nodes, cyclic)
    };
    let Some(x) = gaussian(matrix.clone(), a.clone()) else {
        return Err(ExplainError::Singular {
            class: class_name(),
            services: on_cycle(),
        });
    };
    // Check the solution: finite, positive where patients go, and solving the equations.
    let largest = x.iter().fold(0.0_f64, |acc, v| acc.max(v.abs()));
    let residual = (0..m)
        .map(|r| (matrix[r].iter().zip(&x).map(|(c, v)| c * v).sum::<f64>() - a[r]).abs())
        .fold(0.0_f64, f64::max);
    // NaN residuals fail the comparison, and so the check.
    let solved = residual <= RESIDUAL * largest.max(1.0);
    if !largest.is_finite() || !solved {
        return Err(ExplainError::Singular {
            class: class_name(),
            services: on_cycle(),
        });
    }
    let negative: Vec<usize> = (0..m)
        .filter(|&k| x[k].partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
        .map(|k| index[k])
        .collect();
    if !negative.is_empty() {
        return Err(ExplainError::Multiplies {
            class: class_name(),
            services: service_names(model, nodes, negative.into_iter()),
        });
    }
    for (k, &i) in index.iter().enumerate() {
        rates[i] = x[k];
    }
    Ok(())
}

/// Solves `matrix · x = b` by Gaussian elimination with partial pivoting; `None` when a pivot
/// is below [`PIVOT`] (relative to the row's scale).
fn gaussian(mut matrix: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let m = b.len();
    for col in 0..m {
        let pivot =
            (col..m).max_by(|&r, &s| matrix[r][col].abs().total_cmp(&matrix[s][col].abs()))?;
        if matrix[pivot][col].abs().partial_cmp(&PIVOT) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        matrix.swap(col, pivot);
        b.swap(col, pivot);
        for r in col + 1..m {
            let factor = matrix[r][col] / matrix[col][col];
            if factor == 0.0 {
                continue;
            }
            let (above, below) = matrix.split_at_mut(r);
            for (target, source) in below[0][col..].iter_mut().zip(&above[col][col..]) {
                *target -= factor * source;
            }
            b[r] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; m];
    for r in (0..m).rev() {
        let sum: f64 = (r + 1..m).map(|c| matrix[r][c] * x[c]).sum();
        x[r] = (b[r] - sum) / matrix[r][r];
    }
    Some(x)
}

/// Each service's load from the solved equations.
pub(crate) fn loads(model: &Model, solved: &Solved) -> Result<Vec<ServiceLoad>, ExplainError> {
    let settings = model.settings();
    let mut out = Vec::with_capacity(model.services().len());
    for (s, service) in model.services().iter().enumerate() {
        let id = ServiceId(s as u32);
        let at: Vec<usize> = (0..solved.nodes.len())
            .filter(|&i| solved.nodes[i].service == id)
            .collect();
        let arrivals: f64 = at.iter().map(|&i| solved.rates[i]).sum();
        if arrivals.is_nan() || arrivals > MAX_ARRIVALS_PER_DAY {
            return Err(ExplainError::TooManyArrivals {
                service: service.name().to_owned(),
                arrivals,
            });
        }
        let from_outside: f64 = at.iter().map(|&i| solved.outside[i]).sum();
        let readmissions: f64 = solved
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, node)| node.moves.iter().map(move |m| (i, m)))
            .filter(|(_, m)| m.kind == FlowKind::Readmission)
            .filter(|(_, m)| m.to.is_some_and(|j| solved.nodes[j].service == id))
            .map(|(i, m)| solved.rates[i] * m.probability)
            .sum();
        let place_days: f64 = at
            .iter()
            .map(|&i| solved.rates[i] * solved.nodes[i].stay)
            .sum();
        let hour_days: f64 = at
            .iter()
            .map(|&i| solved.rates[i] * solved.nodes[i].stay * solved.nodes[i].hours)
            .sum();
        let hours = service.unit() == CapacityUnit::Hours;
        let offered_load = if service.unit() == CapacityUnit::Places {
            place_days
        } else {
            hour_days
        };
        let capacity = mean_capacity(model, id, settings.warmup_days, settings.horizon_days);
        out.push(ServiceLoad {
            service: id,
            name: service.name().to_owned(),
            kind: service.kind(),
            unit: service.unit(),
            provider: model.organisations()[service.provider().index()]
                .name()
                .to_owned(),
            capacity,
            arrivals_per_day: arrivals,
            from_outside_per_day: from_outside,
            readmissions_per_day: readmissions,
            mean_stay_days: (arrivals > 0.0).then(|| place_days / arrivals),
            mean_package_hours: (hours && place_days > 0.0).then(|| hour_days / place_days),
            offered_load,
            load_ratio: (capacity > 0.0).then(|| offered_load / capacity),
        });
    }
    Ok(out)
}

/// The planned capacity of `service` (base and capacity calendar, no escalation), mean over
/// `[from, to)`.
fn mean_capacity(model: &Model, service: ServiceId, from: f64, to: f64) -> f64 {
    let mut capacity = f64::from(model.services()[service.index()].capacity());
    let mut since = f64::NEG_INFINITY;
    let mut total = 0.0;
    let mut add = |start: f64, end: f64, capacity: f64| {
        let (a, b) = (start.max(from), end.min(to));
        if b > a {
            total += (b - a) * capacity;
        }
    };
    for change in model.calendar().iter().filter(|c| c.service == service) {
        let t = change.time.max(0.0);
        add(since, t, capacity);
        since = t;
        capacity = f64::from(change.capacity);
    }
    add(since, f64::INFINITY, capacity);
    if to > from {
        total / (to - from)
    } else {
        capacity
    }
}

/// Flows between services and out, all classes together.
pub(crate) fn flows(model: &Model, solved: &Solved, loads: &[ServiceLoad]) -> Vec<Flow> {
    let mut flows: Vec<Flow> = Vec::new();
    for (i, node) in solved.nodes.iter().enumerate() {
        let rate = solved.rates[i];
        if rate <= 0.0 {
            continue;
        }
        for m in &node.moves {
            let per_day = rate * m.probability;
            if per_day <= 0.0 {
                continue;
            }
            let to = m.to.map(|j| solved.nodes[j].service);
            match flows
                .iter_mut()
                .find(|f| f.from == node.service && f.to == to && f.kind == m.kind)
            {
                Some(f) => f.per_day += per_day,
                None => flows.push(Flow {
                    from: node.service,
                    to,
                    kind: m.kind,
                    per_day,
                    probability: 0.0,
                }),
            }
        }
    }
    for f in &mut flows {
        f.probability = f.per_day / loads[f.from.index()].arrivals_per_day;
    }
    // By leaving service, destination (exit last), routes first.
    let n = model.services().len();
    flows.sort_by_key(|f| (f.from, f.to.map_or(n, ServiceId::index), f.kind));
    flows
}

/// Arrivals from outside by entry service.
pub(crate) fn entries(model: &Model) -> Vec<Entry> {
    let mut entries: Vec<Entry> = model
        .entry_services()
        .into_iter()
        .map(|service| Entry {
            service,
            streams_per_day: 0.0,
            electives_per_day: 0.0,
            step_up: Vec::new(),
        })
        .collect();
    let entry = |entries: &[Entry], service: ServiceId| {
        entries
            .iter()
            .position(|e| e.service == service)
            .expect("every stream's and list's service is an entry service")
    };
    for (i, stream) in model.arrivals().iter().enumerate() {
        let k = entry(&entries, stream.service());
        let step_up = model.step_up(crate::StreamId(i as u32));
        let e = &mut entries[k];
        e.streams_per_day += stream_rate(model, stream);
        if let Some(step_up) = step_up
            && !e.step_up.contains(&step_up)
        {
            e.step_up.push(step_up);
        }
    }
    for list in model.electives() {
        let k = entry(&entries, list.service());
        entries[k].electives_per_day += f64::from(list.count()) / 7.0;
    }
    // Services entered only by readmissions, or as a step-up service, are not listed.
    entries.retain(|e| {
        model.arrivals().iter().any(|a| a.service() == e.service)
            || model.electives().iter().any(|l| l.service() == e.service)
    });
    entries
}
