#!/usr/bin/env python3
"""Writes the files of scenarios/ipacs_bnssg from the IPACS model's published inputs in
scenarios/ipacs_bnssg/validation/ (nodes.csv, los.csv, arrivals_by_date.csv).

Run from the repository root: python3 scripts/ipacs_scenario.py
Bed nodes (P2, P3) and visit-based home care (P1); everything written is plain data, nothing
is computed but the layout and P1's visit slots a day (caseload × the mean of the mean initial
and final visit rates, 2.5).
"""
import csv
import math
import os
from statistics import NormalDist

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios", "ipacs_bnssg")
VALIDATION = os.path.join(ROOT, "validation")
BED_NODES = ["P2_B", "P2_NS", "P2_SG", "P3_B", "P3_NS", "P3_SG"]
VISIT_NODES = ["P1_B", "P1_NS", "P1_SG"]
NODES = BED_NODES + VISIT_NODES
CLASS = "discharged"
# Scenario combinations (Context and scope v1.0, figure 10) beyond scenario 1, the baseline:
# (capacity column of nodes.csv, los.csv scenario, arrivals column suffix).
VARIANTS = {
    "scenario_2": ("capacity_baseline", "Blos", "S1Arr"),
    "scenario_6": ("capacity_baseline", "S2los", "S1Arr"),
    "scenario_10": ("capacity_unrestricted", "S1los", "S1Arr"),
    "scenario_12": ("capacity_unrestricted", "S2los", "S1Arr"),
}


# Not the documented behaviour: the rule inferred from the model's own pathway 1 outputs
# (README "Pathway 1"). A P1 stay above this quantile of its lognormal is redrawn
# (`truncate_max`); variants scenario_N_p1_tail_cut apply it to scenario N.
P1_TAIL_QUANTILE = 0.88


def p1_tail_cut(median, mean):
    """The stay, in days, at P1_TAIL_QUANTILE of the lognormal with this median and mean."""
    sigma = math.sqrt(2 * math.log(mean / median))
    return round(median * math.exp(sigma * NormalDist().inv_cdf(P1_TAIL_QUANTILE)), 2)


def sid(node):
    return node.lower()


def read(name):
    with open(os.path.join(VALIDATION, name), newline="") as f:
        return list(csv.DictReader(f))


def write(name, header, rows, comments=()):
    with open(os.path.join(ROOT, name), "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for c in comments:
            f.write(f"# {c}\n")
        for r in rows:
            f.write(",".join(str(v) for v in r) + "\n")


nodes = {r["node"]: r for r in read("nodes.csv")}
los = {(r["node"], r["scenario"]): r for r in read("los.csv")}
arrivals = read("arrivals_by_date.csv")


def visits_per_patient(n):
    """The mean of the mean initial and final visits a day of node n (the same in every
    los.csv scenario)."""
    rates = {(float(r["initial_visits_per_day"]), float(r["final_visits_per_day"]))
             for (node, _), r in los.items() if node == n}
    assert len(rates) == 1, rates
    initial, final = rates.pop()
    return (initial + final) / 2


def capacity(n, column):
    """Beds, or for P1 visit slots a day: the caseload × visits a day per patient, whole
    slots (visits are whole, so 177.5 slots hold what 177 hold)."""
    places = int(nodes[n][column])
    return int(places * visits_per_patient(n)) if n in VISIT_NODES else places


def kind(n):
    return {"P1": "reablement", "P2": "community_bed", "P3": "care_home"}[n[:2]]

write("services.csv", ["id", "kind", "provider", "capacity", "waiting_list", "transfers_wait",
                       "when_full", "queue_discipline", "unit", "booking"],
      [[sid(n), kind(n), "care_homes" if n.startswith("P3") else "community_health",
        capacity(n, "capacity_baseline"), "unlimited", "waiting_list", "waiting_list", "fifo",
        "visits" if n in VISIT_NODES else "",
        "whole_sequence" if n in VISIT_NODES else ""]
       for n in NODES],
      ["Pathway 2 (community rehabilitation beds) and pathway 3 (care home beds) for Bristol (b),",
       "North Somerset (ns) and South Gloucestershire (sg): baseline beds from validation/nodes.csv.",
       "No one is turned away: a referral finding every bed taken waits (in an acute bed, outside",
       "this model) and the longest waiter takes the next bed free.",
       "Pathway 1 (home-based support) counts visit slots a day: the caseload of nodes.csv × 2.5,",
       "the mean of the mean initial (4) and final (1) visits a day; 71 × 2.5 = 177.5 is 177, as",
       "visits are whole. A patient starts only when the whole sequence of their visits fits."])
write("arrivals.csv", ["id", "class", "service", "rate_per_day", "profile"],
      [[f"{sid(n)}_referrals", CLASS, sid(n), 1, f"{sid(n)}_barr"] for n in NODES],
      ["rate_per_day 1: each date's mean referrals are the period multipliers of the stream's",
       "profile (profile_periods.csv), one period per date, as validation/arrivals_by_date.csv",
       "gives them."])
periods = []
for suffix in ["BArr", "S1Arr"]:
    for n in NODES:
        for r in arrivals:
            periods.append([f"{sid(n)}_{suffix.lower()}", r["date"], r["date"],
                            r[f"{n}_{suffix}"]])
write("profile_periods.csv", ["profile", "from", "to", "multiplier"], periods,
      ["Mean referrals per day for each date, 1 January to 30 June 2023: *_barr the baseline,",
       "*_s1arr the 40% improvement towards the referral target (scenarios 2 to 12)."])
write("los.csv", ["class", "service", "distribution", "median", "mean", "truncate_min",
                 "truncate_max", "round"],
      [[CLASS, sid(n), "lognormal", los[(n, "Blos")]["median_days"], los[(n, "Blos")]["mean_days"],
        1 if n in VISIT_NODES else "", "", "nearest" if n in VISIT_NODES else ""]
       for n in NODES],
      ["Baseline lengths of stay (Blos): lognormal by median and mean, mu = ln(median),",
       "sigma^2 = 2 ln(mean/median); continuous for beds, as the model draws bed stays; rounded",
       "to whole days with zero-day stays redrawn for pathway 1, as the model draws visit runs."])
# The model draws each P1 patient's initial visits a day from a normal (mean 4, sd 0.5) and
# final from a normal (mean 1, sd 0.5), each rounded. careflow has no normal distribution:
# the rounded normal's probabilities, to 3 decimals, as 1000 observations (a final rate of -1,
# probability 0.0013, counts as 0).
ROUNDED = {"initial": {2: 1, 3: 157, 4: 684, 5: 157, 6: 1},
           "final": {0: 158, 1: 684, 2: 157, 3: 1}}
os.makedirs(os.path.join(ROOT, "visit_rates"), exist_ok=True)
for which, counts in ROUNDED.items():
    assert sum(counts.values()) == 1000
    with open(os.path.join(ROOT, "visit_rates", f"{which}.csv"), "w", newline="") as f:
        f.write("days\n")
        for value, count in counts.items():
            f.write(f"{value}\n" * count)
write("visit_rates.csv", ["class", "service", "rate", "distribution", "file"],
      [[CLASS, sid(n), which, "empirical", f"visit_rates/{which}.csv"]
       for n in VISIT_NODES for which in ROUNDED],
      ["Pathway 1 visits a day on a patient's first and last day: the model's rounded normals",
       "(initial mean 4, final mean 1, sd 0.5), as observations in visit_rates/ (the column is",
       "named days, as every observation file's is; here it holds visits a day)."])
write("census.csv", ["service", "class", "occupied", "queued", "residual_rule"],
      [[sid(n), CLASS, nodes[n]["initial_occupancy"], nodes[n]["initial_queue"], "ipacs_uniform"]
       for n in NODES],
      ["Initial occupancy and queue on 1 January 2023. The queue are real patients, first in the",
       "FIFO line. ipacs_uniform: a remaining stay Uniform(1, L), L a fresh stay, as the model;",
       "the comparison (examples/ipacs.rs) also runs residual_rule conditional (the equilibrium",
       "residual; pathway 1 keeps ipacs_uniform: a patient's day in their visit run follows from",
       "it). P2_SG and P3_B start above their beds: they admit no one until below."])
write("calendar.csv", ["service", "from", "to", "capacity"],
      [[sid(n), "2023-01-01", "2023-01-01", 0] for n in BED_NODES],
      ["Day 0 admits no one beyond the census's occupants: capacity 0 on 1 January, so the",
       "initial queue and day 0's referrals take free beds from day 1 (the base capacity comes",
       "back at the end of the day). No one is evicted: the census is over-full for that day.",
       "Pathway 1 has no such day: the model's outputs show its initial queue starting at once."])
write("costs.csv", ["service", "basis", "rate"],
      [[sid(n), "visit" if n in VISIT_NODES else "bed_day", nodes[n]["community_cost_per_day"]]
       for n in NODES],
      ["Community cost per occupied bed-day (pathway 1: per visit), validation/nodes.csv.",
       "The model's other cost, £346 per day a patient waits in an acute bed, has no bed here",
       "to book it on: the comparison adds it from the mean number waiting."])
rows = []
for name, (cap, los_s, arr) in VARIANTS.items():
    for n in NODES:
        if cap != "capacity_baseline":
            rows.append([name, "services.csv", sid(n), "capacity", capacity(n, cap)])
        if los_s != "Blos":
            rows.append([name, "los.csv", f"{CLASS}/{sid(n)}", "median", los[(n, los_s)]["median_days"]])
            rows.append([name, "los.csv", f"{CLASS}/{sid(n)}", "mean", los[(n, los_s)]["mean_days"]])
        rows.append([name, "arrivals.csv", f"{sid(n)}_referrals", "profile", f"{sid(n)}_{arr.lower()}"])
# A measurement of the published outputs' artefact (the initial queue is a count, not
# patients): scenario 1 with the initial queue never admitted.
for n in BED_NODES:
    rows.append(["scenario_1_queue_never_admitted", "census.csv", f"{sid(n)}/{CLASS}", "queued", 0])
# The inferred pathway 1 rule (not documented): each published combination with P1 stays above
# P1_TAIL_QUANTILE redrawn.
for name, (_, los_s, _) in {"scenario_1": (None, "Blos", None), **VARIANTS}.items():
    cut = f"{name}_p1_tail_cut"
    rows.extend([cut] + r[1:] for r in list(rows) if r[0] == name)
    for n in VISIT_NODES:
        stay = los[(n, los_s)]
        rows.append([cut, "los.csv", f"{CLASS}/{sid(n)}", "truncate_max",
                     p1_tail_cut(float(stay["median_days"]), float(stay["mean_days"]))])
write("variants.csv", ["variant", "file", "row", "column", "value"], rows,
      ["The published scenario combinations; the baseline is scenario 1 (baseline capacity,",
       "lengths of stay and referrals). 2: referrals improved (S1Arr). 6: and interim lengths of",
       "stay (S2los). 10: unrestricted capacity (2000 beds), target lengths of stay (S1los),",
       "S1Arr. 12: unrestricted capacity, S2los, S1Arr. scenario_1_queue_never_admitted is no",
       "published scenario: it measures an artefact of the model's code (see README.md).",
       "scenario_N_p1_tail_cut: NOT the documented behaviour but the rule inferred from the",
       "model's own pathway 1 outputs (README.md, Pathway 1): scenario N with each P1 stay",
       f"above the {P1_TAIL_QUANTILE:.2f} quantile of its lognormal redrawn (truncate_max)."])
