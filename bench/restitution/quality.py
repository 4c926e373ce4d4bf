#!/usr/bin/env python3
"""Quality of the restitution (numbers reported in docs/restitution.md).

Themes against the volunteers' categories of the Grand Débat (annotated-dev.jsonl):
    passerelle restitution --input annotated-dev.jsonl --id-field reference --group-field question \
        --date-field published_at --zip-field zip --out OUT
    python3 bench/restitution/quality.py themes annotated-dev.jsonl OUT/assignments.csv [OUT/restitution.json]

For each question with at least 30 answers: the adjusted mutual information (AMI, arithmetic
normalisation, as scikit-learn's default) between the themes and each answer's main category —
among its categories other than "Z Autres" and "Sans réponse / Hors sujet / Inclassable", the one
most used in that question (ties: alphabetical); answers with none are left out — and the same
for a random baseline (random themes with the same sizes, mean of 50 draws).

Planted campaigns:
    python3 bench/restitution/generate.py --real --out planted.jsonl
    passerelle restitution --input planted.jsonl --group-field question --out OUT
    python3 bench/restitution/quality.py planted planted.jsonl OUT/assignments.csv

Pairwise precision and recall: a pair of contributions is "together" when both are in the same
campaign; precision = true pairs found / pairs found, recall = true pairs found / true pairs.
"""
import collections, csv, json, math, random, sys

EXCLUDED = {"Z Autres", "Sans réponse / Hors sujet / Inclassable"}

def read_assignments(path):
    with open(path, encoding="utf-8", newline="") as f:
        # A contribution of the Grand Débat answers several questions under one reference: the key
        # is (id, group).
        return {(row["id"], row["groupe"]): row for row in csv.DictReader(f)}

def entropy(counts, n):
    return -sum(c / n * math.log(c / n) for c in counts if c)

def mutual_info(a, b):
    n = len(a)
    joint = collections.Counter(zip(a, b))
    ca, cb = collections.Counter(a), collections.Counter(b)
    return sum(nij / n * math.log(n * nij / (ca[i] * cb[j])) for (i, j), nij in joint.items())

def expected_mi(a, b):
    n = len(a)
    ca, cb = list(collections.Counter(a).values()), list(collections.Counter(b).values())
    lg = [math.lgamma(i + 1) for i in range(n + 1)]
    emi = 0.0
    for ai in ca:
        for bj in cb:
            for nij in range(max(1, ai + bj - n), min(ai, bj) + 1):
                term = nij / n * math.log(n * nij / (ai * bj))
                logp = (lg[ai] + lg[bj] + lg[n - ai] + lg[n - bj] - lg[n] - lg[nij] - lg[ai - nij] - lg[bj - nij]
                        - lg[n - ai - bj + nij])
                emi += term * math.exp(logp)
    return emi

def ami(a, b):
    n = len(a)
    ha, hb = entropy(collections.Counter(a).values(), n), entropy(collections.Counter(b).values(), n)
    if ha == 0 and hb == 0:
        return 1.0
    mi, emi = mutual_info(a, b), expected_mi(a, b)
    denom = (ha + hb) / 2 - emi
    return (mi - emi) / denom if abs(denom) > 1e-12 else 0.0

def themes(source, assignments_path, restitution_path=None):
    records = [json.loads(l) for l in open(source, encoding="utf-8") if l.strip()]
    assigned = read_assignments(assignments_path)
    by_question = collections.defaultdict(list)
    for r in records:
        by_question[r["question"]].append(r)
    rng = random.Random(1)
    rows = []
    for q, rs in sorted(by_question.items(), key=lambda kv: -len(kv[1])):
        if len(rs) < 30:
            continue
        usage = collections.Counter(c for r in rs for c in r["categories"] if c not in EXCLUDED)
        human, theme = [], []
        for r in rs:
            cats = [c for c in r["categories"] if c not in EXCLUDED]
            a = assigned.get((r["reference"], r["question"]))
            if not cats or a is None or not a["theme"]:
                continue
            human.append(min(cats, key=lambda c: (-usage[c], c)))
            theme.append(a["theme"])
        if len(human) < 2:
            continue
        score = ami(human, theme)
        baseline = 0.0
        for _ in range(50):
            shuffled = theme[:]
            rng.shuffle(shuffled)
            baseline += ami(human, shuffled) / 50
        rows.append((q, len(rs), len(human), len(set(theme)), len(set(human)), score, baseline))
    print("| question | answers | with a category | themes | categories | AMI | random baseline |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for q, n, m, k, c, s, b in rows:
        print("| %s | %d | %d | %d | %d | %.3f | %.3f |" % (q[:70], n, m, k, c, s, b))
    if rows:
        print("| **mean** | | | | | **%.3f** | **%.3f** |" % (sum(r[5] for r in rows) / len(rows), sum(r[6] for r in rows) / len(rows)))
    if restitution_path:
        data = json.load(open(restitution_path, encoding="utf-8"))
        for g in data["groups"]:
            if g["contributions"] >= 30:
                print("\n### %s — k = %d (silhouettes: %s)" % (g["name"], g["k"], ", ".join("%d: %.4f" % (s["k"], s["silhouette"]) for s in g["silhouettes"])))
                for t in data["themes"]:
                    if t["group"] == g["name"]:
                        print("- **%s** (%d): « %s »" % (t["label"], t["units"], t["quotes"][0]["text"][:160] if t["quotes"] else ""))
                        keys = {key for key, row in assigned.items() if row["theme"] == str(t["id"])}
                        cats = collections.Counter(c for r in records if (r["reference"], r["question"]) in keys
                                                   for c in r["categories"] if c not in EXCLUDED)
                        print("  human categories: " + "; ".join("%s (%d)" % kv for kv in cats.most_common(3)))

def pairs(groups):
    return sum(n * (n - 1) // 2 for n in groups.values())

def planted(source, assignments_path):
    truth = {}
    for l in open(source, encoding="utf-8"):
        if l.strip():
            r = json.loads(l)
            truth[(r["id"], r.get("question", ""))] = r.get("campaign", "")
    assigned = read_assignments(assignments_path)
    found = {i: row["campagne"] for i, row in assigned.items()}
    true_groups = collections.Counter(c for c in truth.values() if c)
    found_groups = collections.Counter(c for c in found.values() if c)
    both = collections.Counter((truth[i], found[i]) for i in truth if truth[i] and found.get(i))
    tp = pairs(both)
    p_found, p_true = pairs(found_groups), pairs(true_groups)
    precision = tp / p_found if p_found else 1.0
    recall = tp / p_true if p_true else 1.0
    # Pairs found that touch a planted campaign: leaves out the duplicates already present in the
    # real texts (real campaigns, not errors), which the plain precision counts as false.
    touching = collections.Counter(found[i] for i in truth if truth[i] and found.get(i))
    touched = collections.Counter(c for i, c in found.items() if c in touching)
    p_touch = pairs(touched)
    members_true = sum(true_groups.values())
    members_found = sum(1 for i in truth if truth[i] and found.get(i))
    print("contributions: %d; planted campaigns: %d (%d contributions); campaigns found: %d (%d contributions)"
          % (len(truth), len(true_groups), members_true, len(found_groups), sum(found_groups.values())))
    print("pairwise precision: %.4f (%.4f over the campaigns that contain planted texts); pairwise recall: %.4f; "
          "planted members found in a campaign: %.4f"
          % (precision, tp / p_touch if p_touch else 1.0, recall, members_found / members_true if members_true else 1.0))

if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "themes":
        themes(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif len(sys.argv) == 4 and sys.argv[1] == "planted":
        planted(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
