"""Summarises `jfr print --stack-depth N --events jdk.ExecutionSample` output read from stdin:
the share of CPU samples in the extension's code (with the Keycloak code it calls), by entry point
and by hottest leaf method, and the share in Keycloak's client-policy framework outside it."""
import collections
import sys

OURS = "io.github.onboardingguard."
CLIENT_POLICIES = "org.keycloak.services.clientpolicy."
TOP = 12


def samples(lines):
    frames, in_stack = None, False
    for line in lines:
        text = line.strip()
        if text == "jdk.ExecutionSample {":
            frames = []
        elif text.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and text == "]":
            in_stack = False
        elif in_stack and frames is not None:
            if text and text != "...":
                frames.append(text.split("(", 1)[0])
        elif text == "}" and frames is not None:
            yield frames  # leaf first
            frames = None


def main():
    total = 0
    ours = 0
    framework_only = 0
    entries = collections.Counter()
    leaves = collections.Counter()
    for frames in samples(sys.stdin):
        total += 1
        mine = [f for f in frames if f.startswith(OURS)]
        if mine:
            ours += 1
            entries[mine[-1]] += 1  # outermost frame of ours: where Keycloak called in
            leaves[frames[0]] += 1
        elif any(f.startswith(CLIENT_POLICIES) for f in frames):
            framework_only += 1
    if total == 0:
        sys.exit("no execution samples in the recording")
    pct = lambda n: f"{100.0 * n / total:5.2f} %"
    print(f"CPU samples: {total}")
    print(f"in the extension's code (and what it calls): {ours} = {pct(ours)}")
    print(f"in Keycloak's client-policy framework, outside the extension: {framework_only} = {pct(framework_only)}")
    print("\nby entry point (outermost frame of the extension):")
    for name, n in entries.most_common(TOP):
        print(f"  {pct(n)}  {name}")
    print("\nby leaf method (where the CPU was, within the extension's calls):")
    for name, n in leaves.most_common(TOP):
        print(f"  {pct(n)}  {name}")


if __name__ == "__main__":
    main()
