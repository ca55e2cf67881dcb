"""Hostile uploads and a 50,000-row sheet, read by our reader (`common.spreadsheets`) and, for
the record of why we chose it, by python-calamine and openpyxl (read-only) unguarded.

Each read runs in a child process (capped at 3 GB of address space and 20 s, so a bomb cannot
take the shared machine down) and prints seconds and peak memory growth (the child's `VmHWM`
over its size before the read), also written to `bench-results/hostile.txt`:

    .venv/bin/python -m tests.bench.hostile            # our reader only
    .venv/bin/python -m tests.bench.hostile --compare  # also both libraries, unguarded
"""

import io
import json
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.imports.hostile import HOSTILE

READERS = ("ours", "calamine", "openpyxl")
ADDRESS_SPACE = 3 * 1024**3
SECONDS = 20
STARTING = 120


def large_sheet(rows: int = 50_000) -> bytes:
    """A realistic 50,000-row actuals sheet: a code, a month, a figure and a comment."""
    from common.writing import write_xlsx

    return write_xlsx(
        ["KPI code", "Month", "Actual", "Comments"],
        [
            [f"ASC{n % 200:03d}", f"{['Apr', 'May', 'Jun'][n % 3]}-25", n % 977, "On track"]
            for n in range(rows)
        ],
    )


def files() -> dict[str, tuple[str, bytes]]:
    built = {
        name: ("hostile.csv" if "CSV" in name else "hostile.xlsx", make())
        for name, make in HOSTILE.items()
    }
    built["50,000-row sheet"] = ("actuals.xlsx", large_sheet())
    return built


def _read(reader: str, data: bytes, filename: str) -> str:
    if reader == "ours":
        from common.spreadsheets import UnreadableFile, read_table

        try:
            return f"read {len(read_table(data, filename).rows):,} rows"
        except UnreadableFile as error:
            return f"refused: {error}"
    if filename.endswith(".csv"):
        return "(not a workbook)"
    if reader == "calamine":
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return f"read {len(sheet.to_python()):,} rows"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return f"read {sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)):,} rows"


def _status_kb(name: str) -> int:
    """A figure of this process's memory from /proc (ru_maxrss would carry the parent's peak
    over the exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise LookupError(name)


def child(reader: str, path: str, filename: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    data = Path(path).read_bytes()
    _read(reader, b"", "warm.csv") if reader == "ours" else None  # imports before the baseline
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    before = _status_kb("VmRSS")
    signal.alarm(SECONDS)  # the read's own limit; SIGALRM's default ends even a library's loop
    start = time.perf_counter()
    try:
        outcome = _read(reader, data, filename)
    except MemoryError:
        outcome = "ran out of memory (3 GB)"
    except Exception as error:  # the libraries' own errors, recorded as what happened
        outcome = f"{type(error).__name__}: {str(error)[:60]}"
    seconds = time.perf_counter() - start
    growth = (_status_kb("VmHWM") - before) / 1024
    print(json.dumps({"seconds": seconds, "megabytes": growth, "outcome": outcome}))


def measure(reader: str, path: Path, filename: str) -> str:
    command = [sys.executable, "-m", "tests.bench.hostile", "--child", reader, str(path), filename]
    # Starting Python and importing the reader can take long on a loaded machine: the child
    # limits the read itself, and this only stops a child that never gets that far.
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=SECONDS + STARTING, check=False
        )
    except subprocess.TimeoutExpired:
        return f"{'':>9}  {'':>7}       did not start within {SECONDS + STARTING} s"
    if done.returncode == -signal.SIGALRM:
        return f"{'>' + str(SECONDS):>7} s  {'?':>7}       still reading after {SECONDS} s"
    if done.returncode != 0 or not done.stdout.strip():
        last = (done.stderr.strip().splitlines() or ["?"])[-1][:60]
        return f"{'':>9}  {'':>7}       crashed (exit {done.returncode}): {last}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return f"{result['seconds']:7.3f} s  {result['megabytes']:7.1f} MB  {result['outcome'][:70]}"


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
        return
    readers = READERS if "--compare" in sys.argv else ("ours",)
    lines = ["Hostile files and a 50,000-row sheet: seconds, peak memory growth, outcome"]
    with tempfile.TemporaryDirectory() as folder:
        for name, (filename, data) in files().items():
            path = Path(folder) / filename
            path.write_bytes(data)
            lines.append(f"{name} ({len(data):,} bytes)")
            print(lines[-1], flush=True)
            for reader in readers:
                lines.append(f"  {reader:<9}{measure(reader, path, filename)}")
                print(lines[-1], flush=True)
    out = Path(__file__).resolve().parents[2] / "bench-results" / "hostile.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
