"""How long load_mnist() takes: cold (decompress and verify the .gz files, write the
decompressed copies, decode the float32 arrays into the cache) and warm (memory-map the decoded
arrays). Target: warm under 1 s.

Run from the repository root: `.venv/bin/python benchmarks/bench_mnist_load.py`. Uses
DLCOURSE_DATA, else the course's offline copy in ../shared/data; the cache is a temporary
folder, so the benchmark neither uses nor disturbs yours.
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCOURSE_DATA", str(ROOT.parent / "shared" / "data"))

from dlcourse.data import load_mnist  # noqa: E402


def seconds(repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        load_mnist()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        os.environ.pop("DLCOURSE_CACHE", None)
        cold = seconds(1)[0]
        warm = statistics.median(seconds(5))
    print(f"MNIST from {os.environ['DLCOURSE_DATA']}")
    print(f"cold load (decompress + verify + decode into the cache): {cold:.2f} s")
    print(f"warm load (median of 5):                              {warm:.2f} s  "
          f"({'under' if warm < 1 else 'OVER'} the 1 s target; "
          f"{cold / warm:.1f}x faster than cold)")


if __name__ == "__main__":
    main()
