"""Writes the "scale" section of docs/performance.md from bench/scale.sh's result files."""
import datetime
import math
import os
import platform
import sys

bench_dir, cases, small_cases, server, postgres, seconds, rounds, threads = sys.argv[1:9]


def key_values(name):
    with open(os.path.join(bench_dir, name)) as f:
        return dict(line.split(None, 1) for line in f if line.strip())


def tokens(name):
    """{(workload, scenario): [per-round rates]}"""
    result = {}
    with open(os.path.join(bench_dir, name)) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                result[(parts[0], parts[1])] = [float(v) for v in parts[3].split(",")]
    return result


def paired(rates, workload, user):
    guarded = rates[(workload, "guarded-" + user)]
    stock = rates[(workload, "stock-" + user)]
    ratios = [g / s for g, s in zip(guarded, stock)]
    mean = sum(ratios) / len(ratios)
    se = math.sqrt(sum((r - mean) ** 2 for r in ratios) / (len(ratios) - 1) / len(ratios)) if len(ratios) > 1 else 0
    return sum(guarded) / len(guarded), sum(stock) / len(stock), mean, se


small, large = tokens("tokens-small.txt"), tokens("tokens-large.txt")
audit, api, seed = key_values("audit.txt"), key_values("api.txt"), key_values("seed.txt")
sizes = key_values("sizes.txt")
goals = {"hire": 0.95, "employee": 0.98}

print(f"""## Scale on PostgreSQL

Keycloak {server} (dev mode) on PostgreSQL {postgres}, both on this machine; the realm
`scale-guarded` (the demo realm with a hire on probation) and `scale-stock` (the same realm without
the extension's flows, scope, client policy and listener, as in the section above) on one server and
one database. Cases were seeded with SQL (`bench/seed-cases.sql`: users and cases, 90 % VERIFIED,
4 % EXPIRED, 3 % REJECTED, 3 % pending); {int(cases) - int(small_cases):,} cases took
{seed['seed_cases_seconds'].strip()} s. The audit chain was filled through the test-hooks JAR's
bulk append (5,000 entries per transaction, 4 writers).

Logins and refreshes, ratio guarded / stock (paired per round ± standard error), {rounds} rounds of
{seconds} s, {threads} client threads, at {int(small_cases):,} cases and again at {int(cases):,} cases
with {int(audit['verify_entries']):,} audit entries:

| workload | user | goal | at {int(small_cases):,} cases (req/s guarded / stock) | ratio | at {int(cases):,} cases (req/s guarded / stock) | ratio |
| --- | --- | --- | --- | --- | --- | --- |""")
for workload in ("login", "refresh"):
    for user in ("hire", "employee"):
        g1, s1, r1, e1 = paired(small, workload, user)
        g2, s2, r2, e2 = paired(large, workload, user)
        print(f"| {workload} | {user} | ≥ {goals[user]} | {g1:.1f} / {s1:.1f} | **{r1:.3f}** ± {e1:.3f} "
              f"| {g2:.1f} / {s2:.1f} | **{r2:.3f}** ± {e2:.3f} |")

print(f"""
Audit trail on PostgreSQL (one realm, so every append takes the same chain head):

| what | result |
| --- | --- |
| appends/s, 8 writers, 1 entry per transaction | **{float(audit['append_per_second_batch_1']):.0f}** |
| appends/s, 8 writers, 50 entries per transaction | **{float(audit['append_per_second_batch_50']):.0f}** |
| filling the chain ({int(audit['fill_entries']):,} entries) | {float(audit['fill_seconds']):.0f} s |
| verify the whole chain of {int(audit['verify_entries']):,} entries (auditor API, server time; goal ≤ 100 s) | **{int(audit['verify_server_millis']) / 1000:.1f} s** (valid: {'yes' if audit['verify_valid'].strip() == '1' else 'NO'}) |
| export the whole chain, JSON Lines ({int(api['export_lines']):,} lines, {int(api['export_bytes']) / 2**30:.1f} GiB) | {float(api['export_seconds']):.0f} s |
| server heap in use after a full GC: before the export / highest during it | {api['heap_before_mb'].strip()} MiB / {api['heap_peak_mb'].strip()} MiB |

On disk (tables with their indexes): cases {int(sizes['bytes_og_case']) / 2**20:.0f} MiB for
{int(cases):,} cases ({int(sizes['bytes_og_case']) / int(cases):.0f} bytes each), audit entries
{int(sizes['bytes_og_audit_entry']) / 2**30:.2f} GiB for {int(audit['verify_entries']):,}
({int(sizes['bytes_og_audit_entry']) / int(audit['verify_entries']):.0f} bytes each; the synthetic entries carry 200
characters of details, about what a login entry carries).

Admin and auditor APIs at {int(cases):,} cases and {int(audit['verify_entries']):,} audit entries
(40 calls each after 5 warm-up calls, one client):

| call | p50 | p95 |
| --- | --- | --- |""")
for name, label in (("list_first_page", "list cases, first page of 50"),
                    ("list_stage_probation", "list cases, `stage=PROBATION`"),
                    ("list_overdue", "list cases, `overdue=true`"),
                    ("list_deep_page", "list cases, `first=90000`"),
                    ("dossier", "one hire's dossier")):
    print(f"| {label} | {float(api[name + '_p50_ms']):.1f} ms | {float(api[name + '_p95_ms']):.1f} ms |")

print(f"""
Machine: {os.cpu_count()} CPUs, {platform.machine()}, {datetime.date.today().isoformat()}; load generator,
Keycloak and PostgreSQL share it.

Command (no Docker needed):

```bash
bench/scale.sh    # defaults: SCALE_CASES=100000 SCALE_SMALL_CASES=1000 SCALE_AUDIT_ENTRIES=10000000 SCALE_SECONDS=8 SCALE_ROUNDS=4
```""")
