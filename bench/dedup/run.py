"""Dedup benchmark (issue 5, item 6): `python -m bench.dedup.run --sizes 10000,100000,1000000`.

For each size: generate the list (fixed seed), then in a fresh child process each
  - ansinh: the engine in-process (same code as `ansinh dedup`), threshold DEFAULT_THRESHOLD;
  - splink: Splink on DuckDB, same normalised features, comparable blocking rules and
    comparisons, u by random sampling, m by EM, same probability threshold;
and measure pairwise precision, recall, F1 against the known duplicates, wall time (from the
rows in memory to the scored pairs) and peak memory (ru_maxrss of the child).
Results are printed as JSON lines and written to bench/dedup/results.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def _metrics(found: set, truth: set) -> dict:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "pairs_found": len(found),
        "true_pairs": len(truth),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
    }


def run_ansinh(rows, threshold):
    from ansinh.dedup import engine

    started = time.perf_counter()
    table, res = engine.find_duplicates(rows, threshold=threshold)
    seconds = time.perf_counter() - started
    ids = table.ids
    found = {
        (min(ids[a], ids[b]), max(ids[a], ids[b]))
        for a, b in zip(res.left.tolist(), res.right.tolist(), strict=True)
    }
    return found, seconds, {"candidates": int(res.candidates)}


def run_splink(rows, threshold):
    import duckdb  # noqa: F401
    import pyarrow as pa
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from ansinh.dedup import engine

    started = time.perf_counter()
    # Splink gets the same normalised features as our engine (folding, "Thị", dates, IDs):
    # the comparison is of matching, not of cleaning.
    t = engine.build_table(rows)
    cols = {
        "unique_id": t.ids,
        "name_full": [x or None for x in t.full],
        "name_nothi": [x or None for x in t.nothi],
        "given": [x or None for x in t.given],
        "surname": [x or None for x in t.surname],
        "sorted_name": [x or None for x in t.sortkey],
        "birth_year": [int(x) or None for x in t.year],
        "birth_month": [int(x) or None for x in t.month],
        "birth_day": [int(x) or None for x in t.day],
        "sex": [{1: "M", 2: "F"}.get(int(x)) for x in t.sex],
        "personal_id": [x or None for x in t.pid],
        "commune": [x or None for x in t.commune],
        "village": [x or None for x in t.village],
        "members": [sorted(m) if m else None for m in t.members],
    }
    table = pa.table(cols)
    db = DuckDBAPI()
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.Or(cll.NullLevel("birth_year")),
            {
                "sql_condition": "birth_year_l = birth_year_r AND birth_month_l = birth_month_r AND birth_day_l = birth_day_r",
                "label_for_charts": "exact",
            },
            {
                "sql_condition": "birth_year_l = birth_year_r AND birth_month_l = birth_day_r AND birth_day_l = birth_month_r",
                "label_for_charts": "swapped",
            },
            {
                "sql_condition": "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR birth_month_r IS NULL "
                "OR birth_day_l IS NULL OR birth_day_r IS NULL)",
                "label_for_charts": "same year, partial",
            },
            {"sql_condition": "birth_year_l = birth_year_r", "label_for_charts": "same year"},
            {"sql_condition": "abs(birth_year_l - birth_year_r) = 1", "label_for_charts": "year ±1"},
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("personal_id"),
            block_on("name_nothi", "birth_year"),
            block_on("commune", "birth_year", "given"),
            block_on("surname", "birth_day", "birth_month", "commune"),
            block_on("sorted_name", "sex"),
        ],
        comparisons=[
            cl.CustomComparison(
                output_column_name="name",
                comparison_levels=[
                    cll.NullLevel("name_nothi"),
                    cll.ExactMatchLevel("name_full"),
                    cll.Or(cll.ExactMatchLevel("name_nothi"), cll.ExactMatchLevel("sorted_name")),
                    cll.JaroWinklerLevel("name_nothi", 0.92),
                    cll.JaroWinklerLevel("name_nothi", 0.88),
                    cll.ElseLevel(),
                ],
            ),
            dob,
            cl.ExactMatch("sex"),
            cl.ExactMatch("commune"),
            cl.JaroWinklerAtThresholds("village", [0.85]),
            cl.ExactMatch("personal_id"),
            cl.ArrayIntersectAtSizes("members", [1]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(db.register(table, table_name="persons"), settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("personal_id"), block_on("name_full", "birth_year", "birth_month", "birth_day")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_nothi", "birth_year"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("commune", "birth_year"))
    pred = linker.inference.predict(threshold_match_probability=threshold)
    df = pred.as_duckdbpyrelation().select("unique_id_l, unique_id_r").fetchall()
    seconds = time.perf_counter() - started
    found = {(min(a, b), max(a, b)) for a, b in df}
    return found, seconds, {}


def _child(tool, size, threshold, queue):
    from bench.dedup.generate import generate, true_pairs

    rows = generate(size)
    truth = true_pairs(rows)
    for r in rows:
        r.pop("true_id", None)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fn = run_ansinh if tool == "ansinh" else run_splink
    try:
        found, seconds, extra = fn(rows, threshold)
        out = {"tool": tool, "rows": size, "seconds": round(seconds, 1), **_metrics(found, truth), **extra}
    except Exception as exc:  # report, don't hide: a failed run is a result too
        out = {"tool": tool, "rows": size, "error": f"{type(exc).__name__}: {exc}"[:500]}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["peak_rss_mb"] = round(peak / 1024)
    out["peak_rss_mb_before_run"] = round(base_rss / 1024)
    queue.put(out)


def main(argv=None):
    from ansinh.dedup.engine import DEFAULT_THRESHOLD

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--tools", default="ansinh,splink")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--output", default=str(HERE / "results.json"))
    args = parser.parse_args(argv)
    results = []
    out_path = Path(args.output)
    if out_path.exists():
        results = json.loads(out_path.read_text())
    ctx = mp.get_context("fork")
    for size in [int(s) for s in args.sizes.split(",")]:
        for tool in args.tools.split(","):
            queue = ctx.Queue()
            proc = ctx.Process(target=_child, args=(tool, size, args.threshold, queue))
            proc.start()
            res = queue.get()
            proc.join()
            res["threshold"] = args.threshold
            print(json.dumps(res, ensure_ascii=False), flush=True)
            results = [r for r in results if not (r["tool"] == tool and r["rows"] == size)] + [res]
            out_path.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
