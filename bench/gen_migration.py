#!/usr/bin/env python3
"""Deterministic generator of a large, realistic PostgreSQL migration file.

The output is a concatenation of small "migrations" (5-30 statements each),
some wrapped in BEGIN/COMMIT, some starting with SET lock_timeout, that create
and evolve a schema the way an application's migration history does. About
half of the statements change 300 tables the file never creates (as if earlier
migrations had made them), the rest tables created earlier in the file, since
linters treat the two differently. Statements: tables
with a mix of column types, indexes (some CONCURRENTLY), added columns
(with/without NOT NULL/DEFAULT, volatile defaults, generated columns),
constraints (FK/CHECK/UNIQUE, some NOT VALID, then VALIDATE), SET/DROP NOT
NULL, type changes, renames, drops, data back-fills (UPDATE/DELETE with and
without WHERE), INSERT ... VALUES, SELECTs, enums, domains, functions with
dollar-quoted bodies, VACUUM FULL, CLUSTER, REINDEX, TRUNCATE, LOCK TABLE and
comments. It contains both safe and hazardous statements, so linters have
something to report.

The same --statements and --seed always give the same bytes (only
random.Random(seed) is used; no set or dict iteration order matters).

Usage: gen_migration.py [--statements N] [--seed S] [-o FILE]
"""

import argparse
import random
import sys

WORDS = (
    "account user order invoice payment product customer shipment address "
    "session event audit item price tag comment review message team project "
    "task note file upload subscription plan coupon refund ledger entry"
).split()

COLUMN_TYPES = [
    ("bigint", 12), ("integer", 8), ("int", 3), ("smallint", 2), ("text", 14),
    ("varchar(255)", 6), ("character varying(64)", 2), ("varchar", 2), ("char(2)", 1),
    ("character(10)", 1), ("boolean", 6), ("timestamptz", 8), ("timestamp", 4),
    ("timestamp without time zone", 1), ("date", 3), ("numeric(12,2)", 4), ("jsonb", 5),
    ("uuid", 5), ("bytea", 1), ("inet", 1), ("text[]", 2), ("integer[]", 1),
    ("double precision", 2), ("interval", 1),
]

CONST_DEFAULTS = {
    "bigint": "0", "integer": "0", "int": "0", "smallint": "0", "text": "''",
    "varchar(255)": "'n/a'", "character varying(64)": "'x'", "varchar": "''",
    "char(2)": "'XX'", "character(10)": "'-'", "boolean": "false",
    "timestamptz": "now()", "timestamp": "CURRENT_TIMESTAMP",
    "timestamp without time zone": "'2020-01-01'", "date": "CURRENT_DATE",
    "numeric(12,2)": "0.00", "jsonb": "'{}'::jsonb", "uuid": "gen_random_uuid()",
    "bytea": "'\\x'::bytea", "inet": "'0.0.0.0'", "text[]": "'{}'",
    "integer[]": "ARRAY[]::integer[]", "double precision": "0.0", "interval": "'1 day'",
}

# Share of statements that target a table from EXISTING_TABLES rather than one
# created earlier in the file.
EXISTING_SHARE = 0.5
EXISTING_TABLES = 300

VOLATILE_DEFAULTS = ["random()", "clock_timestamp()", "gen_random_uuid()", "md5(random()::text)",
                     "nextval('global_seq')", "floor(random() * 100)::int"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.tables = []        # tables created in the file: dicts with name, cols ([name, type])
        self.indexes = []       # list of (index name, table name)
        self.enums = []         # list of [name, values]
        self.constraints = []   # list of (table, constraint name) added NOT VALID
        self.counter = 0
        self.out = []           # list of statement strings (without terminator)
        self.count = 0          # statements emitted
        # Tables that earlier migrations (other files) created: a real
        # migration mostly changes those, and linters treat them differently
        # from tables created in the same file.
        self.existing = []
        for i in range(EXISTING_TABLES):
            cols = [["id", self.r.choice(["bigint", "bigint", "integer"])]]
            for _ in range(self.r.randint(3, 10)):
                cols.append([self.ident(self.r.choice(WORDS)), self.pick_type()])
            self.existing.append({"name": f"app_{self.r.choice(WORDS)}s_{i}", "cols": cols})

    def uid(self):
        self.counter += 1
        return self.counter

    def pick_type(self):
        types, weights = zip(*COLUMN_TYPES)
        return self.r.choices(types, weights)[0]

    def ident(self, base):
        return f"{base}_{self.uid()}"

    def emit(self, sql):
        self.out.append(sql + ";\n")
        self.count += 1

    def comment(self, text):
        self.out.append(f"-- {text}\n")

    # ---- statement builders -------------------------------------------------

    def create_table(self, in_tx):
        r = self.r
        name = self.ident(r.choice(WORDS) + "s")
        if r.random() < 0.03:
            # longer than NAMEDATALEN-1 (63 bytes): truncated by PostgreSQL
            name = name + "_" + "_".join(r.choice(WORDS) for _ in range(12))
        cols = []
        lines = []
        pk = r.random()
        if pk < 0.45:
            lines.append("id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
            cols.append(["id", "bigint"])
        elif pk < 0.65:
            lines.append("id serial PRIMARY KEY")
            cols.append(["id", "integer"])
        elif pk < 0.8:
            lines.append("id bigserial PRIMARY KEY")
            cols.append(["id", "bigint"])
        elif pk < 0.92:
            lines.append("id uuid PRIMARY KEY DEFAULT gen_random_uuid()")
            cols.append(["id", "uuid"])
        else:
            lines.append("id bigint NOT NULL")
            cols.append(["id", "bigint"])
        for _ in range(r.randint(2, 9)):
            cname = self.ident(r.choice(WORDS))
            ctype = self.pick_type()
            extra = ""
            x = r.random()
            if x < 0.3:
                extra = " NOT NULL"
            elif x < 0.45:
                extra = f" NOT NULL DEFAULT {CONST_DEFAULTS[ctype]}"
            elif x < 0.5:
                extra = " UNIQUE"
            elif x < 0.55 and ctype in ("integer", "bigint", "numeric(12,2)"):
                extra = f" CHECK ({cname} >= 0)"
            lines.append(f"{cname} {ctype}{extra}")
            cols.append([cname, ctype])
        if r.random() < 0.4:
            parent = self.table()
            fk = self.ident(parent["name"][:20] + "_id")
            lines.append(f"{fk} bigint REFERENCES {parent['name']} (id) ON DELETE CASCADE")
            cols.append([fk, "bigint"])
        if r.random() < 0.1:
            lines.append(f"created_at timestamptz NOT NULL DEFAULT now()")
            cols.append(["created_at", "timestamptz"])
        if r.random() < 0.08:
            a, b = cols[1][0], cols[-1][0]
            lines.append(f"CONSTRAINT {name[:40]}_uniq UNIQUE ({a}, {b})")
        ine = "IF NOT EXISTS " if r.random() < 0.2 else ""
        schema = "public." if r.random() < 0.15 else ""
        body = ",\n    ".join(lines)
        self.emit(f"CREATE TABLE {ine}{schema}{name} (\n    {body}\n)")
        self.tables.append({"name": name, "cols": cols})

    def table(self):
        if not self.tables or (self.existing and self.r.random() < EXISTING_SHARE):
            return self.r.choice(self.existing)
        return self.r.choice(self.tables)

    def col(self, t):
        return self.r.choice(t["cols"])

    def create_index(self, in_tx):
        r = self.r
        t = self.table()
        c = self.col(t)
        iname = self.ident(f"idx_{t['name'][:30]}")
        conc = r.random() < (0.15 if in_tx else 0.55)
        uniq = "UNIQUE " if r.random() < 0.15 else ""
        ine = "IF NOT EXISTS " if r.random() < 0.3 else ""
        cols = c[0]
        if r.random() < 0.25 and len(t["cols"]) > 1:
            cols = f"{c[0]}, {self.col(t)[0]}"
        using = ""
        if c[1] in ("jsonb", "text[]", "integer[]") and r.random() < 0.7:
            using = " USING gin"
            uniq = ""
            cols = c[0]
        where = ""
        if r.random() < 0.15:
            where = f" WHERE {c[0]} IS NOT NULL"
        named = r.random() < 0.9
        name_part = f"{ine}{iname} " if named else ""
        self.emit(f"CREATE {uniq}INDEX {'CONCURRENTLY ' if conc else ''}{name_part}ON {t['name']}{using} ({cols}){where}")
        if named:
            self.indexes.append((iname, t["name"]))

    def drop_index(self, in_tx):
        if not self.indexes:
            return self.select()
        r = self.r
        iname, _ = self.indexes.pop(r.randrange(len(self.indexes)))
        conc = "CONCURRENTLY " if (not in_tx and r.random() < 0.6) else ""
        ie = "IF EXISTS " if r.random() < 0.5 else ""
        self.emit(f"DROP INDEX {conc}{ie}{iname}")

    def add_column(self, in_tx):
        r = self.r
        t = self.table()
        cname = self.ident(r.choice(WORDS))
        ctype = self.pick_type()
        x = r.random()
        if x < 0.4:
            extra = ""
        elif x < 0.55:
            extra = " NOT NULL"
        elif x < 0.75:
            extra = f" NOT NULL DEFAULT {CONST_DEFAULTS[ctype]}"
        elif x < 0.85:
            extra = f" DEFAULT {CONST_DEFAULTS[ctype]}"
        elif x < 0.92:
            ctype = r.choice(["double precision", "uuid", "text"])
            extra = f" DEFAULT {r.choice(VOLATILE_DEFAULTS)}"
            if ctype == "uuid":
                extra = " DEFAULT gen_random_uuid()"
            elif ctype == "text":
                extra = " DEFAULT md5(random()::text)"
        elif x < 0.96:
            ctype = "bigint"
            other = next((c for c in t["cols"] if c[1] in ("bigint", "integer", "smallint")), None)
            if other is None:
                extra = ""
            else:
                extra = f" GENERATED ALWAYS AS ({other[0]} * 2) STORED"
        else:
            parent = self.table()
            ctype = "bigint"
            extra = f" REFERENCES {parent['name']} (id)"
        ine = "IF NOT EXISTS " if r.random() < 0.25 else ""
        self.emit(f"ALTER TABLE {t['name']} ADD COLUMN {ine}{cname} {ctype}{extra}")
        t["cols"].append([cname, ctype])

    def add_constraint(self, in_tx):
        r = self.r
        t = self.table()
        c = self.col(t)
        cname = self.ident(f"{t['name'][:30]}_con")
        kind = r.random()
        not_valid = r.random() < 0.5
        if kind < 0.4:
            parent = self.table()
            body = f"FOREIGN KEY ({c[0]}) REFERENCES {parent['name']} (id)"
            if r.random() < 0.3:
                body += " ON DELETE SET NULL"
        elif kind < 0.75:
            if r.random() < 0.4:
                body = f"CHECK ({c[0]} IS NOT NULL)"
            else:
                body = f"CHECK (length({c[0]}::text) < 1000)"
        elif kind < 0.9:
            not_valid = False
            if r.random() < 0.4 and self.indexes:
                body = f"UNIQUE USING INDEX {r.choice(self.indexes)[0]}"
            else:
                body = f"UNIQUE ({c[0]})"
        else:
            not_valid = False
            body = f"PRIMARY KEY ({c[0]})" if r.random() < 0.6 else f"EXCLUDE USING gist ({c[0]} WITH =)"
        self.emit(f"ALTER TABLE {t['name']} ADD CONSTRAINT {cname} {body}{' NOT VALID' if not_valid else ''}")
        if not_valid:
            self.constraints.append((t["name"], cname, body.startswith("CHECK") and "IS NOT NULL" in body, c[0]))

    def validate(self, in_tx):
        if not self.constraints:
            return self.add_constraint(in_tx)
        tname, cname, notnull, col = self.constraints.pop(self.r.randrange(len(self.constraints)))
        self.emit(f"ALTER TABLE {tname} VALIDATE CONSTRAINT {cname}")
        if notnull and self.r.random() < 0.7:
            self.emit(f"ALTER TABLE {tname} ALTER COLUMN {col} SET NOT NULL")

    def alter_column(self, in_tx):
        r = self.r
        t = self.table()
        c = self.col(t)
        if c[0] == "id":
            return self.select()
        x = r.random()
        if x < 0.35:
            self.emit(f"ALTER TABLE {t['name']} ALTER COLUMN {c[0]} SET NOT NULL")
        elif x < 0.5:
            self.emit(f"ALTER TABLE {t['name']} ALTER COLUMN {c[0]} DROP NOT NULL")
        elif x < 0.75:
            new = r.choice(["text", "bigint", "varchar(512)", "timestamptz", "numeric(14,4)"])
            using = f" USING {c[0]}::{new}" if r.random() < 0.5 else ""
            self.emit(f"ALTER TABLE {t['name']} ALTER COLUMN {c[0]} TYPE {new}{using}")
            c[1] = new
        elif x < 0.9:
            self.emit(f"ALTER TABLE {t['name']} ALTER COLUMN {c[0]} SET DEFAULT {CONST_DEFAULTS.get(c[1], 'NULL')}")
        else:
            self.emit(f"ALTER TABLE {t['name']} ALTER COLUMN {c[0]} DROP DEFAULT")

    def rename(self, in_tx):
        r = self.r
        t = self.table()
        if r.random() < 0.7:
            c = self.col(t)
            if c[0] == "id":
                return self.select()
            new = self.ident(r.choice(WORDS))
            col_kw = "COLUMN " if r.random() < 0.7 else ""
            self.emit(f"ALTER TABLE {t['name']} RENAME {col_kw}{c[0]} TO {new}")
            c[0] = new
        else:
            new = self.ident(r.choice(WORDS) + "s")
            self.emit(f"ALTER TABLE {t['name']} RENAME TO {new}")
            t["name"] = new

    def drop_column(self, in_tx):
        t = self.table()
        if len(t["cols"]) < 3:
            return self.add_column(in_tx)
        i = self.r.randrange(1, len(t["cols"]))
        c = t["cols"].pop(i)
        ie = "IF EXISTS " if self.r.random() < 0.4 else ""
        self.emit(f"ALTER TABLE {t['name']} DROP COLUMN {ie}{c[0]}")

    def drop_table(self, in_tx):
        pool = self.existing if (self.r.random() < EXISTING_SHARE and len(self.existing) > 20) else self.tables
        if len(pool) < 20:
            return self.create_table(in_tx)
        t = pool.pop(self.r.randrange(len(pool)))
        ie = "IF EXISTS " if self.r.random() < 0.5 else ""
        self.emit(f"DROP TABLE {ie}{t['name']}{' CASCADE' if self.r.random() < 0.3 else ''}")

    def literal(self, ctype):
        r = self.r
        if ctype in ("bigint", "integer", "int", "smallint"):
            return str(r.randint(0, 10000))
        if ctype in ("numeric(12,2)", "numeric(14,4)", "double precision"):
            return f"{r.randint(0, 9999)}.{r.randint(0, 99):02d}"
        if ctype == "boolean":
            return r.choice(["true", "false"])
        if ctype.startswith("timestamp") or ctype == "timestamptz":
            return f"'2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} 12:00:00'"
        if ctype == "date":
            return f"'2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}'"
        if ctype == "jsonb":
            return f"'{{\"k\": {r.randint(0, 99)}}}'"
        if ctype == "uuid":
            return "'%08x-0000-4000-8000-%012x'" % (r.getrandbits(32), r.getrandbits(48))
        if ctype == "inet":
            return f"'10.0.{r.randint(0, 255)}.{r.randint(0, 255)}'"
        if ctype.endswith("[]"):
            return "'{}'"
        if ctype == "interval":
            return f"'{r.randint(1, 30)} days'"
        if ctype == "bytea":
            return "'\\xdeadbeef'"
        return "'" + r.choice(WORDS) + ("''s" if r.random() < 0.1 else "") + "'"

    def update(self, in_tx):
        r = self.r
        t = self.table()
        c = self.col(t)
        if c[0] == "id":
            return self.select()
        sets = f"{c[0]} = {self.literal(c[1])}"
        if r.random() < 0.05:
            sets += f", {c[0]} = {self.literal(c[1])}"  # duplicate assignment
        elif r.random() < 0.3:
            c2 = self.col(t)
            if c2[0] != "id":
                sets += f", {c2[0]} = {self.literal(c2[1])}"
        if r.random() < 0.75:
            where = f" WHERE id = {r.randint(1, 100000)}" if r.random() < 0.5 else f" WHERE {c[0]} IS NULL"
        else:
            where = ""
        self.emit(f"UPDATE {t['name']} SET {sets}{where}")

    def delete(self, in_tx):
        t = self.table()
        if self.r.random() < 0.7:
            self.emit(f"DELETE FROM {t['name']} WHERE id < {self.r.randint(1, 5000)}")
        else:
            self.emit(f"DELETE FROM {t['name']}")

    def insert(self, in_tx):
        r = self.r
        t = self.table()
        cols = [c for c in t["cols"] if c[0] != "id"][:6]
        if not cols:
            return self.select()
        rows = []
        for _ in range(r.randint(1, 8)):
            rows.append("(" + ", ".join(self.literal(c[1]) for c in cols) + ")")
        on_conflict = " ON CONFLICT DO NOTHING" if r.random() < 0.2 else ""
        self.emit(f"INSERT INTO {t['name']} ({', '.join(c[0] for c in cols)}) VALUES\n    " + ",\n    ".join(rows) + on_conflict)

    def select(self, in_tx=False):
        r = self.r
        t = self.table()
        x = r.random()
        if x < 0.4:
            self.emit(f"SELECT count(*) FROM {t['name']}")
        elif x < 0.7:
            c = self.col(t)
            self.emit(f"SELECT id, {c[0]} FROM {t['name']} WHERE {c[0]} IS NOT NULL ORDER BY id LIMIT {r.randint(1, 100)}")
        elif x < 0.85:
            self.emit(f"SELECT * FROM {t['name']}")
        else:
            u = self.table()
            self.emit(f"SELECT a.id, b.id FROM {t['name']} a JOIN {u['name']} b ON b.id = a.id WHERE a.id > {r.randint(0, 99)}")

    def maintenance(self, in_tx):
        r = self.r
        t = self.table()
        x = r.random()
        if x < 0.3:
            self.emit(f"VACUUM FULL {t['name']}")
        elif x < 0.45:
            self.emit(f"VACUUM (ANALYZE) {t['name']}")
        elif x < 0.55:
            self.emit(f"ANALYZE {t['name']}")
        elif x < 0.65 and self.indexes:
            self.emit(f"CLUSTER {t['name']} USING {r.choice(self.indexes)[0]}")
        elif x < 0.8:
            conc = "CONCURRENTLY " if r.random() < 0.4 else ""
            self.emit(f"REINDEX TABLE {conc}{t['name']}")
        elif x < 0.9:
            self.emit(f"TRUNCATE {t['name']}{' CASCADE' if r.random() < 0.5 else ''}")
        else:
            mode = r.choice(["ACCESS EXCLUSIVE", "SHARE", "ROW EXCLUSIVE"])
            self.emit(f"LOCK TABLE {t['name']} IN {mode} MODE")

    def enum(self, in_tx):
        r = self.r
        if self.enums and r.random() < 0.6:
            e = r.choice(self.enums)
            v = self.ident("v")
            pos = ""
            if r.random() < 0.4:
                pos = f" {r.choice(['BEFORE', 'AFTER'])} '{r.choice(e[1])}'"
            self.emit(f"ALTER TYPE {e[0]} ADD VALUE IF NOT EXISTS '{v}'{pos}")
            e[1].append(v)
        else:
            name = self.ident(r.choice(WORDS) + "_status")
            values = [self.ident("v") for _ in range(r.randint(2, 5))]
            self.emit(f"CREATE TYPE {name} AS ENUM (" + ", ".join(f"'{v}'" for v in values) + ")")
            self.enums.append([name, values])

    def domain(self, in_tx):
        name = self.ident("dom")
        if self.r.random() < 0.6:
            self.emit(f"CREATE DOMAIN {name} AS text CHECK (VALUE ~ '^[a-z]+$')")
        else:
            self.emit(f"CREATE DOMAIN {name} AS integer NOT NULL")

    def function(self, in_tx):
        t = self.table()
        name = self.ident("touch")
        body = (
            "\nBEGIN\n"
            "    -- keep updated_at fresh; a ';' here is not a statement end\n"
            "    NEW.updated_at := now();\n"
            "    RETURN NEW;\n"
            "END;\n"
        )
        self.emit(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn${body}$fn$")
        if self.r.random() < 0.7:
            self.emit(f"CREATE TRIGGER {name}_trg BEFORE UPDATE ON {t['name']} FOR EACH ROW EXECUTE FUNCTION {name}()")

    def misc(self, in_tx):
        r = self.r
        t = self.table()
        x = r.random()
        if x < 0.3:
            self.emit(f"COMMENT ON TABLE {t['name']} IS 'Generated table {self.uid()}'")
        elif x < 0.45:
            self.emit(f"GRANT SELECT ON {t['name']} TO readonly")
        elif x < 0.6:
            self.emit(f"CREATE TABLE {self.ident('part')} PARTITION OF {t['name']} FOR VALUES FROM ({r.randint(0, 9)}) TO ({r.randint(10, 99)})")
        elif x < 0.7:
            conc = " CONCURRENTLY" if r.random() < 0.4 else ""
            self.emit(f"ALTER TABLE {t['name']} DETACH PARTITION {self.ident('part')}{conc}")
        elif x < 0.8:
            self.emit(f"CREATE VIEW {self.ident('v')} AS SELECT id FROM {t['name']}")
        elif x < 0.9:
            self.emit(f"ALTER TABLE {t['name']} ENABLE ROW LEVEL SECURITY")
        else:
            self.emit(f"CREATE SEQUENCE IF NOT EXISTS {self.ident('seq')}")

    # ---- migrations ------------------------------------------------------------

    ACTIONS = [
        ("create_table", 10), ("create_index", 10), ("drop_index", 2), ("add_column", 12),
        ("add_constraint", 6), ("validate", 3), ("alter_column", 7), ("rename", 3),
        ("drop_column", 3), ("drop_table", 1), ("update", 8), ("delete", 3), ("insert", 9),
        ("select", 7), ("maintenance", 3), ("enum", 2), ("domain", 1), ("function", 2),
        ("misc", 4),
    ]

    def migration(self, number, remaining):
        r = self.r
        self.out.append(f"\n-- migration {number:05d}\n")
        if r.random() < 0.1:
            self.out.append("/* generated by bench/gen_migration.py;\n   block comments must be skipped too */\n")
        in_tx = r.random() < 0.6
        if r.random() < 0.35:
            self.emit(f"SET lock_timeout = '{r.choice(['1s', '2s', '5s'])}'")
        if r.random() < 0.2:
            self.emit("SET statement_timeout = '30s'")
        if in_tx:
            self.emit(r.choice(["BEGIN", "BEGIN", "START TRANSACTION"]))
        names, weights = zip(*self.ACTIONS)
        size = r.randint(5, 30)
        start = self.count
        while self.count - start < size and self.count < remaining - (1 if in_tx else 0):
            getattr(self, r.choices(names, weights)[0])(in_tx)
        if in_tx:
            if r.random() < 0.03:
                return  # a transaction left open: the next migration's BEGIN nests
            self.emit("COMMIT")

    def run(self, total):
        self.emit("CREATE SEQUENCE IF NOT EXISTS global_seq")
        number = 1
        while self.count < total:
            self.migration(number, total)
            number += 1
        # The last migration may stop early; never exceed the requested count.
        return "".join(self.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    g = Gen(args.seed)
    text = g.run(args.statements)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    print(f"generated {g.count} statements, {len(text)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
