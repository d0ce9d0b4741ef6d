"""dlcourse.data: toy datasets, IDX parsing, the verified MNIST cache and download.

Downloads are tested against a local HTTP server on 127.0.0.1 only: every test runs with the
mirror list pointing at a closed local port unless it starts its own server, so no test can
reach the internet. The real MNIST test reads the offline copy that DLCOURSE_DATA names.
"""
import gzip
import hashlib
import http.server
import os
import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from dlcourse import cli
from dlcourse.data import (
    MnistUnavailableError,
    gate_table,
    load_mnist,
    make_blobs,
    make_separable,
    make_spirals,
    make_xor,
    mnist,
)

# --- toy datasets ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]),
                                            ("nand", [1, 1, 1, 0]), ("nor", [1, 0, 0, 0]),
                                            ("XOR", [0, 1, 1, 0])])
def test_gate_table(name, expected):
    X, y = gate_table(name)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, expected)
    assert X.dtype == np.float64 and y.dtype == np.int64


def test_gate_table_rejects_unknown_gate():
    with pytest.raises(ValueError, match="unknown gate 'xnor'"):
        gate_table("xnor")


@pytest.mark.parametrize("make, n_args, n_rows", [
    (make_blobs, (50,), 100), (make_separable, (80,), 80), (make_xor, (60,), 60),
    (make_spirals, (40,), 120)])
def test_toy_data_shapes_and_reproducibility(make, n_args, n_rows):
    X, y = make(*n_args, np.random.default_rng(3))
    assert X.shape == (n_rows, 2) and X.dtype == np.float64
    assert y.shape == (n_rows,) and y.dtype == np.int64
    X_again, y_again = make(*n_args, np.random.default_rng(3))
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    X_other, _ = make(*n_args, np.random.default_rng(4))
    assert not np.array_equal(X, X_other)


def test_make_blobs_has_balanced_classes_around_two_centres():
    X, y = make_blobs(500, np.random.default_rng(0), distance=3.0, std=0.5)
    assert np.bincount(y).tolist() == [500, 500]
    gap = np.linalg.norm(X[y == 0].mean(axis=0) - X[y == 1].mean(axis=0))
    assert gap == pytest.approx(3.0, abs=0.15)


def test_make_separable_is_linearly_separable():
    X, y = make_separable(200, np.random.default_rng(1))
    assert 0 < y.sum() < len(y)
    # The perceptron converges on separable data: run it until an epoch makes no mistake.
    Xb, w = np.c_[X, np.ones(len(X))], np.zeros(3)
    for _ in range(1000):
        wrong = ((Xb @ w > 0).astype(int) != y)
        if not wrong.any():
            break
        i = np.flatnonzero(wrong)[0]
        w += (2 * y[i] - 1) * Xb[i]
    assert not wrong.any()


def test_make_xor_labels_are_xor_of_the_corners():
    X, y = make_xor(100, np.random.default_rng(2), noise=0.0)
    corners = X.astype(int)
    np.testing.assert_array_equal(X, corners)
    np.testing.assert_array_equal(y, corners[:, 0] ^ corners[:, 1])


def test_make_spirals_classes_and_radius():
    X, y = make_spirals(100, np.random.default_rng(0), n_classes=4)
    assert np.bincount(y).tolist() == [100] * 4
    assert np.linalg.norm(X, axis=1).max() <= 1.0 + 1e-12


# --- IDX files ------------------------------------------------------------------------------

_IDX_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int16): 0x0B, np.dtype(np.float32): 0x0D}


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of ``array`` (written independently of the parser under test)."""
    header = bytes([0, 0, _IDX_CODES[array.dtype], array.ndim])
    sizes = b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + sizes + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.mark.parametrize("array", [
    np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4),
    np.array([5, 0, 4, 1, 9], dtype=np.uint8),
    np.array([[-300, 2], [7, 1000]], dtype=np.int16),
    np.array([0.5, -1.25], dtype=np.float32)])
def test_parse_idx_round_trip(array):
    parsed = mnist.parse_idx(idx_bytes(array))
    assert parsed.shape == array.shape and parsed.dtype == array.dtype
    np.testing.assert_array_equal(parsed, array)


def test_parse_idx_rejects_truncated_and_foreign_files():
    data = idx_bytes(np.zeros((3, 28, 28), dtype=np.uint8))
    with pytest.raises(mnist.CorruptFileError, match="should be 2368 bytes, but is 2000"):
        mnist.parse_idx(data[:2000])
    with pytest.raises(mnist.CorruptFileError, match="header truncated"):
        mnist.parse_idx(data[:10])
    with pytest.raises(mnist.CorruptFileError, match="not an IDX file"):
        mnist.parse_idx(b"\x1f\x8b\x08\x00" + data[4:])


def test_read_idx_verifies_the_decompressed_content(tmp_path):
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    content = idx_bytes(labels)
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(gzip.compress(content))
    np.testing.assert_array_equal(mnist.read_idx(path, hashlib.sha256(content).hexdigest()), labels)
    with pytest.raises(mnist.CorruptFileError, match="sha256"):
        mnist.read_idx(path, hashlib.sha256(b"something else").hexdigest())


def test_a_file_a_browser_decompressed_but_left_named_gz_is_read_when_it_verifies(tmp_path):
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    content = idx_bytes(labels)
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(content)                   # decompressed, still named .gz
    np.testing.assert_array_equal(mnist.read_idx(path, hashlib.sha256(content).hexdigest()),
                                  labels)
    with pytest.raises(mnist.CorruptFileError, match="sha256"):
        mnist.read_idx(path, hashlib.sha256(b"another file").hexdigest())


def test_truncated_or_damaged_gzip_is_detected_not_parsed(tmp_path):
    compressed = gzip.compress(idx_bytes(np.arange(200, dtype=np.uint8)))
    path = tmp_path / "x-idx1-ubyte.gz"
    for damaged in (compressed[: len(compressed) // 2], compressed[:-4] + b"\0\0\0\0", b"junk"):
        path.write_bytes(damaged)
        with pytest.raises(mnist.CorruptFileError, match="not a complete gzip file"):
            mnist.read_idx(path)


# --- fake MNIST and a local mirror ----------------------------------------------------------

def _fake_mnist():
    """Small IDX files shaped like MNIST's, their .gz bytes, and matching MnistFile records."""
    rng = np.random.default_rng(0)
    arrays = {"train_images": rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
              "train_labels": np.arange(12, dtype=np.uint8) % 10,
              "test_images": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
              "test_labels": np.array([7, 2, 1, 0, 4], dtype=np.uint8)}
    served, files = {}, {}
    for key, array in arrays.items():
        name = mnist.FILES[key].name
        content = idx_bytes(array)
        served[name] = gzip.compress(content, mtime=0)
        files[key] = mnist.MnistFile(name, hashlib.md5(served[name]).hexdigest(),
                                     hashlib.sha256(content).hexdigest())
    return arrays, served, files


FAKE_ARRAYS, FAKE_GZ, FAKE_FILES = _fake_mnist()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """A private per-user cache, and mirrors that lead nowhere unless a test sets its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(mnist.CACHE_ENV, raising=False)
    monkeypatch.setenv(mnist.MIRRORS_ENV, f"http://127.0.0.1:{_closed_port()}/")


@pytest.fixture
def fake_mnist(monkeypatch, tmp_path):
    """Make the loader expect the fake files; returns an empty DLCOURSE_DATA folder."""
    monkeypatch.setattr(mnist, "FILES", FAKE_FILES)
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("DLCOURSE_DATA", str(data))
    return data


class _MirrorHandler(http.server.BaseHTTPRequestHandler):
    """/good/<name> serves the file; /corrupt/ flips one byte; /drop/ closes halfway."""
    requests: list

    def do_GET(self):
        self.requests.append(self.path)
        kind, _, name = self.path.strip("/").partition("/")
        body = FAKE_GZ.get(name)
        if body is None or kind not in ("good", "corrupt", "drop"):
            self.send_error(404)
            return
        if kind == "corrupt":
            body = body[:20] + bytes([body[20] ^ 0xFF]) + body[21:]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if kind == "drop" else body)
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def mirror():
    """A threaded HTTP server on 127.0.0.1; yields (base URL, list of requested paths)."""
    handler = type("Handler", (_MirrorHandler,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_download_falls_back_past_a_dropped_and_a_corrupt_mirror(mirror, tmp_path):
    base, requests = mirror
    file = FAKE_FILES["train_images"]
    urls = [f"{base}/drop/", f"{base}/corrupt/", f"{base}/good/"]
    path = mnist.download(file, tmp_path / "mnist", urls, progress=False, timeout=5)
    assert path.read_bytes() == FAKE_GZ[file.name]
    assert requests == [f"/{kind}/{file.name}" for kind in ("drop", "corrupt", "good")]
    assert sorted(p.name for p in (tmp_path / "mnist").iterdir()) == [file.name]  # no .part


def test_failed_download_leaves_no_file_and_says_why(mirror, tmp_path):
    base, _ = mirror
    file = FAKE_FILES["train_labels"]
    urls = [f"{base}/drop/", f"{base}/corrupt/", f"{base}/missing/"]
    with pytest.raises(mnist.DownloadError) as caught:
        mnist.download(file, tmp_path, urls, progress=False, timeout=5)
    reasons = caught.value.failures
    assert "connection closed after" in reasons[0]
    assert "md5 of the download" in reasons[1]
    assert "404" in reasons[2]
    assert list(tmp_path.iterdir()) == []


def test_download_checks_the_content_sha256_after_the_md5(mirror, tmp_path):
    base, _ = mirror
    wrong = FAKE_FILES["test_labels"]._replace(sha256="0" * 64)
    with pytest.raises(mnist.DownloadError, match="sha256"):
        mnist.download(wrong, tmp_path, [f"{base}/good/"], progress=False, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_fetch_then_load_from_the_cache(fake_mnist, mirror, monkeypatch, tmp_path, capsys):
    base, requests = mirror
    monkeypatch.setenv(mnist.MIRRORS_ENV, f"{base}/corrupt/ {base}/good/")
    assert cli.main(["data", "fetch"]) == 0
    assert "All four files are verified" in capsys.readouterr().out
    assert sorted(p.name for p in (fake_mnist / "mnist").iterdir()) == sorted(FAKE_GZ)
    n_requests = len(requests)
    data = load_mnist()
    assert len(requests) == n_requests  # served from the cache, no new download
    np.testing.assert_array_equal(data["y_train"], FAKE_ARRAYS["train_labels"])
    np.testing.assert_array_equal(data["X_test"] * 255, FAKE_ARRAYS["test_images"].reshape(5, 784))
    assert (tmp_path / "xdg" / "dlcourse" / "mnist" / "t10k-images-idx3-ubyte").is_file()


def _write_cache(data_dir: Path) -> Path:
    folder = data_dir / "mnist"
    folder.mkdir(exist_ok=True)
    for name, body in FAKE_GZ.items():
        (folder / name).write_bytes(body)
    return folder


def test_load_mnist_options(fake_mnist):
    _write_cache(fake_mnist)
    data = load_mnist()
    assert sorted(data) == ["X_test", "X_train", "y_test", "y_train"]
    assert data["X_train"].shape == (12, 784) and data["X_train"].dtype == np.float32
    assert data["y_train"].dtype == np.int64
    np.testing.assert_array_equal(
        data["X_train"], (FAKE_ARRAYS["train_images"].reshape(12, 784) / 255).astype(np.float32))
    again = load_mnist()
    for key in data:
        np.testing.assert_array_equal(data[key], again[key])

    image = load_mnist(layout="image", one_hot=True, dtype=np.float64)
    assert image["X_test"].shape == (5, 1, 28, 28) and image["X_test"].dtype == np.float64
    assert image["y_test"].dtype == np.float32
    np.testing.assert_array_equal(image["y_test"], np.eye(10)[[7, 2, 1, 0, 4]])

    split = load_mnist(validation_size=4, rng=np.random.default_rng(5))
    is_val = np.zeros(12, dtype=bool)
    is_val[np.random.default_rng(5).permutation(12)[:4]] = True
    np.testing.assert_array_equal(split["y_val"], FAKE_ARRAYS["train_labels"][is_val])
    np.testing.assert_array_equal(split["y_train"], FAKE_ARRAYS["train_labels"][~is_val])
    assert split["X_val"].shape == (4, 784) and split["X_train"].shape == (8, 784)


def test_load_mnist_rejects_bad_options_before_loading():
    with pytest.raises(TypeError, match="needs rng=np.random.default_rng"):
        load_mnist(validation_size=100)
    with pytest.raises(ValueError, match="layout"):
        load_mnist(layout="nchw")
    with pytest.raises(ValueError, match="validation_size"):
        load_mnist(validation_size=60000, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="dtype"):
        load_mnist(dtype=np.uint8)


def test_a_corrupt_cached_file_is_replaced_by_a_download(fake_mnist, mirror, monkeypatch):
    base, requests = mirror
    monkeypatch.setenv(mnist.MIRRORS_ENV, f"{base}/good/")
    folder = _write_cache(fake_mnist)
    name = FAKE_FILES["train_labels"].name
    (folder / name).write_bytes(FAKE_GZ[name][:-10])  # truncated
    np.testing.assert_array_equal(load_mnist()["y_train"], FAKE_ARRAYS["train_labels"])
    assert requests == [f"/good/{name}"]
    assert (folder / name).read_bytes() == FAKE_GZ[name]


def test_a_stale_decompressed_copy_is_never_used(fake_mnist, tmp_path):
    _write_cache(fake_mnist)
    load_mnist()
    copy = tmp_path / "xdg" / "dlcourse" / "mnist" / "train-labels-idx1-ubyte"
    copy.write_bytes(idx_bytes(np.full(12, 9, dtype=np.uint8)))  # valid IDX, wrong content
    shutil.rmtree(mnist.array_cache_dir())  # so that the labels are decoded again
    np.testing.assert_array_equal(load_mnist()["y_train"], FAKE_ARRAYS["train_labels"])
    assert copy.read_bytes() == idx_bytes(FAKE_ARRAYS["train_labels"])  # rebuilt


def test_offline_with_no_cache_says_what_to_do_in_one_paragraph(fake_mnist):
    with pytest.raises(MnistUnavailableError) as caught:
        load_mnist()
    message = str(caught.value)
    assert "\n" not in message
    for needed in ("DLCOURSE_DATA", "python -m dlcourse data fetch", str(fake_mnist / "mnist"),
                   "train-images-idx3-ubyte.gz is missing", "Connection refused"):
        assert needed in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert list((fake_mnist / "mnist").iterdir()) == []


def test_read_only_data_folder_is_never_written(fake_mnist):
    fake_mnist.chmod(0o555)
    try:
        with pytest.raises(MnistUnavailableError, match="is read-only"):
            load_mnist()
        assert list(fake_mnist.iterdir()) == []
    finally:
        fake_mnist.chmod(0o755)


def test_cli_status_and_offline_fetch(fake_mnist, capsys):
    assert cli.main(["data", "status"]) == 1
    out = capsys.readouterr().out
    assert f"MNIST folder: {fake_mnist / 'mnist'} (DLCOURSE_DATA)" in out
    assert out.count("missing\n") == 4 and "python -m dlcourse data fetch" in out
    assert cli.main(["data", "fetch"]) == 1
    assert "DLCOURSE_DATA" in capsys.readouterr().err
    folder = _write_cache(fake_mnist)
    (folder / FAKE_FILES["test_images"].name).write_bytes(b"not gzip")
    assert cli.main(["data", "status"]) == 1
    out = capsys.readouterr().out
    assert out.count("verified") == 3 and "t10k-images-idx3-ubyte.gz    CORRUPT" in out


# --- the decoded arrays, memory-mapped -----------------------------------------------------

def _fake_split(rng_seed: int, validation_size: int):
    is_val = np.zeros(12, dtype=bool)
    is_val[np.random.default_rng(rng_seed).permutation(12)[:validation_size]] = True
    return is_val


def _expected_images(rows=slice(None)):
    return np.divide(FAKE_ARRAYS["train_images"].reshape(12, 784)[rows], 255, dtype=np.float32)


def _is_mapped(array: np.ndarray) -> bool:
    """True for a read-only view of a memory-mapped file."""
    writeable, base = array.flags.writeable, array
    while base is not None and not isinstance(base, np.memmap):
        base = base.base
    return base is not None and not writeable


def test_float32_arrays_are_decoded_once_then_memory_mapped(fake_mnist):
    folder = _write_cache(fake_mnist)
    first = load_mnist()
    assert all(_is_mapped(first[key]) for key in first), "every array comes from the cache"
    names = sorted(p.name for p in mnist.array_cache_dir().iterdir())
    assert names == ["X_test.npy", "X_train.npy", "y_test.npy", "y_train.npy"]
    for path in (*folder.iterdir(), *mnist.array_cache_dir().parent.glob("*-ubyte")):
        path.unlink()  # the next load must not need the IDX files at all
    second = load_mnist(layout="image")
    np.testing.assert_array_equal(second["X_train"].reshape(12, 784), _expected_images())
    np.testing.assert_array_equal(second["y_test"], FAKE_ARRAYS["test_labels"])
    assert _is_mapped(second["X_train"]) and second["X_train"].shape == (12, 1, 28, 28)
    with pytest.raises(ValueError, match="read-only"):
        second["X_train"][0] = 0


def test_each_validation_split_has_its_own_arrays(fake_mnist):
    _write_cache(fake_mnist)
    for seed in (5, 5, 6):
        data = load_mnist(validation_size=4, rng=np.random.default_rng(seed))
        is_val = _fake_split(seed, 4)
        np.testing.assert_array_equal(data["X_val"], _expected_images(is_val))
        np.testing.assert_array_equal(data["X_train"], _expected_images(~is_val))
        np.testing.assert_array_equal(data["y_val"], FAKE_ARRAYS["train_labels"][is_val])
        assert _is_mapped(data["X_train"]) and _is_mapped(data["X_val"])
    names = sorted(p.name for p in mnist.array_cache_dir().iterdir())
    assert len([name for name in names if name.startswith("X_val-")]) == 2  # seeds 5 and 6
    assert "X_train.npy" not in names  # the whole training set was never asked for


def test_other_dtypes_are_decoded_in_memory(fake_mnist):
    _write_cache(fake_mnist)
    data = load_mnist(dtype=np.float64)
    np.testing.assert_array_equal(data["X_train"],
                                  FAKE_ARRAYS["train_images"].reshape(12, 784) / 255)
    assert data["X_train"].dtype == np.float64 and data["X_train"].flags.writeable
    assert not any(p.name.startswith("X_") for p in mnist.array_cache_dir().iterdir())


def test_the_cache_follows_dlcourse_cache(fake_mnist, tmp_path, monkeypatch):
    _write_cache(fake_mnist)
    monkeypatch.setenv(mnist.CACHE_ENV, str(tmp_path / "shared-cache"))
    load_mnist()
    assert mnist.array_cache_dir().parent == tmp_path / "shared-cache" / "mnist"
    assert (tmp_path / "shared-cache" / "mnist" / "train-images-idx3-ubyte").is_file()
    assert len(list(mnist.array_cache_dir().iterdir())) == 4
    assert not (tmp_path / "xdg").exists()


def _make_read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o444 if path.is_file() else 0o555)
    folder.chmod(0o555)


def _make_writable(folder: Path) -> None:
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)


def test_a_read_only_cache_is_used_and_never_written(fake_mnist, tmp_path, monkeypatch):
    _write_cache(fake_mnist)
    cache = tmp_path / "cache"
    monkeypatch.setenv(mnist.CACHE_ENV, str(cache))
    load_mnist(validation_size=4, rng=np.random.default_rng(5))  # builds the cache
    before = sorted(cache.rglob("*"))
    _make_read_only(cache)
    try:
        data = load_mnist(validation_size=4, rng=np.random.default_rng(5))
        assert _is_mapped(data["X_train"]) and _is_mapped(data["X_test"])
        other = load_mnist(validation_size=4, rng=np.random.default_rng(6))  # not in the cache
        is_val = _fake_split(6, 4)
        np.testing.assert_array_equal(other["X_train"], _expected_images(~is_val))
        assert not _is_mapped(other["X_train"]) and _is_mapped(other["X_test"])
        assert sorted(cache.rglob("*")) == before
    finally:
        _make_writable(cache)


def test_without_a_usable_cache_the_arrays_are_decoded_in_memory(fake_mnist, tmp_path,
                                                                  monkeypatch):
    _write_cache(fake_mnist)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o555)
    monkeypatch.setenv(mnist.CACHE_ENV, str(cache))
    try:
        data = load_mnist()
        np.testing.assert_array_equal(data["X_train"], _expected_images())
        np.testing.assert_array_equal(data["y_train"], FAKE_ARRAYS["train_labels"])
        assert list(cache.iterdir()) == []
    finally:
        cache.chmod(0o755)


@pytest.mark.parametrize("damage", ["truncated", "another shape", "not npy"])
def test_a_damaged_array_file_is_rebuilt(fake_mnist, damage):
    _write_cache(fake_mnist)
    load_mnist()
    path = mnist.array_cache_dir() / "X_test.npy"
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-100])
    elif damage == "another shape":
        np.save(path, np.zeros((5, 783), np.float32))
    else:
        path.write_bytes(b"garbage")
    data = load_mnist()
    np.testing.assert_array_equal(
        data["X_test"], np.divide(FAKE_ARRAYS["test_images"].reshape(5, 784), 255,
                                  dtype=np.float32))
    assert _is_mapped(data["X_test"])


def test_nothing_is_cached_from_content_that_fails_its_checksum(fake_mnist, monkeypatch):
    folder = _write_cache(fake_mnist)
    name = FAKE_FILES["train_images"].name
    bad = bytearray(gzip.decompress(FAKE_GZ[name]))
    bad[-1] ^= 0xFF  # a valid IDX file with one wrong pixel
    (folder / name).write_bytes(gzip.compress(bytes(bad)))
    with pytest.raises(MnistUnavailableError, match="sha256"):
        load_mnist()
    assert not any(p.name.startswith("X_train") for p in mnist.array_cache_dir().glob("*"))


# --- the real MNIST -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_mnist(tmp_path_factory):
    folder = Path(os.environ.get("DLCOURSE_DATA", "/nonexistent")) / "mnist"
    if not all((folder / file.name).is_file() for file in mnist.FILES.values()):
        pytest.skip(f"the MNIST files are not in {folder} (set DLCOURSE_DATA)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
        patch.delenv(mnist.CACHE_ENV, raising=False)
        patch.setenv(mnist.MIRRORS_ENV, f"http://127.0.0.1:{_closed_port()}/")
        yield load_mnist(layout="image", validation_size=10000, rng=np.random.default_rng(0))


def test_real_mnist(real_mnist):
    data = real_mnist
    assert data["X_train"].shape == (50000, 1, 28, 28) and data["X_val"].shape == (10000, 1, 28, 28)
    assert data["X_test"].shape == (10000, 1, 28, 28) and data["y_test"].shape == (10000,)
    y_all = np.concatenate([data["y_train"], data["y_val"]])
    assert np.bincount(y_all)[:2].tolist() == [5923, 6742]
    X_all = np.concatenate([data["X_train"], data["X_val"]])
    assert X_all.mean() == pytest.approx(0.1307, abs=5e-5)
    assert X_all.min() == 0.0 and X_all.max() == 1.0
    assert np.bincount(data["y_test"]).sum() == 10000 and data["y_test"][:3].tolist() == [7, 2, 1]
    assert all(_is_mapped(data[key]) for key in ("X_train", "X_val", "X_test"))
