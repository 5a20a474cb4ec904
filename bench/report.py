"""Turns bench/TokenBench.java's summary into the login and refresh section of docs/performance.md."""
import datetime
import os
import platform
import statistics
import sys

results, seconds, warmup, threads, rounds, server = sys.argv[1:7]
rates = {}
for line in open(results):
    workload, scenario, mean, per_round = line.split()
    rates[(workload, scenario)] = (float(mean), per_round)

PAIRS = (("guarded-hire", "stock-hire"), ("guarded-employee", "stock-employee"))
LISTENER_PAIRS = (("guarded-hire", "quiet-hire"), ("guarded-employee", "quiet-employee"))
POLICY_PAIRS = (("guarded-hire", "open-hire"), ("guarded-employee", "open-employee"))

def rows(workload, pairs=PAIRS):
    out = []
    for guarded, stock in pairs:
        g, g_rounds = rates[(workload, guarded)]
        b, b_rounds = rates[(workload, stock)]
        out.append(f"| {workload} | {guarded} vs {stock} | {g:.1f} | {b:.1f} | **{g / b:.3f}** | "
                   f"{paired(g_rounds, b_rounds)} | {spread(g_rounds)} / {spread(b_rounds)} | "
                   f"{g_rounds.replace(',', ', ')} / {b_rounds.replace(',', ', ')} |")
    return out

def spread(per_round):
    """Standard error of the mean, in percent of the mean: the noise a ratio inherits."""
    values = [float(v) for v in per_round.split(",")]
    if len(values) < 2:
        return "n/a"
    return f"{100 * statistics.stdev(values) / len(values) ** 0.5 / statistics.mean(values):.1f} %"

def paired(guarded_rounds, base_rounds):
    """Mean of the per-round ratios with its standard error: rounds run back to back, so the
    machine's drift between rounds cancels out of each ratio."""
    ratios = [float(g) / float(b) for g, b in zip(guarded_rounds.split(","), base_rounds.split(","))]
    if len(ratios) < 2:
        return "n/a"
    return f"{statistics.mean(ratios):.3f} ± {statistics.stdev(ratios) / len(ratios) ** 0.5:.3f}"

HEADER = "| workload | scenario | {a} req/s | {b} req/s | ratio | paired ratio ± s.e. | std. error ({a} / {b}) | per round ({a} / {b}) |\n| --- | --- | --- | --- | --- | --- | --- | --- |"

cpus = os.cpu_count()
print(f"""## Logins and token refreshes

Throughput of the two requests the extension sits in: password logins (direct grant, which runs
the onboarding gate and fires the LOGIN event the listener sees) and token refreshes (which run
the probation token filter). Measured on one Keycloak {server} server (dev mode, H2) in one run,
as a ratio against the same realm without the extension's flows, token filter and listener.

Realms on the same server, all imported from `realm-config/onboarding-demo-realm.json`:

- **guarded** — the demo realm as shipped: onboarding gate in the direct-grant flow, the
  `onboarding` client scope with the token filter, the `onboarding-guard` event listener.
- **stock** — the same realm switched to Keycloak's own flows, without the `onboarding` scope on
  the client, without the client policy and without the listener.
- **quiet** — guarded without the listener; **open** — guarded without the client policy.

Users:

- **hire** — in the guarded realm a hire on probation with a case (gate, filter and listener
  each do one indexed case lookup); in the stock realm a user with the same roles and no case.
- **employee** — `hiring-manager`, no case, in both realms (the extension returns after looking
  at the cached user, without a database query).

Ratio = guarded throughput / stock throughput for the same kind of user (1.0 = no cost).
Goals: >= 0.95 for a hire on probation, >= 0.98 for a user without a case.

{HEADER.format(a="guarded", b="stock")}""")
for workload in ("login", "refresh"):
    for line in rows(workload):
        print(line)
print(f"""
Run: {rounds} interleaved rounds of {seconds} s per scenario and workload after a {warmup} s warm-up per scenario,
{threads} client threads, load generator on the same machine ({cpus} CPUs, {platform.machine()}),
{datetime.date.today().isoformat()}. Password hashing dominates login cost, so logins/s are low
in absolute terms; refreshes show the token filter's cost most directly. Rounds interleave the
scenarios and reverse their order every other round, so a steady drift of the machine cancels
out of the means; the standard error column shows the noise of each mean. The paired ratio is
the mean of the per-round ratios, each taken between runs seconds apart, with its standard error. With a few percent
on each side, ratios between about 0.95 and 1.05 mean "no cost measurable on this machine".

### The event listener alone

Issue goal: password logins with the `onboarding-guard` listener (first-login handling, audit
entries, risk rules: login traces, country, laptop-farm and failure checks) at least 0.97 of the
same realm without it for users without a case, and at least 0.90 for probationary users.
**quiet** is the guarded realm with only `jboss-logging` as event listener.

{HEADER.format(a="with", b="without")}
{chr(10).join(rows("login", LISTENER_PAIRS))}

### The client policy alone

The `onboarding-probation` client policy (condition *any-client*, the probation executor) runs on
every token request. **open** is the guarded realm with no client policy.

{HEADER.format(a="with", b="without")}
{chr(10).join(rows("login", POLICY_PAIRS) + rows("refresh", POLICY_PAIRS))}

Command (no Docker needed):

```bash
bench/run.sh    # about 21 min; defaults: BENCH_SECONDS=8 BENCH_WARMUP=15 BENCH_ROUNDS=8 BENCH_THREADS=4 BENCH_PORT=8180
```
""")
