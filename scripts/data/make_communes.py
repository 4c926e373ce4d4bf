#!/usr/bin/env python3
"""Generates data/places/communes.csv and data/places/departements.csv, the communes reference
of the places module (see data/places/README.md). A dev tool, run once; its output is committed.

    python3 scripts/data/make_communes.py \\
        --decoupage /work/shared/research-data/territoires/decoupage-administratif-6.0.0 \\
        --lieux-nc /work/shared/research-data/lieux/nouvelle-caledonie-20240320.json

One row per current commune (type "commune-actuelle") of Etalab's decoupage-administratif
(COG 2026, Licence Ouverte 2.0), with its centre from La Poste's base officielle des codes
postaux 2020 (data/territoires/laposte-hexasmal-2020.csv, ODbL 1.0). Python 3 stdlib only."""
import argparse, collections, csv, json, os, re, statistics, sys, unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# Time zone of each overseas département or collectivité; metropolitan France is Europe/Paris.
TIME_ZONES = {
    "971": "America/Guadeloupe", "972": "America/Martinique", "973": "America/Cayenne",
    "974": "Indian/Reunion", "976": "Indian/Mayotte", "975": "America/Miquelon",
    "977": "America/St_Barthelemy", "978": "America/Marigot", "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti", "988": "Pacific/Noumea",
    "989": "Etc/GMT+8",  # Clipperton: uninhabited, no tz database zone; UTC-8 is its nautical time
}
# Communes whose zone differs from their territory's.
COMMUNE_TIME_ZONES = {
    # Marquesas (UTC-9:30) and Gambier (UTC-9) in French Polynesia.
    "98718": "Pacific/Marquesas", "98723": "Pacific/Marquesas", "98731": "Pacific/Marquesas",
    "98746": "Pacific/Marquesas", "98756": "Pacific/Marquesas", "98757": "Pacific/Marquesas",
    "98719": "Pacific/Gambier",
    # TAAF districts (uninhabited but for scientific bases).
    "98411": "Indian/Kerguelen", "98412": "Indian/Kerguelen",
    "98413": "Indian/Reunion",  # Crozet keeps UTC+4; the tz database has no zone of its own
    "98414": "Antarctica/DumontDUrville",
    "98415": "Indian/Reunion",  # Îles Éparses, administered from La Réunion
}
# The only lieu of Poum in nouvelle-caledonie-20240320.json lies in Nouméa, 250 km away (an
# office address): it says nothing of where Poum is.
NC_LIEUX_IGNORED = {"98826"}

def la_poste_key(name):
    """A commune name as La Poste writes it: upper case, no accent, "ST"/"STE", spaces."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    words = "".join(c if c.isalnum() else " " for c in s).split()
    return " ".join({"SAINT": "ST", "SAINTE": "STE"}.get(w, w) for w in words)

def fmt(x):
    return f"{x:.5f}".rstrip("0").rstrip(".")

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--decoupage", required=True, help="folder of decoupage-administratif 6.0.0 data/*.json")
    ap.add_argument("--lieux-nc", required=True, help="nouvelle-caledonie-20240320.json (Licence Ouverte 2.0)")
    ap.add_argument("--laposte", default=os.path.join(ROOT, "data", "territoires", "laposte-hexasmal-2020.csv"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "places"))
    args = ap.parse_args()

    def load(name):
        with open(os.path.join(args.decoupage, name), encoding="utf-8") as f:
            return json.load(f)
    all_communes, departements, regions = load("communes.json"), load("departements.json"), load("regions.json")
    region_names = {r["code"]: r["nom"] for r in regions}
    dep_by_code = {d["code"]: d for d in departements}

    # La Poste: one point per INSEE code (all rows of a code carry the same point: checked below),
    # and by (name, postal code) the point of the 2020 commune of that name or whose "ligne 5"
    # (a locality it contained) has that name.
    point, by_name, ligne5 = {}, {}, {}
    nc_postal = collections.defaultdict(set)
    with open(args.laposte, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if row["Code_commune_INSEE"].startswith("988"):
                nc_postal[row["Code_commune_INSEE"]].add(row["Code_postal"].strip())
            gps = row["coordonnees_gps"].strip()
            if not gps:
                continue
            lat, lon = (float(v) for v in gps.split(","))
            code = row["Code_commune_INSEE"].strip()
            if point.setdefault(code, (lat, lon)) != (lat, lon):
                sys.exit(f"{code}: two different La Poste points; decide between first and average")
            by_name.setdefault((la_poste_key(row["Nom_commune"]), row["Code_postal"].strip()), (lat, lon))
            if row["Ligne_5"].strip():
                ligne5.setdefault((la_poste_key(row["Ligne_5"]), row["Code_postal"].strip()), (lat, lon))

    # Former communes of a commune nouvelle (anciensCodes, communes déléguées or associées), and
    # the arrondissements municipaux of Paris, Lyon and Marseille.
    parts = collections.defaultdict(set)
    for c in all_communes:
        if c["type"] == "commune-actuelle":
            parts[c["code"]].update(c.get("anciensCodes", []))
        elif c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            parts[c["chefLieu"]].add(c["code"])
        elif c["type"] == "arrondissement-municipal":
            parts[c["commune"]].add(c["code"])

    # New Caledonia: La Poste has no point there. The lieux de médiation numérique of the
    # commune give an approximate one (median, robust to a far-away lieu). Matched by name:
    # the file's INSEE codes hold a mistake (Mont-Dore as 63236) and its postal codes are all 98800.
    # ("Le Mont-Dore" is "Mont-Dore" there: the leading article is dropped on both sides.)
    def nc_key(name):
        return re.sub(r"^(LE|LA|LES|L) ", "", la_poste_key(name))
    nc_names = {nc_key(c["nom"]): c["code"] for c in all_communes
                if c["type"] == "commune-actuelle" and c["departement"] == "988"}
    nc_points = collections.defaultdict(list)
    with open(args.lieux_nc, encoding="utf-8") as f:
        for lieu in json.load(f):
            code = nc_names.get(nc_key(lieu.get("commune") or ""))
            lat, lon = lieu.get("latitude"), lieu.get("longitude")
            if code and code not in NC_LIEUX_IGNORED and lat is not None and lon is not None:
                nc_points[code].append((float(lat), float(lon)))

    def centre(c):
        if c["code"] in point:
            return point[c["code"]], "p"
        found = [point[p] for p in sorted(parts[c["code"]]) if p in point]
        if found:
            return (statistics.fmean(p[0] for p in found), statistics.fmean(p[1] for p in found)), "a"
        for table in (by_name, ligne5):  # code changed or commune restored since 2020
            for pc in c.get("codesPostaux", []):
                if (la_poste_key(c["nom"]), pc) in table:
                    return table[(la_poste_key(c["nom"]), pc)], "d"
        if nc_points.get(c["code"]):
            pts = nc_points[c["code"]]
            return (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)), "l"
        return None, ""

    os.makedirs(args.out, exist_ok=True)
    rows, stats = [], collections.Counter()
    for c in sorted((c for c in all_communes if c["type"] == "commune-actuelle"), key=lambda c: c["code"]):
        dep = dep_by_code[c["departement"]]
        if dep["zone"] != c["zone"] or dep["region"] != c["region"]:
            sys.exit(f"{c['code']}: zone or région differs from its département's")
        where, source = centre(c)
        tz = COMMUNE_TIME_ZONES.get(c["code"]) or TIME_ZONES.get(c["departement"], "Europe/Paris")
        if c["departement"] == "984" and c["code"] not in COMMUNE_TIME_ZONES:
            sys.exit(f"{c['code']}: TAAF district without a time zone")
        stats[(c["zone"], source or "none")] += 1
        # decoupage-administratif gives one postal code per commune of New Caledonia, La Poste
        # the others too (98830 for Dumbéa…); elsewhere, La Poste 2020's extra codes are stale.
        postal = c.get("codesPostaux", []) + sorted(nc_postal[c["code"]] - set(c.get("codesPostaux", [])))
        rows.append([c["code"], c["nom"], c["departement"], c["region"], "|".join(postal),
                     str(c["population"]) if "population" in c else "",
                     fmt(where[0]) if where else "", fmt(where[1]) if where else "", tz, source])

    with open(os.path.join(args.out, "communes.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code_insee", "nom", "departement", "region", "codes_postaux", "population",
                    "latitude", "longitude", "fuseau_horaire", "source_centre"])
        w.writerows(rows)
    with open(os.path.join(args.out, "departements.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code", "nom", "region", "nom_region", "zone"])
        for d in sorted(departements, key=lambda d: d["code"]):
            w.writerow([d["code"], d["nom"], d["region"], region_names[d["region"]], d["zone"]])

    # Codes still found in data that name part of a current commune: the 45 arrondissements
    # municipaux of Paris, Lyon and Marseille, and the communes déléguées or associées of merged
    # communes (a délégué that kept the code of its commune nouvelle is not repeated).
    current = {r[0] for r in rows}
    attached = []
    for c in all_communes:
        parent = c.get("commune") if c["type"] == "arrondissement-municipal" else c.get("chefLieu")
        if c["type"] == "commune-actuelle" or c["code"] in current or parent not in current:
            continue
        attached.append([c["code"], c["nom"], parent, c["type"]])
    attached.sort()
    with open(os.path.join(args.out, "communes-rattachees.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code_insee", "nom", "commune", "type"])
        w.writerows(attached)
    print("attached codes:", len(attached), file=sys.stderr)

    for (zone, source), n in sorted(stats.items()):
        print(f"{zone:6} {source:5} {n:6}", file=sys.stderr)
    print("without centre:", ", ".join(r[0] + " " + r[1] for r in rows if not r[6]), file=sys.stderr)

if __name__ == "__main__":
    main()
