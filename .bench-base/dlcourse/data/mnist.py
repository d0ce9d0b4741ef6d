"""MNIST that loads anywhere: a verified cache, mirror fallback, and one clear error offline.

Where the files come from, in order:

1. the cache directory ``$DLCOURSE_DATA/mnist`` (or ``$XDG_CACHE_HOME/dlcourse/mnist``, by
   default ``~/.cache/dlcourse/mnist``), holding the four canonical IDX ``.gz`` files;
2. otherwise a download from the first public mirror that works (``MIRRORS``, or the
   space-separated URLs in ``$DLCOURSE_MNIST_MIRRORS``).

Nothing is ever parsed before it is verified: a download's ``.gz`` must match the published md5,
and every file's *decompressed* content must match the published sha256 (a re-compressed copy,
like a course's shared folder, has other ``.gz`` bytes but the same content). Downloads go to a
temporary ``.part`` file that is renamed only once verified, so an interrupted download never
leaves a file that looks complete.

For speed, decompressed copies of the IDX files are kept in the per-user cache (never in a
shared data folder) and re-verified by the same published sha256 at every load.

For memory, the arrays ``load_mnist`` returns in float32 (the course's dtype) are decoded once
into ``.npy`` files in the cache (``$DLCOURSE_CACHE/mnist``, else the per-user cache) and
memory-mapped read-only: every kernel that loads MNIST shares one copy in the page cache, and a
kernel only holds the pages it reads. They are written only from verified content, atomically,
into a folder whose name carries the checksums of the four files (so they never outlive a
change of data); a read-only cache is used as it is, and without a usable cache the arrays are
decoded in memory as before.
"""
from __future__ import annotations

import gzip
import hashlib
import http.client
import io
import operator
import os
import sys
import tempfile
import urllib.request
import zlib
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

FETCH_COMMAND = "python -m dlcourse data fetch"
CACHE_ENV = "DLCOURSE_CACHE"
MIRRORS_ENV = "DLCOURSE_MNIST_MIRRORS"
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)


class MnistFile(NamedTuple):
    """One of the four MNIST files: its ``.gz`` name and published checksums."""
    name: str     # e.g. "train-images-idx3-ubyte.gz"
    gz_md5: str   # md5 of the .gz as published on the mirrors (checked on download)
    sha256: str   # sha256 of the decompressed IDX content (checked always)

    @property
    def raw_name(self) -> str:
        """The decompressed file's name, e.g. "train-images-idx3-ubyte"."""
        return self.name.removesuffix(".gz")


FILES = {
    "train_images": MnistFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                              "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "train_labels": MnistFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                              "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "test_images": MnistFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                             "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "test_labels": MnistFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c",
                             "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}

# IDX type codes (third byte of the magic number) and the big-endian dtypes they stand for.
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CHUNK = 1 << 16


class MnistUnavailableError(RuntimeError):
    """MNIST is neither in the cache nor downloadable; the message says what to do."""


class CorruptFileError(ValueError):
    """A file is truncated, not valid gzip/IDX, or does not match its published checksum."""


# --- where the files live -------------------------------------------------------------------

def user_cache_dir() -> Path:
    """The per-user cache: ``$XDG_CACHE_HOME/dlcourse``, by default ``~/.cache/dlcourse``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dlcourse"


def cache_dir() -> Path:
    """Where dlcourse keeps what it derives from the data (decompressed and decoded copies):
    ``$DLCOURSE_CACHE`` if set, else :func:`user_cache_dir`. Never the data folder, which may be
    shared and read-only."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser().resolve() if env else user_cache_dir()


def data_dir() -> Path:
    """The data cache: ``$DLCOURSE_DATA`` if set, else :func:`user_cache_dir`. MNIST lives in its
    ``mnist`` subfolder."""
    env = os.environ.get("DLCOURSE_DATA")
    return Path(env).expanduser().resolve() if env else user_cache_dir()


def mnist_dir() -> Path:
    """The folder that holds (or will hold) the four ``.gz`` files."""
    return data_dir() / "mnist"


def mirrors() -> list[str]:
    """Base URLs to download from, in order: ``$DLCOURSE_MNIST_MIRRORS`` if set, else MIRRORS."""
    env = os.environ.get(MIRRORS_ENV)
    return env.split() if env else list(MIRRORS)


# --- reading and verifying ------------------------------------------------------------------

def parse_idx(data: bytes) -> np.ndarray:
    """Parse the bytes of an (uncompressed) IDX file into an array of its shape and type.

    IDX: two zero bytes, a type code, the number of dimensions d, then d big-endian uint32 sizes,
    then the values. MNIST images are (N, 28, 28) uint8, labels (N,) uint8.
    Raises CorruptFileError if the header is invalid or the data is shorter or longer than the
    header says (a truncated file is never parsed into garbage).
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise CorruptFileError(f"not an IDX file (magic number {data[:4].hex() or 'missing'})")
    dtype, ndim = np.dtype(_IDX_DTYPES[data[2]]), data[3]
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise CorruptFileError(f"IDX header truncated: {len(data)} of {header_size} bytes")
    shape = tuple(int(n) for n in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = header_size + dtype.itemsize * int(np.prod(shape))
    if len(data) != expected:
        raise CorruptFileError(f"IDX file of shape {shape} should be {expected} bytes, "
                               f"but is {len(data)} bytes (truncated or corrupt)")
    values = np.frombuffer(data, dtype, offset=header_size).reshape(shape)
    if dtype.isnative or dtype.itemsize == 1:
        return values
    return values.astype(dtype.newbyteorder("="))


def _content(data: bytes, gzipped: bool, source: str, sha256: str | None) -> bytes:
    """``data`` gunzipped if ``gzipped``, checked against ``sha256``; ``source`` names it in
    errors."""
    # A browser that "helpfully" decompressed a download keeps the .gz name: an IDX file starts
    # with two zero bytes, a gzip stream with 1f 8b. Such a file is accepted when its content
    # verifies, like any other.
    if gzipped and not data.startswith(b"\x00\x00\x08"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
            raise CorruptFileError(f"{source} is not a complete gzip file ({error})") from None
    if sha256 is not None:
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise CorruptFileError(f"the content of {source} has sha256 {actual[:12]}..., "
                                   f"expected {sha256[:12]}... (corrupt, or not this file)")
    return data


def read_verified(path: Path, sha256: str | None = None) -> bytes:
    """The IDX content of ``path`` (gunzipped if its name ends in .gz), checked against ``sha256``.

    Raises CorruptFileError for a truncated or damaged gzip stream or a checksum mismatch, and
    FileNotFoundError if there is no such file.
    """
    path = Path(path)
    return _content(path.read_bytes(), path.suffix == ".gz", str(path), sha256)


def read_idx(path: Path, sha256: str | None = None) -> np.ndarray:
    """Read an IDX file (``.gz`` or not) into an array, verifying ``sha256`` first when given."""
    return parse_idx(read_verified(path, sha256))


def _write_atomically(path: Path, chunks, verify=None) -> None:
    """Write ``chunks`` (an iterable of bytes) to a temporary file beside ``path``, call
    ``verify(temporary_path)`` if given, and only then rename it to ``path``.

    Whatever goes wrong (a dropped connection, a failed check, Ctrl-C), the temporary file is
    removed: ``path`` is either absent, the old file, or the new complete one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        if verify is not None:
            verify(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a course's data folder is shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- downloading ----------------------------------------------------------------------------

class DownloadError(OSError):
    """Every mirror failed for one file; ``failures`` holds one "url: reason" per mirror."""

    def __init__(self, name: str, failures: list[str]):
        super().__init__(f"could not download {name} from any mirror: " + "; ".join(failures))
        self.failures = failures


def _download_from(url: str, file: MnistFile, path: Path, progress: bool, timeout: float) -> None:
    """Download ``url`` into ``path``; raise (leaving no file) unless complete and verified."""
    from tqdm.auto import tqdm

    md5 = hashlib.md5()
    request = urllib.request.Request(url, headers={"User-Agent": "dlcourse"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length else None
        received = 0

        def chunks():
            nonlocal received
            with tqdm(total=total, unit="B", unit_scale=True, desc=file.name,
                      disable=not progress) as bar:
                while chunk := response.read(_CHUNK):
                    md5.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
                    yield chunk

        def verify(tmp: Path) -> None:
            # http.client returns b"" rather than raising when the server closes early.
            if total is not None and received != total:
                raise CorruptFileError(f"the connection closed after {received} of {total} bytes")
            if md5.hexdigest() != file.gz_md5:
                raise CorruptFileError(f"md5 of the download is {md5.hexdigest()}, "
                                       f"expected the published {file.gz_md5}")
            _content(tmp.read_bytes(), True, url, file.sha256)

        _write_atomically(path, chunks(), verify)


def download(file: MnistFile, directory: Path, urls: list[str] | None = None, *,
             progress: bool = True, timeout: float = 15.0) -> Path:
    """Download ``file`` into ``directory`` from the first of ``urls`` (base URLs; default
    :func:`mirrors`) that serves it complete and matching both checksums. Returns its path.

    Raises DownloadError listing what went wrong with each mirror, or PermissionError if
    ``directory`` cannot be written.
    """
    directory = Path(directory).absolute()
    existing = next(folder for folder in (directory, *directory.parents) if folder.exists())
    if not _writable(existing):
        raise PermissionError(f"{existing} is read-only")
    directory.mkdir(parents=True, exist_ok=True)
    failures = []
    for base in mirrors() if urls is None else urls:
        url = base.rstrip("/") + "/" + file.name
        try:
            _download_from(url, file, directory / file.name, progress, timeout)
            return directory / file.name
        except (OSError, http.client.HTTPException, CorruptFileError) as error:
            failures.append(f"{url}: {error}")
    raise DownloadError(file.name, failures)


# --- the cache ------------------------------------------------------------------------------

def _decompressed_path(file: MnistFile) -> Path:
    """Where the decompressed copy of ``file`` is kept: always the cache (:func:`cache_dir`), so
    that loading never writes into a shared data folder. Its content is checked by the published
    sha256, so it serves whichever folder DLCOURSE_DATA names."""
    return cache_dir() / "mnist" / file.raw_name


def _writable(directory: Path) -> bool:
    """True if we may write in ``directory``: permitted, and not marked read-only by its mode
    bits (which root would otherwise ignore)."""
    return os.access(directory, os.W_OK) and bool(directory.stat().st_mode & 0o222)


def _may_create(path: Path) -> bool:
    """True if ``path`` may be created: its nearest existing folder is writable."""
    return _writable(next(folder for folder in path.parents if folder.exists()))


def _what_to_do(directory: Path, problem: str, download_error: Exception) -> str:
    """The one-paragraph error a student sees when MNIST cannot be had."""
    where = ("set by DLCOURSE_DATA" if os.environ.get("DLCOURSE_DATA")
             else "the default, since the environment variable DLCOURSE_DATA is not set")
    names = ", ".join(file.name for file in FILES.values())
    return (f"MNIST is not available: {problem}. The course looks for the four MNIST files "
            f"({names}) in {directory} ({where}), and downloading them failed: {download_error}. "
            f"To fix this, either connect to the internet and run `{FETCH_COMMAND}`, or copy the "
            f"four .gz files (for example from your course's shared data folder) into {directory}, "
            f"or set DLCOURSE_DATA to a folder whose `mnist` subfolder holds them (for example "
            f"`export DLCOURSE_DATA=/path/to/data`, then restart Jupyter); "
            f"`python -m dlcourse data status` shows what is there.")


def _verified_content(file: MnistFile, directory: Path, progress: bool = True) -> bytes:
    """The verified IDX content of ``file`` from the cache in ``directory``, downloading it first
    if it is absent or corrupt; keeps a decompressed copy for a fast next load."""
    gz_path = directory / file.name
    if gz_path.is_file():  # the copy only stands in for a .gz that is there
        try:
            return read_verified(_decompressed_path(file), file.sha256)
        except (OSError, CorruptFileError):
            pass  # absent or stale: rebuilt from the .gz below
    try:
        content = read_verified(gz_path, file.sha256)
    except (OSError, CorruptFileError) as error:
        problem = (f"{file.name} is missing" if isinstance(error, FileNotFoundError)
                   else f"{file.name} is unreadable or corrupt ({error})")
        try:
            download(file, directory, progress=progress)
        except OSError as download_error:
            raise MnistUnavailableError(_what_to_do(directory, problem, download_error)) from None
        content = read_verified(gz_path, file.sha256)
    if _may_create(_decompressed_path(file)):
        try:
            _write_atomically(_decompressed_path(file), [content])
        except OSError:
            pass  # no room: decompress at every load instead
    return content


def fetch_mnist(directory: Path | None = None, *, progress: bool = True) -> Path:
    """Make sure the four MNIST files are in the cache and verified, downloading what is
    missing or corrupt. Returns the folder (default :func:`mnist_dir`)."""
    directory = Path(directory) if directory is not None else mnist_dir()
    for file in FILES.values():
        _verified_content(file, directory, progress)
    return directory


def mnist_status(directory: Path | None = None) -> tuple[str, bool]:
    """A human-readable report of the cache (each file: present? verified?) and whether all four
    files are there and verified."""
    directory = Path(directory) if directory is not None else mnist_dir()
    source = ("DLCOURSE_DATA" if os.environ.get("DLCOURSE_DATA")
              else "default; set DLCOURSE_DATA to change")
    lines = [f"MNIST folder: {directory} ({source})"]
    all_ok = True
    for file in FILES.values():
        gz_path = directory / file.name
        try:
            read_verified(gz_path, file.sha256)
            state = f"verified ({gz_path.stat().st_size:,} bytes)"
        except FileNotFoundError:
            state, all_ok = "missing", False
        except (OSError, CorruptFileError) as error:
            state, all_ok = f"CORRUPT: {error}", False
        lines.append(f"  {file.name:28} {state}")
        copy = _decompressed_path(file)
        if copy.is_file():
            try:
                read_verified(copy, file.sha256)
                lines.append(f"    decompressed copy {copy}: verified")
            except (OSError, CorruptFileError):
                lines.append(f"    decompressed copy {copy}: stale, will be rebuilt")
    arrays = sorted(array_cache_dir().glob("*.npy"))
    size = sum(path.stat().st_size for path in arrays) / 2**20
    lines.append(f"decoded arrays: {array_cache_dir()} ({CACHE_ENV} or the per-user cache): "
                 + (f"{len(arrays)} files, {size:.0f} MB" if arrays else
                    "none yet (written at the first load)"))
    lines.append("All four files are verified: load_mnist() works offline." if all_ok else
                 f"Run `{FETCH_COMMAND}` to download what is missing or corrupt.")
    return "\n".join(lines), all_ok


# --- decoded arrays, memory-mapped ----------------------------------------------------------

_ROWS_PER_CHUNK = 5000  # images decoded and written at a time (15 MB of float32)


def array_cache_dir() -> Path:
    """The folder of the decoded arrays: ``mnist/arrays-<digest>`` in :func:`cache_dir`, the
    digest naming the published checksums of the four files they are decoded from."""
    digest = hashlib.sha256("".join(f.sha256 for f in FILES.values()).encode()).hexdigest()
    return cache_dir() / "mnist" / f"arrays-{digest[:12]}"


class _Decoder:
    """The verified IDX content of the four files, read and parsed on first use only (a warm
    cache never reads them). All four are made available then, in order, so that a missing
    file is reported (or downloaded) whichever array was asked for first."""

    def __init__(self):
        self._parsed: dict[str, np.ndarray] = {}

    def __call__(self, key: str) -> np.ndarray:
        if not self._parsed:
            directory = mnist_dir()
            self._parsed = {name: parse_idx(_verified_content(file, directory))
                            for name, file in FILES.items()}
        return self._parsed[key]

    def labels(self, split: str) -> list[np.ndarray]:
        """The labels of ``split`` as int64, in one block."""
        return [self(f"{split}_labels").astype(np.int64)]

    def images(self, split: str, rows: np.ndarray | None, dtype=np.float32):
        """The images of ``split`` (only ``rows``, a boolean mask, if given), scaled to [0, 1]:
        blocks of at most _ROWS_PER_CHUNK rows of shape (n, 784) and type ``dtype``."""
        images = self(f"{split}_images").reshape(-1, 784)
        index = np.arange(len(images)) if rows is None else np.flatnonzero(rows)
        for start in range(0, len(index), _ROWS_PER_CHUNK):
            yield np.divide(images[index[start:start + _ROWS_PER_CHUNK]], 255, dtype=dtype)


def _mapped(path: Path, dtype: np.dtype, row_shape: tuple[int, ...]) -> np.ndarray | None:
    """The array stored in ``path``, memory-mapped read-only, if it is there with this dtype and
    rows of this shape; else None."""
    try:
        mapped = np.load(path, mmap_mode="r")
    except (OSError, ValueError):
        return None
    if mapped.dtype != dtype or mapped.shape[1:] != row_shape:
        return None
    return np.asarray(mapped)  # a plain read-only ndarray over the mapping


def _npy_bytes(n_rows: int, row_shape: tuple[int, ...], dtype: np.dtype, blocks):
    """The bytes of an ``.npy`` file of ``n_rows`` rows, from an iterable of row blocks."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {
        "descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
        "shape": (n_rows, *row_shape)})
    yield header.getvalue()
    written = 0
    for block in blocks:
        written += len(block)
        yield np.ascontiguousarray(block, dtype=dtype).tobytes()
    if written != n_rows:
        raise CorruptFileError(f"decoded {written} rows, expected {n_rows}")


def _cached(path: Path, dtype, row_shape: tuple[int, ...], n_rows: int, blocks) -> np.ndarray:
    """The array of ``n_rows`` rows in ``path``, memory-mapped. If it is missing, ``blocks()``
    decodes it (an iterable of row blocks, one in memory at a time) and it is written there
    first, atomically; where the cache cannot be written (read-only, full), the decoded array is
    returned from memory instead."""
    dtype = np.dtype(dtype)
    array = _mapped(path, dtype, row_shape)
    if array is not None and len(array) == n_rows:
        return array
    if _may_create(path):
        try:
            _write_atomically(path, _npy_bytes(n_rows, row_shape, dtype, blocks()))
        except OSError:
            pass  # no room, or a read-only file system: decode in memory below
        else:
            array = _mapped(path, dtype, row_shape)
            if array is not None:
                return array
    return np.concatenate(list(blocks())).astype(dtype, copy=False)


def _arrays(validation_rows, dtype) -> dict[str, np.ndarray]:
    """X_train, y_train, X_test, y_test (and X_val, y_val with a split): images (N, 784) of
    ``dtype`` in [0, 1] and int64 labels. The labels, and float32 images, come memory-mapped from
    the array cache; other dtypes are decoded in memory. ``validation_rows(n_train)`` gives the
    boolean mask of the validation rows among the training images, or None."""
    directory, decode = array_cache_dir(), _Decoder()
    labels: dict[str, Any] = {}
    for split in ("train", "test"):
        path = directory / f"y_{split}.npy"
        labels[split] = _mapped(path, np.dtype(np.int64), ())
        if labels[split] is None:
            n_labels = len(decode(f"{split}_labels"))
            labels[split] = _cached(path, np.int64, (), n_labels,
                                    lambda split=split: decode.labels(split))
    is_val = validation_rows(len(labels["train"]))
    parts = {"train": ("train", None if is_val is None else ~is_val), "test": ("test", None)}
    suffix = ""
    if is_val is not None:
        parts["val"] = ("train", is_val)
        rows = np.flatnonzero(is_val).astype("<i8")
        suffix = "-" + hashlib.sha256(rows.tobytes()).hexdigest()[:16]
    data = {}
    for name, (split, selected) in parts.items():
        y = labels[split] if selected is None else labels[split][selected]
        if np.dtype(dtype) == np.float32:
            path = directory / f"X_{name}{suffix if split == 'train' else ''}.npy"
            X = _cached(path, np.float32, (784,), len(y),
                        lambda split=split, selected=selected: decode.images(split, selected))
        else:
            X = np.concatenate(list(decode.images(split, selected, dtype)))
        data[f"X_{name}"], data[f"y_{name}"] = X, y
    return data


# --- the public loader ----------------------------------------------------------------------

def load_mnist(layout: str = "flat", one_hot: bool = False, validation_size: int = 0,
               rng: np.random.Generator | None = None, dtype=np.float32) -> dict[str, np.ndarray]:
    """MNIST as arrays ready to train on: the same arrays at every call.

    Inputs:
    - layout: "flat" for X of shape (N, 784), or "image" for (N, 1, 28, 28).
    - one_hot: False for y of shape (N,) int64 in 0..9; True for (N, 10) float32 one-hot rows.
    - validation_size: how many of the 60000 training images to hold out as a validation set,
      drawn with ``rng`` (required then) and removed from the training set.
    - rng: np.random.Generator choosing the validation rows.
    - dtype: floating dtype of X, whose values are pixel intensities scaled to [0, 1].

    Returns a dict with "X_train", "y_train" (60000 - validation_size rows), "X_test", "y_test"
    (10000 rows) and, when validation_size > 0, "X_val", "y_val". Rows keep MNIST's order.
    In float32 the images are read-only, memory-mapped from the cache (see the module
    docstring): ``X.copy()`` gives an array of your own to modify.
    The files come from the cache, else are downloaded (see the module docstring); if neither is
    possible, MnistUnavailableError says what to do.
    """
    if layout not in ("flat", "image"):
        raise ValueError(
            f'layout must be "flat" (N, 784) or "image" (N, 1, 28, 28), got {layout!r}')
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"dtype must be a floating type such as np.float32, got {dtype!r}")
    if not 0 <= operator.index(validation_size) < 60000:
        raise ValueError(f"validation_size must be in [0, 60000), got {validation_size}")
    if validation_size and not isinstance(rng, np.random.Generator):
        raise TypeError("a validation split needs rng=np.random.default_rng(seed), "
                        f"got rng={rng!r}")

    def validation_rows(n_train: int) -> np.ndarray | None:
        if not validation_size:
            return None
        is_val = np.zeros(n_train, dtype=bool)
        assert rng is not None   # checked above, for a split of any size
        is_val[rng.permutation(n_train)[:validation_size]] = True
        return is_val

    data = _arrays(validation_rows, dtype)
    for name in data:
        if name.startswith("X_") and layout == "image":
            data[name] = data[name].reshape(-1, 1, 28, 28)
        if name.startswith("y_") and one_hot:
            data[name] = np.eye(10, dtype=np.float32)[data[name]]
    return data


# --- `python -m dlcourse data fetch|status` -------------------------------------------------

def _fetch_command(args) -> int:
    try:
        fetch_mnist()
        load_mnist()  # decodes the arrays into the cache, for every kernel to share
    except MnistUnavailableError as error:
        print(error, file=sys.stderr)
        return 1
    return _status_command(args)


def _status_command(args) -> int:
    report, all_ok = mnist_status()
    print(report)
    return 0 if all_ok else 1


def add_data_command(commands) -> None:
    """Register `data fetch` and `data status` on the `dlcourse` command's subparsers."""
    data = commands.add_parser("data", help="download MNIST into the cache, or show what is there")
    actions = data.add_subparsers(dest="action", required=True)
    actions.add_parser("fetch", help="download and verify the MNIST files (into "
                                     "$DLCOURSE_DATA/mnist), and decode them into the cache"
                       ).set_defaults(run=_fetch_command)
    actions.add_parser("status", help="where the MNIST files are and whether they verify"
                       ).set_defaults(run=_status_command)
