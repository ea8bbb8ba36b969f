#!/usr/bin/env python3
"""Writes scenarios/ipacs_bnssg_acute: the IPACS bed nodes of scenarios/ipacs_bnssg with an
acute hospital in the loop, from the same published inputs (scenarios/ipacs_bnssg/validation/)
and stated assumptions for the hospital.

Run from the repository root: python3 scripts/ipacs_acute_scenario.py
"""
import csv
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "scenarios", "ipacs_bnssg")
ROOT = os.path.join(HERE, "..", "scenarios", "ipacs_bnssg_acute")
VALIDATION = os.path.join(SOURCE, "validation")
NODES = ["P2_B", "P2_NS", "P2_SG", "P3_B", "P3_NS", "P3_SG"]
COUNCIL = {"B": "bristol_council", "NS": "north_somerset_council", "SG": "south_glos_council"}
# Assumptions for the hospital (see README.md): beds, the other emergency admissions and
# their stays, and the acute stay of a patient referred to a pathway before they are fit.
ACUTE_BEDS = 1900
OTHER_ADMISSIONS_PER_DAY = 228
OTHER_STAY = (5, 6)  # mean, sd (days), lognormal
OTHER_OCCUPIED = 1140  # at the start, about their steady level (228 a day × 5 days)
PATHWAY_STAY = (10, 8)  # mean, sd (days) until medically fit, lognormal
ACUTE_BED_DAY = 346  # the IPACS model's cost of an acute bed-day
DELAY_PAYMENT = 130  # per day a patient waits in an acute bed for a care home place
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


os.makedirs(ROOT, exist_ok=True)
nodes = {r["node"]: r for r in read("nodes.csv")}
los = {(r["node"], r["scenario"]): r for r in read("los.csv")}

write("settings.csv", ["key", "value"],
      [["start_date", "2023-01-01"], ["horizon_days", 181], ["warmup_days", 0],
       ["seed", 20230101], ["replications", 50], ["wait_threshold_hours", 4],
       ["daily_series", "false"]],
      ["The IPACS model's horizon, days 0-180 from 1 January 2023, from a census."])
write("organisations.csv", ["id", "kind"],
      [["acute_trust", "acute_trust"], ["community_health", "community_provider"],
       ["care_homes", "independent_provider"]]
      + [[c, "local_authority"] for c in COUNCIL.values()],
      ["The acute hospitals as one trust, the providers of pathway 2 and 3 beds, and the three",
       "councils, who pay the trust for days their residents wait in it for a care home."])
write("services.csv", ["id", "kind", "provider", "capacity", "waiting_list", "transfers_wait",
                       "when_full", "queue_discipline"],
      [["acute", "acute_bed", "acute_trust", ACUTE_BEDS, "unlimited", "in_bed", "waiting_list",
        "fifo"]]
      + [[sid(n), "community_bed" if n.startswith("P2") else "care_home",
          "community_health" if n.startswith("P2") else "care_homes",
          nodes[n]["capacity_baseline"], "unlimited", "in_bed", "waiting_list", "fifo"]
         for n in NODES],
      ["acute: the general and acute beds (assumption). Emergency admissions who find every bed",
       "taken wait for one (in the emergency department). A patient fit to leave for a pathway",
       "bed that is full waits in their acute bed (transfers_wait in_bed): the IPACS queue."])
write("classes.csv", ["id", "priority"],
      [["other", 0]] + [[f"to_{sid(n)}", 0] for n in NODES],
      ["other: emergency admissions who leave hospital without a pathway 2 or 3 bed;",
       "to_<node>: patients who will be referred to that node when medically fit."])
write("arrivals.csv", ["id", "class", "service", "rate_per_day", "profile"],
      [["other_admissions", "other", "acute", OTHER_ADMISSIONS_PER_DAY, ""]]
      + [[f"{sid(n)}_admissions", f"to_{sid(n)}", "acute", 1, f"{sid(n)}_barr"] for n in NODES],
      ["Pathway patients are admitted at the IPACS referral rates per date (profile_periods.csv),",
       "so they are referred about 10 days later: the dates shift, the volumes do not."])
shutil.copy(os.path.join(SOURCE, "profile_periods.csv"), os.path.join(ROOT, "profile_periods.csv"))
write("los.csv", ["class", "service", "distribution", "mean", "sd", "median"],
      [["other", "acute", "lognormal", OTHER_STAY[0], OTHER_STAY[1], ""]]
      + [[f"to_{sid(n)}", "acute", "lognormal", PATHWAY_STAY[0], PATHWAY_STAY[1], ""]
         for n in NODES]
      + [[f"to_{sid(n)}", sid(n), "lognormal", los[(n, "Blos")]["mean_days"], "",
          los[(n, "Blos")]["median_days"]] for n in NODES],
      ["Acute stays (assumptions): other admissions mean 5 days, pathway patients 10 days until",
       "medically fit. Pathway beds: the IPACS lognormals, as in scenarios/ipacs_bnssg."])
write("routes.csv", ["class", "service", "next", "probability"],
      [[f"to_{sid(n)}", "acute", sid(n), 1] for n in NODES])
census = []
for n in NODES:
    for k in range(int(nodes[n]["initial_queue"])):
        census.append([f"{n}_waiting_{k + 1}", "acute", f"to_{sid(n)}", "", "", "true", sid(n), ""])
for k in range(OTHER_OCCUPIED):
    census.append([f"other_{k + 1}", "acute", "other", "", "", "", "", ""])
write("census_patients.csv", ["patient", "service", "class", "elapsed_days", "residual_rule",
                              "fit", "awaiting", "waited_days"], census,
      ["1 January 2023: the IPACS initial queues as patients fit to leave, waiting in acute beds",
       "for their node, and the other emergency patients in acute beds (their remaining stays",
       "the equilibrium residual)."])
write("census.csv", ["service", "class", "occupied", "queued", "residual_rule"],
      [[sid(n), f"to_{sid(n)}", nodes[n]["initial_occupancy"], 0, "ipacs_uniform"]
       for n in NODES],
      ["The IPACS initial occupancy of each pathway node, Uniform(1, L) remaining stays."])
write("costs.csv", ["service", "basis", "rate"],
      [["acute", "bed_day", ACUTE_BED_DAY]]
      + [[sid(n), "bed_day", nodes[n]["community_cost_per_day"]] for n in NODES],
      ["Every acute bed-day at the IPACS model's £346 (a delayed day costs what any day does),",
       "pathway beds at their IPACS community cost per occupied bed-day."])
write("contracts.csv", ["contract", "type", "payer", "provider", "services", "amount",
                        "grace_days"],
      [[f"delays_{area.lower()}", "delay_reimbursement", council, "acute_trust", sid(f"P3_{area}"),
        DELAY_PAYMENT, 0] for area, council in COUNCIL.items()],
      ["Assumption: each council pays the trust £130 for every day a resident waits in an acute",
       "bed for a care home place (pathway 3, social care), from the first day."])
rows = []
for name, (cap, los_s, arr) in VARIANTS.items():
    for n in NODES:
        if cap != "capacity_baseline":
            rows.append([name, "services.csv", sid(n), "capacity", nodes[n][cap]])
        if los_s != "Blos":
            rows.append([name, "los.csv", f"to_{sid(n)}/{sid(n)}", "median", los[(n, los_s)]["median_days"]])
            rows.append([name, "los.csv", f"to_{sid(n)}/{sid(n)}", "mean", los[(n, los_s)]["mean_days"]])
        rows.append([name, "arrivals.csv", f"{sid(n)}_admissions", "profile", f"{sid(n)}_{arr.lower()}"])
write("variants.csv", ["variant", "file", "row", "column", "value"], rows,
      ["The published scenario combinations, as in scenarios/ipacs_bnssg; the baseline is",
       "scenario 1."])
