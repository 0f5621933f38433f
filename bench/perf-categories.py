#!/usr/bin/env python3
"""Shares of a gateway's CPU samples by what the gateway was doing (docs/performance.md, fourth pass).

Reads `perf script -F comm,tid,ip,sym,dso` output of a `perf record -g` of the gateway (run with
DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0, so perf can name JIT-compiled frames).
A thread-pool sample counts for the first category, in the order below, that any frame of its stack
belongs to; async continuations resume without their callers on the stack, so work done after an
await counts where it resumed (often under Npgsql's read loop). Other threads count by thread name.

    perf script -i perf.data -F comm,tid,ip,sym,dso > samples.txt
    python3 bench/perf-categories.py samples.txt
"""
import collections
import re
import sys

CATEGORIES = [
    ("search index extraction", r"Gateway\.Fhir\.Search\.Index\."),
    ("profile validation", r"Gateway\.Fhir\.Validation\.Profiles\."),
    ("parse the request body (strict, with POCO validation)", r"Gateway\.Fhir\.Validation\.ResourceParser"),
    ("read stored JSON back", r"FhirSerialization::FromStoredJson"),
    ("serialize JSON", r"BaseFhirJsonSerializer|FhirSerialization::ToJson"),
    ("DeepCopy", r"DeepCopy"),
    ("search query parsing and SQL text", r"Gateway\.Fhir\.Search\.(SearchQuery|SearchRequestParser|Sql)"),
    ("visibility SQL text", r"PartnerVisibility"),
    ("audit", r"Gateway\.Fhir\.Audit\."),
    ("other Firely SDK", r"^Hl7\."),
    ("token validation", r"Microsoft\.IdentityModel|System\.IdentityModel|JsonWebToken"),
    ("Npgsql (and what resumed under it)", r"^Npgsql"),
    ("Kestrel and ASP.NET Core", r"Microsoft\.AspNetCore"),
    ("other gateway code", r"^Gateway\."),
]


def frame_name(symbol):
    # "instance void [Npgsql] Npgsql.NpgsqlCommand::ExecuteReader(...)[OptimizedTier1]" -> "Npgsql.NpgsqlCommand::ExecuteReader"
    match = re.search(r"\[[^\]]+\]\s+([^\s(]+::[^\s(]+)\(", symbol)
    return match.group(1) if match else symbol


def samples(path):
    sample = None
    for line in open(path, errors="replace"):
        if not line.strip():
            if sample:
                yield sample
            sample = None
        elif not line[0].isspace():
            sample = {"thread": re.sub(r"\d+", "#", " ".join(line.split()[:-1])), "frames": []}
        elif sample is not None:
            match = re.match(r"\s*[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$", line)
            if match:
                sample["frames"].append(frame_name(match.group(1)))
    if sample:
        yield sample


def category(sample):
    # ":<tid>" is a thread-pool worker perf met before the runtime named it (its stacks are request work).
    if not (sample["thread"].startswith(".NET TP Worker") or sample["thread"] == ":#"):
        return "thread: " + sample["thread"]
    for name, pattern in CATEGORIES:
        if any(re.search(pattern, frame) for frame in sample["frames"]):
            return name
    return "thread pool, runtime and kernel (no gateway frame)"


counts = collections.Counter(category(s) for s in samples(sys.argv[1]))
total = sum(counts.values())
print(f"{total} samples")
for name, count in counts.most_common():
    print(f"{100 * count / total:5.1f} %  {name}")
