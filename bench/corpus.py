#!/usr/bin/env python3
"""Fetches the real-world code corpus (Python, JavaScript/TypeScript, Go) from
the package registries and unpacks it, cached.

    bench/corpus.py [--dest DIR]        (default: bench/.work/corpus)

Layout under DIR:
    downloads/{pypi,npm,deb}/   the archives as the registries served them
    src/python/NAME-VERSION/    PyPI sdists (pip download --no-binary :all:)
    src/js/NAME-VERSION/        npm tarballs (npm pack), the package/ prefix dropped
    src/go/NAME-VERSION/        Debian golang-*-dev packages (apt-get download,
                                dpkg-deb -x; nothing is installed), the Go
                                sources under usr/share/gocode/src/<import path>
    MANIFEST.json               per package: version, source, files and lines by language

Versions are pinned below; a package already unpacked (its .done stamp names
the same version) is not fetched again, so a second run downloads nothing.
Prints the manifest summary; exits 2 when a download or unpack fails.
Used by `make bench` (bench/run) and by the corpus no-crash test
(crates/proagent-backend/tests/corpus.rs, cache under target/corpus).
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# (name, version) — PyPI sdists.
PYPI = [
    ("Django", "5.1.4"),
    ("Flask", "3.1.0"),
    ("fastapi", "0.115.6"),
    ("requests", "2.32.3"),
    ("SQLAlchemy", "2.0.36"),
]
# npm packages as published (for nestjs: compiled JS and .d.ts files).
NPM = [
    ("express", "4.21.2"),
    ("fastify", "5.2.0"),
    ("@nestjs/core", "10.4.15"),
    ("@nestjs/common", "10.4.15"),
    ("koa", "2.15.3"),
    ("hono", "4.6.14"),
]
# Debian bookworm golang-*-dev packages: (package, version, import path).
DEB = [
    ("golang-github-gin-gonic-gin-dev", "1.8.1-1", "github.com/gin-gonic/gin"),
    ("golang-github-labstack-echo-dev", "4.2.1-3", "github.com/labstack/echo"),
]

LANG_EXT = {
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "typescript",
    ".go": "go",
}


def say(msg):
    print(f"corpus: {msg}", file=sys.stderr, flush=True)


def die(msg):
    say(f"error: {msg}")
    sys.exit(2)


def run(argv, **kw):
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, **kw)
    if r.returncode != 0:
        die(f"{' '.join(argv)} failed (exit {r.returncode})")


def safe_extract_tar(path, dest, strip=1):
    """Extracts regular files and directories only (no links, no paths out of dest)."""
    with tarfile.open(path) as t:
        for m in t.getmembers():
            parts = m.name.split("/")[strip:]
            if not parts or ".." in parts or m.name.startswith("/") or not (m.isfile() or m.isdir()):
                continue
            out = os.path.join(dest, *parts)
            if m.isdir():
                os.makedirs(out, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with t.extractfile(m) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)


def stamped(dir_, key):
    try:
        with open(os.path.join(dir_, ".done")) as f:
            return f.read().strip() == key
    except OSError:
        return False


def stamp(dir_, key):
    with open(os.path.join(dir_, ".done"), "w") as f:
        f.write(key + "\n")


def fetch_pypi(name, version, dl, dest):
    key = f"pypi {name}=={version}"
    if stamped(dest, key):
        return
    os.makedirs(dl, exist_ok=True)
    norm = name.lower().replace("-", "_")
    found = [p for p in glob.glob(os.path.join(dl, "*"))
             if os.path.basename(p).lower().replace("-", "_").startswith(f"{norm}_{version}.")]
    if not found:
        say(f"pip download {name}=={version} (sdist)")
        run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
             "--no-deps", "--no-binary", ":all:", f"{name}=={version}", "-d", dl])
        found = [p for p in glob.glob(os.path.join(dl, "*"))
                 if os.path.basename(p).lower().replace("-", "_").startswith(f"{norm}_{version}.")]
    if not found:
        die(f"no sdist for {name}=={version} in {dl}")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    if found[0].endswith(".zip"):
        with zipfile.ZipFile(found[0]) as z:
            for n in z.namelist():
                parts = n.split("/")[1:]
                if not parts or not parts[-1] or ".." in parts:
                    continue
                out = os.path.join(dest, *parts)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with z.open(n) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    else:
        safe_extract_tar(found[0], dest)
    stamp(dest, key)


def fetch_npm(name, version, dl, dest):
    key = f"npm {name}@{version}"
    if stamped(dest, key):
        return
    os.makedirs(dl, exist_ok=True)
    tgz = os.path.join(dl, name.lstrip("@").replace("/", "-") + f"-{version}.tgz")
    if not os.path.exists(tgz):
        say(f"npm pack {name}@{version}")
        run(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", dl],
            stdout=subprocess.DEVNULL)
    if not os.path.exists(tgz):
        die(f"npm pack did not write {tgz}")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    safe_extract_tar(tgz, dest)
    stamp(dest, key)


def fetch_deb(pkg, version, import_path, dl, dest):
    key = f"deb {pkg}={version}"
    if stamped(dest, key):
        return
    os.makedirs(dl, exist_ok=True)
    debs = glob.glob(os.path.join(dl, f"{pkg}_{version.split(':')[-1]}_*.deb"))
    if not debs:
        say(f"apt-get download {pkg}={version}")
        r = subprocess.run(["apt-get", "download", "-qq", f"{pkg}={version}"], cwd=dl,
                           stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            say("apt-get update")
            run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL)
            run(["apt-get", "download", "-qq", f"{pkg}={version}"], cwd=dl)
        debs = glob.glob(os.path.join(dl, f"{pkg}_{version.split(':')[-1]}_*.deb"))
    if not debs:
        die(f"apt-get download did not write {pkg}_{version}_*.deb")
    shutil.rmtree(dest, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        run(["dpkg-deb", "-x", debs[0], tmp])
        src = os.path.join(tmp, "usr/share/gocode/src", import_path)
        if not os.path.isdir(src):
            die(f"{debs[0]} has no usr/share/gocode/src/{import_path}")
        # Regular files only: the package may carry symlinks to other packages.
        for dirpath, _dirs, files in os.walk(src):
            for f in files:
                p = os.path.join(dirpath, f)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                out = os.path.join(dest, os.path.relpath(p, src))
                os.makedirs(os.path.dirname(out), exist_ok=True)
                shutil.copyfile(p, out)
    stamp(dest, key)


def count(dir_):
    """Files and lines per language (by extension) under dir_."""
    by = {}
    for dirpath, dirs, files in os.walk(dir_):
        dirs.sort()
        for f in sorted(files):
            lang = LANG_EXT.get(os.path.splitext(f)[1])
            if not lang:
                continue
            with open(os.path.join(dirpath, f), "rb") as fh:
                data = fh.read()
            lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
            e = by.setdefault(lang, {"files": 0, "lines": 0, "bytes": 0})
            e["files"] += 1
            e["lines"] += lines
            e["bytes"] += len(data)
    return by


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dest", default=os.path.join(HERE, ".work", "corpus"))
    args = ap.parse_args()
    dest = os.path.abspath(args.dest)
    dl = os.path.join(dest, "downloads")
    src = os.path.join(dest, "src")
    manifest = []
    for name, version in PYPI:
        d = os.path.join(src, "python", f"{name.lower()}-{version}")
        fetch_pypi(name, version, os.path.join(dl, "pypi"), d)
        manifest.append({"name": name, "version": version, "source": "PyPI sdist", "dir": d})
    for name, version in NPM:
        d = os.path.join(src, "js", name.lstrip("@").replace("/", "-") + f"-{version}")
        fetch_npm(name, version, os.path.join(dl, "npm"), d)
        manifest.append({"name": name, "version": version, "source": "npm", "dir": d})
    for pkg, version, import_path in DEB:
        short = import_path.rsplit("/", 1)[-1]
        d = os.path.join(src, "go", f"{short}-{version}")
        fetch_deb(pkg, version, import_path, os.path.join(dl, "deb"), d)
        manifest.append({"name": pkg, "version": version, "source": "Debian bookworm", "dir": d})
    total = {}
    for m in manifest:
        m["by_language"] = count(m["dir"])
        m["dir"] = os.path.relpath(m["dir"], dest)
        for lang, e in m["by_language"].items():
            t = total.setdefault(lang, {"files": 0, "lines": 0, "bytes": 0})
            for k in t:
                t[k] += e[k]
    doc = {"root": "src", "packages": manifest, "total": total}
    with open(os.path.join(dest, "MANIFEST.json.tmp"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    os.replace(os.path.join(dest, "MANIFEST.json.tmp"), os.path.join(dest, "MANIFEST.json"))
    for m in manifest:
        parts = ", ".join(f"{l} {e['files']} files / {e['lines']:,} lines"
                          for l, e in sorted(m["by_language"].items()))
        say(f"{m['name']} {m['version']} ({m['source']}): {parts}")
    say("total: " + ", ".join(f"{l} {e['files']} files / {e['lines']:,} lines"
                               for l, e in sorted(total.items())))
    print(os.path.join(dest, "src"))


if __name__ == "__main__":
    main()
