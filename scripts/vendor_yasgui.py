"""Vendor YASGUI (the SPARQL editor `kg serve` shows at /) from the npm registry into
kg/serve/static/, so that the page works with no network.

    python scripts/vendor_yasgui.py            # the version pinned below
    python scripts/vendor_yasgui.py 4.6.3      # another version (then update VERSION here)

It installs @zazuko/yasgui with npm into a temporary folder, copies its browser build
(`yasgui.min.js`, `yasgui.min.css`, without their source-map comments: the maps are not
shipped), and writes `yasgui.json` (package, version, the registry's integrity hash, the
SHA-256 of each file) and `yasgui-LICENSES.txt`: YASGUI's licence and that of every package
its build bundles (read from the build's source map), each with its licence file.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
STATIC = Path(__file__).resolve().parent.parent / "kg" / "serve" / "static"
FILES = ("yasgui.min.js", "yasgui.min.css")
MAP_COMMENT = re.compile(rb"\n?(//# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)\s*$")
MIT = """Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def main(version: str) -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["npm", "install", "--prefix", work, "--no-audit", "--no-fund", "--ignore-scripts",
                        "--no-save", f"{PACKAGE}@{version}"], check=True)
        modules = Path(work) / "node_modules"
        build = modules / PACKAGE / "build"
        lock = json.loads((modules / ".package-lock.json").read_text(encoding="utf-8"))["packages"]
        digests = {}
        for name in FILES:
            data = MAP_COMMENT.sub(b"\n", (build / name).read_bytes())
            (STATIC / name).write_bytes(data)
            digests[name] = hashlib.sha256(data).hexdigest()
        bundled = bundled_packages(json.loads((build / "yasgui.min.js.map").read_text(encoding="utf-8")))
        (STATIC / "yasgui-LICENSES.txt").write_text(licences(version, modules, bundled), encoding="utf-8")
        record = {"package": PACKAGE, "version": version, "registry": f"https://registry.npmjs.org/{PACKAGE}",
                  "integrity": lock[f"node_modules/{PACKAGE}"]["integrity"], "files": digests,
                  "bundled": {name: package_json(modules, name)["version"] for name in bundled},
                  "vendored_by": "scripts/vendor_yasgui.py"}
        (STATIC / "yasgui.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"vendored {PACKAGE}@{version} into {STATIC}")


def bundled_packages(source_map: dict) -> list[str]:
    """The npm packages whose sources the build holds (`node_modules/NAME/...` in its map)."""
    found = set()
    for source in source_map["sources"]:
        match = re.search(r"node_modules/((?:@[^/]+/)?[^/]+)/", source)
        if match:
            found.add(match.group(1))
    return sorted(found | {"@zazuko/yasqe", "@zazuko/yasr", "@zazuko/yasgui-utils"})


def package_json(modules: Path, name: str) -> dict:
    return json.loads((modules / name / "package.json").read_text(encoding="utf-8"))


def licences(version: str, modules: Path, bundled: list[str]) -> str:
    parts = [f"{PACKAGE} {version}, vendored into kg/serve/static/ by scripts/vendor_yasgui.py.\n",
             "=" * 78,
             f"{PACKAGE} {version}: MIT",
             "The package declares its licence as MIT (package.json: author Triply <info@triply.cc>, "
             "contributors Zazuko GmbH;\nhttps://github.com/rdfjs/Yasgui) and ships no licence file. "
             "The MIT licence reads:\n", MIT,
             "Its build bundles the packages below, each under its own licence.\n"]
    for name in bundled:
        meta = package_json(modules, name)
        files = sorted(p for p in (modules / name).iterdir()
                       if re.match(r"(licen[cs]e|copying)", p.name, re.I) and p.is_file())
        parts += ["=" * 78, f"{name} {meta['version']}: {meta.get('license', 'see its licence file')}"]
        parts.append(files[0].read_text(encoding="utf-8", errors="replace").strip() + "\n" if files
                     else "(no licence file in the package; licence as declared above)\n")
    return "\n".join(parts)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else VERSION)
