#!/usr/bin/env python3
"""kehoach's analytics engine beside DuckDB and PostgreSQL on the same national data.

Run through `bench/compare` (which builds the release binary first). Steps:
1. `kehoach-bench gen` writes the dataset (CSV) unless it is there already;
2. `kehoach-bench run` loads it and times Q1-Q5, writing its answers;
3. DuckDB (pip `duckdb`, threads=2, a persistent file; in a child process so its
   peak memory is its own) loads the same CSV and runs the same SQL;
4. PostgreSQL (the local server, a dedicated schema dropped afterwards) loads it with
   COPY, a primary key, a BRIN index on the period and VACUUM ANALYZE, then the same SQL;
5. the answers are compared, and one line per query is printed.

Timing as in the shared performance anchors: one warm-up run, then RUNS timed runs
(default 5), median. Sums are compared exactly (decimals: DECIMAL(18,4) in DuckDB,
numeric in PostgreSQL, scaled integers in kehoach); ratios (Q2's per 10,000 people,
Q4's growth %) to a relative 1e-9, since DuckDB divides decimals as doubles.
Q5 (freshness) saves one value (indicator 7, December, the first commune that has
one: kehoach names it) and reads its province's and the nation's year total back.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from decimal import Decimal

IND_A, PROVINCE, YEAR = 7, 7, 2025
RUNS = int(os.environ.get("RUNS", "5"))

Q = {
    "Q1": f"""SELECT dv.indicator_id, province_id, SUM(dv.value) AS total
             FROM datavalue dv JOIN orgunit ou ON ou.commune_id = dv.commune_id
             WHERE dv.period_id BETWEEN {YEAR}01 AND {YEAR}12
             GROUP BY dv.indicator_id, province_id""",
    "Q2": f"""WITH num AS (SELECT province_id, SUM(dv.value) AS v
                          FROM datavalue dv JOIN orgunit ou ON ou.commune_id = dv.commune_id
                          WHERE dv.indicator_id = {IND_A} AND dv.period_id BETWEEN {YEAR}01 AND {YEAR}12
                          GROUP BY province_id),
                  den AS (SELECT o.province_id, SUM(p.population) AS pop
                          FROM population p JOIN orgunit o ON o.commune_id = p.commune_id
                          WHERE p.year = {YEAR} GROUP BY o.province_id)
             SELECT num.province_id, num.v / den.pop * 10000 AS per_10k
             FROM num JOIN den ON den.province_id = num.province_id ORDER BY 1""",
    "Q3": f"""SELECT province_id, period_id,
                    SUM(v) OVER (PARTITION BY province_id ORDER BY period_id) AS ytd
             FROM (SELECT province_id, dv.period_id, SUM(dv.value) AS v
                   FROM datavalue dv JOIN orgunit ou ON ou.commune_id = dv.commune_id
                   WHERE dv.indicator_id = {IND_A} AND dv.period_id BETWEEN {YEAR}01 AND {YEAR}12
                   GROUP BY province_id, dv.period_id) m
             ORDER BY 1, 2""",
    "Q4": f"""SELECT indicator_id, v2024, v2025, 100.0 * (v2025 - v2024) / v2024 AS growth_pct
             FROM (SELECT dv.indicator_id,
                     SUM(CASE WHEN dv.period_id <= {YEAR - 1}12 THEN dv.value END) AS v2024,
                     SUM(CASE WHEN dv.period_id >= {YEAR}01 THEN dv.value END) AS v2025
                   FROM datavalue dv JOIN orgunit ou ON ou.commune_id = dv.commune_id
                   WHERE province_id = {{province}} AND dv.period_id BETWEEN {YEAR - 1}01 AND {YEAR}12
                   GROUP BY dv.indicator_id) t
             ORDER BY 1""",
}
Q5_SAVE = f"UPDATE datavalue SET value = {{v}} WHERE indicator_id = {IND_A} AND commune_id = {{c}} AND period_id = {YEAR}12"
Q5_PROVINCE = f"""SELECT SUM(dv.value) FROM datavalue dv JOIN orgunit ou ON ou.commune_id = dv.commune_id
                 WHERE dv.indicator_id = {IND_A} AND dv.period_id BETWEEN {YEAR}01 AND {YEAR}12
                 AND ou.province_id = (SELECT province_id FROM orgunit WHERE commune_id = {{c}})"""
Q5_NATION = f"""SELECT SUM(value) FROM datavalue
               WHERE indicator_id = {IND_A} AND period_id BETWEEN {YEAR}01 AND {YEAR}12"""
# Which columns are ratios (compared to 1e-9), per query.
RATIOS = {"Q1": set(), "Q2": {1}, "Q3": set(), "Q4": {3}, "Q5": set()}


def peak_mib(pid="self"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_busy(window=1.0):
    def snap():
        v = list(map(int, open("/proc/stat").readline().split()[1:]))
        return sum(v), v[3] + v[4]
    t0, i0 = snap(); time.sleep(window); t1, i1 = snap()
    return 1 - (i1 - i0) / max(t1 - t0, 1)


def wait_quiet(max_wait_s=int(os.environ.get("QUIET_MAX_S", "120")), threshold=0.10, need=3):
    """Wait until other jobs leave the CPUs alone (they skew timings), at most max_wait_s."""
    t0, streak = time.time(), 0
    while time.time() - t0 < max_wait_s:
        streak = streak + 1 if cpu_busy() < threshold else 0
        if streak >= need:
            return True
    print("WARNING: the machine never went quiet; timings may be skewed", file=sys.stderr, flush=True)
    return False


def bench(fn, runs=RUNS):
    rows = fn(0)
    times = []
    for i in range(1, runs + 1):
        t0 = time.perf_counter(); rows = fn(i); times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), rows


def norm(rows):
    return [tuple(None if x is None or x == "" else Decimal(str(x)) for x in r) for r in rows]


def same(q, a, b):
    a, b = sorted(norm(a), key=str), sorted(norm(b), key=str)
    if len(a) != len(b):
        return False
    key = lambda r: tuple(x for i, x in enumerate(r) if i not in RATIOS[q])
    a, b = sorted(a, key=key), sorted(b, key=key)
    for ra, rb in zip(a, b):
        for i, (x, y) in enumerate(zip(ra, rb)):
            if x is None or y is None:
                if x != y:
                    return False
            elif i in RATIOS[q]:
                if abs(x - y) > Decimal("1e-9") * max(Decimal(1), abs(x)):
                    return False
            elif x != y:
                return False
    return True


def run_duckdb(data, work, province, commune, out):
    import duckdb
    db = os.path.join(work, "bench.duckdb")
    for f in (db, db + ".wal"):
        if os.path.exists(f):
            os.remove(f)
    wait_quiet()
    con = duckdb.connect(db, config={"threads": 2})
    t0 = time.perf_counter()
    con.execute("CREATE TABLE datavalue (indicator_id SMALLINT, commune_id SMALLINT, period_id INTEGER, value DECIMAL(18,4))")
    con.execute(f"INSERT INTO datavalue SELECT * FROM read_csv('{data}/datavalue.csv', header=true, "
                "columns={'indicator_id':'SMALLINT','commune_id':'SMALLINT','period_id':'INTEGER','value':'DECIMAL(18,4)'})")
    con.execute(f"CREATE TABLE orgunit AS SELECT * FROM read_csv('{data}/orgunit.csv', header=true, "
                "columns={'commune_id':'SMALLINT','province_id':'SMALLINT'})")
    con.execute(f"CREATE TABLE population AS SELECT * FROM read_csv('{data}/population.csv', header=true, "
                "columns={'commune_id':'SMALLINT','year':'SMALLINT','population':'BIGINT'})")
    con.execute("CHECKPOINT")
    res = {"load_ms": (time.perf_counter() - t0) * 1e3, "version": duckdb.__version__, "queries": {}, "answers": {}}
    wait_quiet()
    for q, sql in Q.items():
        sql = sql.format(province=province)
        ms, rows = bench(lambda i: con.execute(sql).fetchall())
        res["queries"][q], res["answers"][q] = ms, [[str(x) if x is not None else None for x in r] for r in rows]

    def q5(i):
        con.execute(Q5_SAVE.format(v=1000 + i, c=commune))
        return [(con.execute(Q5_PROVINCE.format(c=commune)).fetchone()[0], con.execute(Q5_NATION).fetchone()[0])]
    ms, rows = bench(q5)
    res["queries"]["Q5"], res["answers"]["Q5"] = ms, [[str(x) for x in r] for r in rows]
    res["peak_mib"] = peak_mib()
    con.close()
    json.dump(res, open(out, "w"))


def run_postgres(data, url, province, commune):
    import psycopg2
    con = psycopg2.connect(url)
    con.autocommit = True
    cur = con.cursor()
    schema = f"kehoach_compare_{os.getpid()}"
    res = {"queries": {}, "answers": {}}
    try:
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(f"SET search_path = {schema}")
        cur.execute("SET max_parallel_workers_per_gather = 2")
        cur.execute("SET work_mem = '256MB'")
        cur.execute("SELECT version(), current_setting('shared_buffers')")
        version, buffers = cur.fetchone()
        res["version"], res["shared_buffers"] = version.split(" on ")[0], buffers
        cur.execute("CREATE TABLE orgunit (commune_id smallint PRIMARY KEY, province_id smallint NOT NULL)")
        cur.execute("CREATE TABLE population (commune_id smallint, year smallint, population bigint)")
        cur.execute("CREATE TABLE datavalue (indicator_id smallint NOT NULL, commune_id smallint NOT NULL, "
                    "period_id integer NOT NULL, value numeric)")
        wait_quiet()
        t0 = time.perf_counter()
        for t in ("orgunit", "population", "datavalue"):
            with open(f"{data}/{t}.csv") as f:
                cur.copy_expert(f"COPY {t} FROM STDIN (FORMAT csv, HEADER true)", f)
        cur.execute("ALTER TABLE datavalue ADD PRIMARY KEY (indicator_id, commune_id, period_id)")
        cur.execute("CREATE INDEX ON datavalue USING brin (period_id)")
        cur.execute(f"VACUUM ANALYZE {schema}.datavalue")
        cur.execute(f"VACUUM ANALYZE {schema}.orgunit")
        cur.execute(f"VACUUM ANALYZE {schema}.population")
        res["load_ms"] = (time.perf_counter() - t0) * 1e3
        wait_quiet()

        def q(sql):
            cur.execute(sql)
            return cur.fetchall()
        for name, sql in Q.items():
            sql = sql.format(province=province)
            ms, rows = bench(lambda i: q(sql))
            res["queries"][name], res["answers"][name] = ms, [[str(x) if x is not None else None for x in r] for r in rows]

        def q5(i):
            cur.execute(Q5_SAVE.format(v=1000 + i, c=commune))
            return [(q(Q5_PROVINCE.format(c=commune))[0][0], q(Q5_NATION)[0][0])]
        ms, rows = bench(q5)
        res["queries"]["Q5"], res["answers"]["Q5"] = ms, [[str(x) for x in r] for r in rows]
    finally:
        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        con.close()
    return res


def read_answers(d, name):
    lines = open(os.path.join(d, f"{name}.csv")).read().splitlines()[1:]
    return [l.split(",") for l in lines if l]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--communes", type=int, default=3321)
    ap.add_argument("--provinces", type=int, default=34)
    ap.add_argument("--measures", type=int, default=200)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--density", type=float, default=0.7)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data", help="dataset directory (default: a temporary one, removed after)")
    ap.add_argument("--postgres", default=os.environ.get("KEHOACH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--bin", default="target/release/kehoach-bench")
    ap.add_argument("--duckdb-child", nargs=5, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.duckdb_child:
        data, work, province, commune, out = a.duckdb_child
        return run_duckdb(data, work, int(province), int(commune), out)

    # The data (unless --data names it), the answers and DuckDB's file: removed
    # however the comparison ends.
    work = tempfile.mkdtemp(prefix="kehoach-compare-")
    try:
        data = a.data or os.path.join(work, "data")
        province = min(PROVINCE, a.provinces)
        size = ["--communes", str(a.communes), "--provinces", str(a.provinces), "--measures", str(a.measures),
                "--months", str(a.months), "--density", str(a.density), "--seed", str(a.seed)]
        if not os.path.exists(os.path.join(data, "datavalue.csv")):
            subprocess.run([a.bin, "gen", *size, "-o", data], check=True)
        print(f"# data: {' '.join(size)}; {os.path.getsize(os.path.join(data, 'datavalue.csv')) / 2**20:.0f} MiB of CSV;"
              f" runs={RUNS} (median after one warm-up)", flush=True)

        # kehoach
        wait_quiet()
        answers = os.path.join(work, "kehoach-answers")
        out = subprocess.run([a.bin, "run", "--data", data, "--runs", str(RUNS), "--answers", answers],
                             check=True, capture_output=True, text=True).stdout
        k = json.loads(out.strip().splitlines()[-1])
        kq = {f"Q{i}": k[f"q{i}_ms"] for i in range(1, 6)}
        ka = {q: read_answers(answers, q.lower()) for q in ("Q1", "Q2", "Q3", "Q4", "Q5")}

        # DuckDB, in its own process
        dout = os.path.join(work, "duckdb.json")
        subprocess.run([sys.executable, __file__, "--duckdb-child", data, work, str(province), str(k["q5_commune"]), dout], check=True)
        d = json.load(open(dout))

        # PostgreSQL
        p = run_postgres(data, a.postgres, province, k["q5_commune"])
        print(f"# engines: kehoach (release), DuckDB {d['version']} (threads=2), {p['version']} "
              f"(shared_buffers={p['shared_buffers']}, 2 workers per query)", flush=True)

        print("# rows: " + " ".join(f"{q}={len(ka[q])}" for q in ka), flush=True)
        differ = []
        for q in ("Q1", "Q2", "Q3", "Q4", "Q5"):
            ok = same(q, ka[q], d["answers"][q]) and same(q, ka[q], p["answers"][q])
            differ += [] if ok else [q]
            print(f"{q} kehoach_ms={kq[q]:.3g} duckdb_ms={d['queries'][q]:.1f} postgres_ms={p['queries'][q]:.0f} "
                  f"ratio_duckdb={kq[q] / d['queries'][q]:.3g} same_answers={'yes' if ok else 'no'}")
        print(f"LOAD kehoach_ms={k['load_ms']:.0f} duckdb_ms={d['load_ms']:.0f} postgres_ms={p['load_ms']:.0f} "
              f"ratio_duckdb={k['load_ms'] / d['load_ms']:.2f}")
        print(f"MEM kehoach_mib={k['peak_mib']:.0f} duckdb_mib={d['peak_mib']:.0f}")
        if "record_ms" in k:
            print(f"# kehoach alone: figures of record (complete or partial, as a report judges them) of every "
                  f"measure x province for {YEAR}: {k['record_ms']:.3g} ms for {k['record_figures']} figures")
        if differ:
            sys.exit(f"the engines' answers differ on {', '.join(differ)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
