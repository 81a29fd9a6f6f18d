"""requirements.lock holds what requirements*.txt ask for, each file with its hashes (`make lock` writes it).

Offline: every pin of the requirement files is in the lock at its version, every package the lock
says a file asked for is still asked for, and nothing in it installs without a hash. `make
lock-check` (in CI) resolves the files again against the lock, so a changed transitive
requirement shows too.
"""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILES = ["requirements.txt", "requirements-dev.txt", "requirements-bench.txt"]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(file: str) -> dict[str, str]:
    """The file's own requirements (name -> version); each must be an exact pin."""
    found = {}
    for line in (REPO / file).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        match = PIN.match(line)
        assert match, f"{file}: {line!r} is not pinned with =="
        found[canonical(match["name"])] = match["version"]
    return found


def lock_entries() -> list[dict]:
    """Each entry of the lock: name, version, its hashes and what it was required by ('-r file' or a package)."""
    entries: list[dict] = []
    via_block = False
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if match := PIN.match(line):
            entries.append({"name": canonical(match["name"]), "version": match["version"], "hashes": 0, "via": set()})
            via_block = False
        elif line.strip().startswith("--hash=sha256:"):
            entries[-1]["hashes"] += 1
        elif line.strip().startswith("# via"):
            rest = line.strip().removeprefix("# via").strip()
            via_block = not rest
            if rest:
                entries[-1]["via"].add(rest)
        elif via_block and line.strip().startswith("#   "):
            entries[-1]["via"].add(line.strip().removeprefix("#").strip())
    return entries


def test_every_pin_of_the_requirement_files_is_locked_at_its_version():
    locked = {(entry["name"], entry["version"]) for entry in lock_entries()}
    for file in FILES:
        for name, version in pins(file).items():
            assert (name, version) in locked, f"{file} pins {name}=={version}, which requirements.lock does not: make lock"


def test_what_the_lock_says_a_file_asked_for_the_file_still_asks_for():
    asked = {file: set(pins(file)) for file in FILES}
    for entry in lock_entries():
        for parent in entry["via"]:
            if parent.startswith("-r "):
                assert entry["name"] in asked[parent.removeprefix("-r ")], (
                    f"requirements.lock has {entry['name']} for {parent}, which no longer asks for it: make lock"
                )


def test_every_locked_package_has_its_hashes():
    entries = lock_entries()
    assert len(entries) > 50
    for entry in entries:
        assert entry["hashes"] >= 1, f"{entry['name']} has no hash in requirements.lock"
        assert entry["via"], f"{entry['name']} says nothing of what needs it"


def test_the_lock_holds_what_import_trafilatura_needs():
    """Pip 23.2 alone resolved lxml 6 without lxml_html_clean, and `import trafilatura` failed: the lock names both."""
    names = {entry["name"] for entry in lock_entries()}
    assert {"trafilatura", "justext", "lxml", "lxml-html-clean"} <= names
