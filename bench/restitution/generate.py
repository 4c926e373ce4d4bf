#!/usr/bin/env python3
"""Generates contributions for the restitution benchmarks and quality checks.

    python3 bench/restitution/generate.py --count 100000 --out /tmp/contributions.jsonl [--seed 1]
    python3 bench/restitution/generate.py --real --out /tmp/planted.jsonl   # real texts + planted copies

Source: the real answers of the Grand Débat national in
../shared/research-data/granddebat/annotated-dev.jsonl (Licence Ouverte), or --source FILE.

Synthetic mode (default): each contribution answers one of the real questions with about
--words words of French produced by a word Markov chain (order 1) trained on all the real
answers, its sentences starting like the real answers to that question, so that vocabulary and
topics per question are realistic. (A chain per question, or of order 2, copies the few real
answers of small questions nearly verbatim: the texts would be near-duplicates of each other.)
Dates spread over two months, postal codes drawn from the real ones.
Real mode (--real): the real answers themselves, once each.

In both modes --planted (default 0.10) of the contributions are planted campaigns: a base text
copied 2 to 6 more times, each copy with small edits (a word replaced, punctuation added or
removed, case changed). The "campaign" field gives the truth (empty outside campaigns), for
bench/restitution/quality.py planted.
"""
import argparse, collections, json, os, random, sys

here = os.path.dirname(os.path.abspath(__file__))
default_source = os.path.join(here, "..", "..", "..", "shared", "research-data", "granddebat", "annotated-dev.jsonl")
if not os.path.exists(default_source):
    default_source = "/work/shared/research-data/granddebat/annotated-dev.jsonl"

ap = argparse.ArgumentParser()
ap.add_argument("--count", type=int, default=100000)
ap.add_argument("--out", required=True)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--words", type=int, default=100)
ap.add_argument("--planted", type=float, default=0.10)
ap.add_argument("--real", action="store_true")
ap.add_argument("--source", default=default_source)
args = ap.parse_args()
rng = random.Random(args.seed)

records = [json.loads(l) for l in open(args.source, encoding="utf-8") if l.strip()]
zips = [r["zip"] for r in records if r.get("zip")]
start = 1547596800  # 2019-01-16, the opening of the Grand Débat online
span = 60 * 86400

def edit(text):
    """A small edit: a word replaced, punctuation changed, or case changed."""
    words = text.split(" ")
    kind = rng.randrange(3)
    if kind == 0 and len(words) > 3:
        i = rng.randrange(len(words))
        words[i] = rng.choice(["vraiment", "aussi", "donc", "bien", "très", "encore", "surtout"])
    elif kind == 1:
        i = rng.randrange(len(words))
        w = words[i]
        words[i] = w[:-1] if w and w[-1] in ",.;!?" else w + rng.choice([",", ".", " !", "..."])
    else:
        i = rng.randrange(len(words))
        words[i] = words[i].upper() if rng.random() < 0.5 else words[i].capitalize()
    return " ".join(words)

def planted_sizes(total_copies):
    """Campaign sizes (copies after the base) summing to about total_copies."""
    sizes = []
    while total_copies > 0:
        s = min(total_copies, rng.randint(2, 6))
        sizes.append(s)
        total_copies -= s
    return sizes

out = open(args.out, "w", encoding="utf-8")
n_written = 0

def write(rec):
    global n_written
    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    n_written += 1

if args.real:
    base = [r for r in records if len(r["text"].split()) >= 12]
    planted_total = int(len(records) * args.planted)
    sizes = planted_sizes(planted_total)
    chosen = rng.sample(range(len(base)), len(sizes))
    campaign_of = {}
    for c, (b, s) in enumerate(zip(chosen, sizes)):
        campaign_of[b] = (c + 1, s)
    extra = []
    for b, (c, s) in campaign_of.items():
        r = base[b]
        for k in range(s):
            extra.append({"id": "%s-copie-%d" % (r["reference"], k + 1), "question": r["question"], "text": edit(r["text"]),
                          "date": r["published_at"], "zip": rng.choice(zips), "campaign": "c%d" % c})
    base_campaign = {id(base[b]): "c%d" % c for b, (c, s) in campaign_of.items()}
    for r in records:
        write({"id": r["reference"], "question": r["question"], "text": r["text"], "date": r["published_at"],
               "zip": r.get("zip") or "", "campaign": base_campaign.get(id(r), "")})
    for e in extra:
        write(e)
    out.close()
    print("%d contributions (%d planted copies in %d campaigns) -> %s" % (n_written, len(extra), len(sizes), args.out), file=sys.stderr)
    sys.exit(0)

# One Markov chain of order 1 over all the answers; sentence starts remembered per question.
chain, starts, weights = collections.defaultdict(list), {}, collections.Counter()
for r in records:
    q = r["question"]
    weights[q] += 1
    st = starts.setdefault(q, [])
    toks = r["text"].split()
    if len(toks) < 2:
        continue
    st.append(toks[0])
    for i in range(len(toks) - 1):
        chain[toks[i]].append(toks[i + 1])
        if toks[i].endswith((".", "!", "?")):
            st.append(toks[i + 1])
questions = [q for q in weights if starts.get(q)]
qweights = [weights[q] for q in questions]

def generate(q, n_words):
    st = starts[q]
    a = rng.choice(st)
    words = [a]
    while len(words) < n_words:
        nxt = chain.get(a)
        a = rng.choice(nxt) if nxt else rng.choice(st)
        words.append(a)
    return " ".join(words)

planted_total = int(args.count * args.planted)
sizes = planted_sizes(planted_total)
campaign_slots = set()
plan = []  # per output index: None or (campaign, is_copy)
n_plain = args.count - planted_total - len(sizes)
events = ["plain"] * max(0, n_plain) + ["campaign%d" % c for c in range(len(sizes))]
rng.shuffle(events)
cid = 0
for ev in events:
    q = rng.choices(questions, qweights)[0]
    n_words = max(5, int(rng.gauss(args.words, args.words / 3)))
    text = generate(q, n_words)
    date = start + rng.randrange(span)
    if ev == "plain":
        write({"id": "g%d" % n_written, "question": q, "text": text, "date": date, "zip": rng.choice(zips), "campaign": ""})
        continue
    c = int(ev[8:]) + 1
    write({"id": "g%d" % n_written, "question": q, "text": text, "date": date, "zip": rng.choice(zips), "campaign": "c%d" % c})
    for k in range(sizes[c - 1]):
        write({"id": "g%d" % n_written, "question": q, "text": edit(text), "date": date + rng.randrange(7 * 86400),
               "zip": rng.choice(zips), "campaign": "c%d" % c})
out.close()
print("%d contributions (%d planted copies in %d campaigns) -> %s" % (n_written, planted_total, len(sizes), args.out), file=sys.stderr)
