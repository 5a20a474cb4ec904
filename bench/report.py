"""Turns bench/TokenBench.java's summary into docs/performance.md."""
import datetime
import os
import platform
import sys

results, seconds, threads, rounds, server = sys.argv[1:6]
rates = {}
for line in open(results):
    workload, scenario, mean, per_round = line.split()
    rates[(workload, scenario)] = (float(mean), per_round)

def row(workload, scenario):
    mean, per_round = rates[(workload, scenario)]
    stock = rates[(workload, "stock")][0]
    return f"| {workload} | {scenario} | {mean:.1f} | {mean / stock:.3f} | {per_round.replace(',', ', ')} |"

cpus = os.cpu_count()
print(f"""# Performance

Throughput of the two requests the extension sits in: password logins (direct grant, which runs
the onboarding gate and fires the LOGIN event the listener sees) and token refreshes (which run
the probation token filter). Measured on one Keycloak {server} server (dev mode, H2) in one run,
as a ratio against the same realm without the extension's flows, token filter and listener.

Scenarios:

- **stock** — the demo realm with Keycloak's own browser and direct-grant flows, without the
  `onboarding` client scope and the `onboarding-guard` event listener; user with the same roles
  as a hire, no case.
- **guarded-probation-hire** — the demo realm as shipped; a hire on probation (gate, filter and
  listener all do their full work, one indexed case lookup each).
- **guarded-user-no-case** — the demo realm as shipped; an employee without a case (the gate,
  filter and listener return after checking the cached user, without a database query).

Ratio = scenario throughput / stock throughput (1.0 = no cost). Goal: >= 0.95.

| workload | scenario | requests/s (mean) | ratio vs stock | per round |
| --- | --- | --- | --- | --- |""")
for workload in ("login", "refresh"):
    for scenario in ("stock", "guarded-probation-hire", "guarded-user-no-case"):
        print(row(workload, scenario))
print(f"""
Run: {rounds} interleaved rounds of {seconds} s per scenario and workload after a 3 s warm-up,
{threads} client threads, load generator on the same machine ({cpus} CPUs, {platform.machine()}),
{datetime.date.today().isoformat()}. Password hashing dominates login cost, so logins/s are low
in absolute terms; refreshes show the token filter's cost most directly. Rounds alternate the
scenarios so slow drift of the machine affects all of them alike; the spread between rounds of
one scenario shows the noise.

Command (no Docker needed):

```bash
bench/run.sh            # BENCH_SECONDS, BENCH_THREADS, BENCH_ROUNDS, BENCH_PORT to change the run
```
""")
