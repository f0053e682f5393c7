"""Fill Solara's asset cache from the npm registry, for machines that cannot reach a CDN.

Solara serves its page assets (the Vue app, RequireJS, fonts, Vega) through a proxy
that fetches ``<package>@<version>/<file>`` from a CDN and caches it. Behind a firewall
that fetch fails and the page never renders. This script finds every
``<package>@<version>`` that Solara's own files reference, fetches it with ``npm pack``
and unpacks it into the cache, so every asset is served locally.

Run it with ``python -m ui.assets`` (``make app`` and ``make test`` do).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PATTERN = re.compile(r"""(?:(?<=["'/`\s(])|^)((?:@[a-z0-9-]+/)?[a-z][a-z0-9.-]*)"""
                     r"@(\d+(?:\.\d+){0,2}(?:-[a-z0-9.]+)?)", re.MULTILINE)
SUFFIXES = (".py", ".vue", ".j2", ".js", ".html")


def referenced_packages(root: Path) -> set[str]:
    """Every ``name@version`` mentioned in Solara's source files under ``root``."""
    found = set()
    for path in root.rglob("*"):
        if path.suffix in SUFFIXES and path.is_file() and "node_modules" not in path.parts:
            found.update(f"{n}@{v}" for n, v in PATTERN.findall(
                path.read_text(encoding="utf-8", errors="ignore")))
    return found


def main_file(package: Path) -> Path | None:
    """The file a CDN serves for the bare package path (its browser entry point)."""
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    for key in ("jsdelivr", "browser", "main"):
        entry = meta.get(key)
        if isinstance(entry, str) and (package / entry).is_file():
            return package / entry
    return None


def fetch(spec: str, cache: Path) -> bool:
    """Unpack ``spec`` from npm into ``cache/spec``; False if npm does not know it."""
    target = cache / spec
    if (target / "package.json").is_file():
        return True
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", tmp],
                              capture_output=True, text=True)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            return False
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(tarballs[0]) as archive:
            archive.extractall(unpacked, filter="data")
        staging = cache / f".{spec.replace('/', '_')}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(unpacked / "package"), staging)
        entry = main_file(staging)
        if entry is not None:
            shutil.copyfile(entry, staging / "__main.js")
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
    return True


def main() -> int:
    """Fill the cache; print what was fetched. Exit 1 if npm is missing."""
    import solara
    import solara.server.settings as settings

    if shutil.which("npm") is None:
        print("ui.assets: npm not found; install Node.js to fill Solara's asset cache",
              file=sys.stderr)
        return 1
    cache = Path(settings.assets.proxy_cache_dir)
    roots = [Path(solara.__file__).parent]
    specs = sorted(set().union(*(referenced_packages(root) for root in roots)))
    missing = [spec for spec in specs if not fetch(spec, cache)]
    print(f"Solara asset cache {cache}: {len(specs) - len(missing)} packages"
          + (f"; not on npm (unused here): {', '.join(missing)}" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def serve_cache_only() -> None:
    """Serve Solara's page assets from the filled cache only, in this server process.

    Solara's asset proxy fetches from its CDN, and stores, any package path a request
    names; a visitor could make the server download and keep files of their choosing.
    Here an asset that is not in the cache is simply not found.
    """
    from solara.server import cdn_helper

    def refuse(url: str) -> bytes:
        raise PermissionError(f"not in the offline asset cache: {url}")

    cdn_helper.fetch_from_cdn = refuse

