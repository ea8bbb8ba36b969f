#!/usr/bin/env python3
"""SimPy versions of careflow's peer benchmark models (scenarios/peer_*).

These are the same three models as the careflow scenario folders, written the way an analyst
would write them in SimPy: one `simpy.Resource` per service, one generator process per
patient, the standard library's `random.Random(seed)` for random numbers. A patient whose next
service is full keeps their current bed: they request the next resource while still holding
the current one and release the current one once the next is granted (a delayed discharge).

Time is in days. Usage:

    python benches/peer/models.py mmc --horizon 365 --replications 10 --seed 1

prints one machine-readable line,

    simpy mmc patients=<arrivals, all replications> seconds=<s> patients_per_s=<x> events=<n>

followed by one `service` line per service with the key outputs (means over replications,
with standard errors), to compare with `examples/peer_throughput.rs`. `events` counts the
events SimPy scheduled (timeouts, requests, releases, process starts), which is not the
same unit as careflow's events.

Models:

- mmc: M/M/c ward. Poisson 45/day, exponential stay mean 5, 240 beds, unlimited queue.
- blocking: Poisson 40/day into 180 acute beds (exponential mean 4, unlimited queue); 30%
  then need one of 52 community beds (exponential mean 4) and wait for it in their acute bed.
- pathways: Poisson 50/day into 290 acute beds (lognormal mean 5, sd 4, unlimited queue);
  then 55% go home, 25% to home care (135 packages, exponential mean 10), 15% to rehab beds
  (115, exponential mean 14), 5% to a care home (160 places, exponential mean 60), each
  waited for in the acute bed.
"""

import argparse
import math
import random
import statistics
import sys
import time

import simpy


class Level:
    """Time-weighted record of a level (occupied beds, blocked patients)."""

    def __init__(self, env):
        self.env = env
        self.level = 0
        self.area = 0.0
        self.last = 0.0

    def change(self, delta):
        now = self.env.now
        self.area += self.level * (now - self.last)
        self.last = now
        self.level += delta

    def mean(self, until):
        return (self.area + self.level * (until - self.last)) / until


class Service:
    """A service with finite capacity, and what we measure about it."""

    def __init__(self, env, name, capacity, stay):
        self.name = name
        self.beds = simpy.Resource(env, capacity=capacity)
        self.stay = stay  # function drawing a length of stay, days
        self.occupied = Level(env)
        self.blocked = Level(env)  # patients fit to leave, waiting in a bed for the next service
        self.departures = 0
        self.time_in_bed = 0.0

    def admit(self):
        self.occupied.change(+1)

    def discharge(self, admitted_at, now):
        self.occupied.change(-1)
        self.departures += 1
        self.time_in_bed += now - admitted_at


def lognormal_params(mean, sd):
    """mu and sigma of the underlying normal for a lognormal stay with this mean and sd."""
    sigma2 = math.log(1.0 + (sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


class Model:
    """One replication: services, routing after the first stay, and the arrival process."""

    def __init__(self, name, seed):
        self.env = simpy.Environment()
        self.rng = rng = random.Random(seed)
        env = self.env
        if name == "mmc":
            self.rate = 45.0
            self.first = Service(env, "ward", 240, lambda: rng.expovariate(1 / 5))
            self.onward = []
        elif name == "blocking":
            self.rate = 40.0
            self.first = Service(env, "acute", 180, lambda: rng.expovariate(1 / 4))
            community = Service(env, "community", 52, lambda: rng.expovariate(1 / 4))
            self.onward = [(0.3, community)]  # the remaining 70% go home
        elif name == "pathways":
            self.rate = 50.0
            mu, sigma = lognormal_params(5.0, 4.0)
            self.first = Service(env, "acute", 290, lambda: rng.lognormvariate(mu, sigma))
            home_care = Service(env, "home_care", 135, lambda: rng.expovariate(1 / 10))
            rehab = Service(env, "rehab", 115, lambda: rng.expovariate(1 / 14))
            care_home = Service(env, "care_home", 160, lambda: rng.expovariate(1 / 60))
            # cumulative probabilities; the remaining 55% go home
            self.onward = [(0.25, home_care), (0.40, rehab), (0.45, care_home)]
        else:
            raise ValueError(f"unknown model {name!r}")
        self.services = [self.first] + [s for _, s in self.onward]
        self.arrived = 0

    def next_service(self):
        u = self.rng.random()
        for cumulative, service in self.onward:
            if u < cumulative:
                return service
        return None  # home

    def patient(self):
        env = self.env
        first = self.first
        bed = first.beds.request()
        yield bed
        admitted = env.now
        first.admit()
        yield env.timeout(first.stay())

        nxt = self.next_service()
        if nxt is None:
            first.beds.release(bed)
            first.discharge(admitted, env.now)
            return
        # Ask for the next service while keeping the acute bed; move once it is granted.
        first.blocked.change(+1)
        next_bed = nxt.beds.request()
        yield next_bed
        first.blocked.change(-1)
        first.beds.release(bed)
        first.discharge(admitted, env.now)

        admitted = env.now
        nxt.admit()
        yield env.timeout(nxt.stay())
        nxt.beds.release(next_bed)
        nxt.discharge(admitted, env.now)

    def arrivals(self):
        env = self.env
        while True:
            yield env.timeout(self.rng.expovariate(self.rate))
            self.arrived += 1
            env.process(self.patient())

    def run(self, horizon):
        self.env.process(self.arrivals())
        self.env.run(until=horizon)
        events = next(self.env._eid)  # events SimPy scheduled in this replication
        return events


def mean_se(values):
    m = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return m, se


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=["mmc", "blocking", "pathways"])
    parser.add_argument("--horizon", type=float, default=365.0, help="days (default 365)")
    parser.add_argument("--replications", type=int, default=10, help="default 10")
    parser.add_argument("--seed", type=int, default=1, help="base seed (default 1)")
    args = parser.parse_args(argv)
    if args.horizon <= 0 or args.replications < 1:
        parser.error("--horizon must be above 0 and --replications at least 1")

    patients = 0
    events = 0
    per_service = {}  # name -> list of (mean occupancy, delayed bed-days, mean time in bed)
    seconds = 0.0
    for r in range(args.replications):
        started = time.perf_counter()
        model = Model(args.model, args.seed * 1_000_003 + r)
        events += model.run(args.horizon)
        seconds += time.perf_counter() - started
        patients += model.arrived
        for s in model.services:
            per_service.setdefault(s.name, []).append(
                (
                    s.occupied.mean(args.horizon),
                    s.blocked.mean(args.horizon) * args.horizon,
                    s.time_in_bed / s.departures if s.departures else 0.0,
                )
            )

    print(
        f"simpy {args.model} patients={patients} seconds={seconds:.3f} "
        f"patients_per_s={patients / seconds:.0f} events={events}"
    )
    for name, rows in per_service.items():
        occ, occ_se = mean_se([row[0] for row in rows])
        dbd, dbd_se = mean_se([row[1] for row in rows])
        los, los_se = mean_se([row[2] for row in rows])
        print(
            f"service {name} mean_occupancy={occ:.3f} se={occ_se:.3f} "
            f"delayed_bed_days={dbd:.1f} se={dbd_se:.1f} "
            f"mean_time_in_bed={los:.4f} se={los_se:.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
