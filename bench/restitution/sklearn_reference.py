#!/usr/bin/python3
"""The reference of the restitution benchmark: what a data scientist would reach for.

    /usr/bin/python3 bench/restitution/sklearn_reference.py FILE.jsonl [--k 20] [--seed 1]

scikit-learn's TfidfVectorizer + MiniBatchKMeans (k=20) on the "text" field, nothing else: no
duplicate detection, no labels, no quotes, no report. Prints one line: "sklearn N texts: read
R s, tf-idf T s, k-means K s, total S s". Run it under /usr/bin/time for the peak memory.
Needs Debian's python3-sklearn (hence /usr/bin/python3, not another interpreter on PATH).
"""
import argparse, json, time

from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer

ap = argparse.ArgumentParser()
ap.add_argument("input")
ap.add_argument("--k", type=int, default=20)
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()

t0 = time.perf_counter()
with open(args.input, encoding="utf-8") as f:
    texts = [json.loads(line).get("text", "") for line in f if line.strip()]
t1 = time.perf_counter()
matrix = TfidfVectorizer(min_df=2, max_features=200000).fit_transform(texts)
t2 = time.perf_counter()
MiniBatchKMeans(n_clusters=args.k, random_state=args.seed, n_init=3, batch_size=4096).fit(matrix)
t3 = time.perf_counter()
print(f"sklearn {len(texts)} texts: read {t1 - t0:.1f} s, tf-idf {t2 - t1:.1f} s, k-means {t3 - t2:.1f} s, total {t3 - t0:.1f} s")
