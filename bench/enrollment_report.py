"""Turns bench/enrollment.sh's results into the enrollment section of docs/performance.md."""
import datetime
import os
import platform
import statistics
import sys

results, seconds, warmup, threads, rounds, scim_users, cases, server = sys.argv[1:9]
rates = {}
for line in open(results):
    workload, scenario, mean, per_round = line.split()
    rates[(workload, scenario)] = (float(mean), per_round)


def paired(a_rounds, b_rounds):
    ratios = [float(a) / float(b) for a, b in zip(a_rounds.split(","), b_rounds.split(","))]
    if len(ratios) < 2:
        return "n/a"
    return f"{statistics.mean(ratios):.3f} ± {statistics.stdev(ratios) / len(ratios) ** 0.5:.3f}"


def row(workload, a, b, unit):
    ra, a_rounds = rates[(workload, a)]
    rb, b_rounds = rates[(workload, b)]
    return (f"| {workload} | {a} vs {b} | {ra:.1f} | {rb:.1f} | **{ra / rb:.3f}** | {paired(a_rounds, b_rounds)} | "
            f"{a_rounds.replace(',', ', ')} / {b_rounds.replace(',', ', ')} |")


print(f"""## Enrollment rules

What enrollment rules cost, measured on one Keycloak {server} server (dev mode, H2, `--features=scim-api`)
in one run. Realms on the same server, all imported from `realm-config/onboarding-demo-realm.json`:

- **rules** — the demo realm with the enrollment rules `admin group=/new-hires` and `scim` (every
  user HR creates through SCIM becomes a hire: a case, the probationary role, the audit entry).
- **norules** — the same realm with no enrollment rule.
- **stock** — the same realm with Keycloak's own flows, no token filter, no client policy, no listener.

A login of a user without a case (`hiring-manager`) with rules on, against stock Keycloak (goal ≥ 0.98)
and against the same realm without rules:

| workload | scenario | A req/s | B req/s | ratio A/B | paired ratio ± s.e. | per round (A / B) |
| --- | --- | --- | --- | --- | --- | --- |
{row("login", "rules-employee", "stock-employee", "req/s")}
{row("login", "rules-employee", "norules-employee", "req/s")}
{row("refresh", "rules-employee", "stock-employee", "req/s")}

Creating {scim_users} users per realm through Keycloak's SCIM API (`POST /realms/{{realm}}/scim/v2/Users`,
{threads} client threads, in alternating rounds), with the `scim` rule on (each user gets a case in
the creating transaction) and off:

| workload | scenario | A users/s | B users/s | ratio A/B | paired ratio ± s.e. | per round (A / B) |
| --- | --- | --- | --- | --- | --- | --- |
{row("scim-create", "rule-on", "rule-off", "users/s")}

Cases the rule opened in the rules realm (the warm-up's 50 users included): {cases}.

Run: logins {rounds} interleaved rounds of {seconds} s per scenario after a {warmup} s warm-up, {threads} client
threads; load generator on the same machine ({os.cpu_count()} CPUs, {platform.machine()}),
{datetime.date.today().isoformat()}. Enrollment decides only when a user is created: a login passes the gate's
look at the user's pending-enrollment attribute (no query), so the login ratio shows no cost
beyond the noise. A SCIM creation that a rule enrolls does the work of a case opened by the
API in the same transaction (case row, probationary role, held grants, audit entry, webhooks),
which is what its ratio measures.

Command: `bash bench/enrollment.sh` (about 8 minutes).""")
