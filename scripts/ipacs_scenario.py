#!/usr/bin/env python3
"""Writes the files of scenarios/ipacs_bnssg from the IPACS model's published inputs in
scenarios/ipacs_bnssg/validation/ (nodes.csv, los.csv, arrivals_by_date.csv).

Run from the repository root: python3 scripts/ipacs_scenario.py
The bed nodes only (P2, P3); everything written is plain data, nothing is computed but the
layout.
"""
import csv
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios", "ipacs_bnssg")
VALIDATION = os.path.join(ROOT, "validation")
NODES = ["P2_B", "P2_NS", "P2_SG", "P3_B", "P3_NS", "P3_SG"]
CLASS = "discharged"
# Scenario combinations (Context and scope v1.0, figure 10) beyond scenario 1, the baseline:
# (capacity column of nodes.csv, los.csv scenario, arrivals column suffix).
VARIANTS = {
    "scenario_2": ("capacity_baseline", "Blos", "S1Arr"),
    "scenario_6": ("capacity_baseline", "S2los", "S1Arr"),
    "scenario_10": ("capacity_unrestricted", "S1los", "S1Arr"),
    "scenario_12": ("capacity_unrestricted", "S2los", "S1Arr"),
}


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

write("services.csv", ["id", "kind", "provider", "capacity", "waiting_list", "transfers_wait",
                       "when_full", "queue_discipline"],
      [[sid(n), "community_bed" if n.startswith("P2") else "care_home",
        "community_health" if n.startswith("P2") else "care_homes",
        nodes[n]["capacity_baseline"], "unlimited", "waiting_list", "waiting_list", "fifo"]
       for n in NODES],
      ["Pathway 2 (community rehabilitation beds) and pathway 3 (care home beds) for Bristol (b),",
       "North Somerset (ns) and South Gloucestershire (sg): baseline beds from validation/nodes.csv.",
       "No one is turned away: a referral finding every bed taken waits (in an acute bed, outside",
       "this model) and the longest waiter takes the next bed free."])
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
write("los.csv", ["class", "service", "distribution", "median", "mean"],
      [[CLASS, sid(n), "lognormal", los[(n, "Blos")]["median_days"], los[(n, "Blos")]["mean_days"]]
       for n in NODES],
      ["Baseline lengths of stay (Blos): lognormal by median and mean, mu = ln(median),",
       "sigma^2 = 2 ln(mean/median); continuous, as the model draws bed stays."])
write("census.csv", ["service", "class", "occupied", "queued", "residual_rule"],
      [[sid(n), CLASS, nodes[n]["initial_occupancy"], nodes[n]["initial_queue"], "ipacs_uniform"]
       for n in NODES],
      ["Initial occupancy and queue on 1 January 2023. The queue are real patients, first in the",
       "FIFO line. ipacs_uniform: a remaining stay Uniform(1, L), L a fresh stay, as the model;",
       "the comparison (examples/ipacs.rs) also runs residual_rule conditional (the equilibrium",
       "residual). P2_SG and P3_B start above their beds: they admit no one until below."])
write("calendar.csv", ["service", "from", "to", "capacity"],
      [[sid(n), "2023-01-01", "2023-01-01", 0] for n in NODES],
      ["Day 0 admits no one beyond the census's occupants: capacity 0 on 1 January, so the",
       "initial queue and day 0's referrals take free beds from day 1 (the base capacity comes",
       "back at the end of the day). No one is evicted: the census is over-full for that day."])
write("costs.csv", ["service", "basis", "rate"],
      [[sid(n), "bed_day", nodes[n]["community_cost_per_day"]] for n in NODES],
      ["Community cost per occupied bed-day, validation/nodes.csv. The model's other cost, £346",
       "per day a patient waits in an acute bed, has no bed here to book it on: the comparison",
       "adds it from the mean number waiting."])
rows = []
for name, (cap, los_s, arr) in VARIANTS.items():
    for n in NODES:
        if cap != "capacity_baseline":
            rows.append([name, "services.csv", sid(n), "capacity", nodes[n][cap]])
        if los_s != "Blos":
            rows.append([name, "los.csv", f"{CLASS}/{sid(n)}", "median", los[(n, los_s)]["median_days"]])
            rows.append([name, "los.csv", f"{CLASS}/{sid(n)}", "mean", los[(n, los_s)]["mean_days"]])
        rows.append([name, "arrivals.csv", f"{sid(n)}_referrals", "profile", f"{sid(n)}_{arr.lower()}"])
# A measurement of the published outputs' artefact (the initial queue is a count, not
# patients): scenario 1 with the initial queue never admitted.
for n in NODES:
    rows.append(["scenario_1_queue_never_admitted", "census.csv", f"{sid(n)}/{CLASS}", "queued", 0])
write("variants.csv", ["variant", "file", "row", "column", "value"], rows,
      ["The published scenario combinations; the baseline is scenario 1 (baseline capacity,",
       "lengths of stay and referrals). 2: referrals improved (S1Arr). 6: and interim lengths of",
       "stay (S2los). 10: unrestricted capacity (2000 beds), target lengths of stay (S1los),",
       "S1Arr. 12: unrestricted capacity, S2los, S1Arr. scenario_1_queue_never_admitted is no",
       "published scenario: it measures an artefact of the model's code (see README.md)."])
