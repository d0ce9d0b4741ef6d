"""The course in a real browser: JupyterLab for students, nbgrader's Formgrader for instructors.

One end-to-end run in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; a
downloaded browser build is never used) against a JupyterLab started on 127.0.0.1 from a temporary
copy of the course root. Screenshots of every step go to artifacts/browser/.

Without Chromium or Playwright the test is skipped, unless DLCOURSE_REQUIRE_BROWSER=1 (set by
.ci/run, which installs Chromium): then it fails.
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dlcourse.tools import nbgrader_adapter

from conftest import ROOT, stop_server

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
# As root on a machine whose network is closed: no sandbox, and no background connections (without
# these flags Chromium floods the closed network with retries).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-proxy-server"]
SCREENSHOTS = ROOT / "artifacts" / "browser"
STUDENT_NOTEBOOK = "course/01_perceptron/01_perceptron.ipynb"
TIMEOUT_MS = 60_000
KERNEL_IDLE = "Python 3 (ipykernel) | Idle"  # the status bar, once the venv's kernel is up
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


def _sync_playwright():
    """Playwright's sync API, or a skip saying why not (a failure if DLCOURSE_REQUIRE_BROWSER=1)."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[dev]')"
    if reason is None and not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if reason is None:
        return sync_playwright
    if os.environ.get("DLCOURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"DLCOURSE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"no browser to test with: {reason}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def course_root(tmp_path):
    """A copy of the instructor's course root: config, hidden tests, sources, student release.

    The Formgrader lists the assignments it finds in solutions/, and keeps its gradebook next to
    the copied nbgrader_config.py: the repository's own gradebook is never touched.
    """
    course = tmp_path / "course_root"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    shutil.copytree(ROOT / "grading", course / "grading", ignore=skip)
    shutil.copytree(ROOT / "course", course / "course", ignore=skip)
    for assignment in nbgrader_adapter.assignments(ROOT):
        shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment,
                        ignore=skip)
    return course


@pytest.fixture
def lab(course_root, tmp_path):
    """The URL and token of a JupyterLab serving ``course_root`` on 127.0.0.1; stopped afterwards.

    Started from the course root so that nbgrader's server extensions read its nbgrader_config.py.
    Jupyter's user config, runtime files, settings and workspaces live in tmp_path, so nothing of
    the machine's own Jupyter setup leaks in.
    """
    port, token = _free_port(), secrets.token_hex(16)
    exchange = tmp_path / "exchange"  # where "release" and "collect" would put files
    exchange.mkdir()
    jupyter = {name: tmp_path / "jupyter" / name for name in ("config", "runtime", "settings",
                                                               "workspaces")}
    # No "get official Jupyter news?" notification covering the screenshots.
    news = jupyter["settings"] / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # The venv's scripts on PATH: the Formgrader calls `alembic`.
    env = nbgrader_adapter.nbgrader_env(
        JUPYTER_CONFIG_DIR=str(jupyter["config"]), JUPYTER_RUNTIME_DIR=str(jupyter["runtime"]),
        JUPYTERLAB_SETTINGS_DIR=str(jupyter["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(jupyter["workspaces"]))
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course_root}",
        "--LabApp.extension_manager=readonly", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--Exchange.root={exchange}",
    ]
    log_path = tmp_path / "jupyterlab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=course_root, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited ({server.returncode}):\n{log_path.read_text()}")
            try:
                with direct.open(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in 90 s:\n{log_path.read_text()}")
                time.sleep(0.3)
        yield url, token
    finally:
        # SIGTERM: the server shuts its kernels down before it exits.
        stop_server(server)


@pytest.fixture
def page(tmp_path):
    """A page of a fresh headless Chromium (its own new profile in tmp_path)."""
    sync_playwright = _sync_playwright()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def _screenshot(page_or_element, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page_or_element.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _menu(page, menu: str, command: str) -> None:
    """Click a menu of JupyterLab's menu bar, then its item running ``command``."""
    page.get_by_role("menuitem", name=menu, exact=True).click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


def _grade_ids(notebook: dict) -> list:
    return [cell["metadata"].get("nbgrader", {}).get("grade_id") for cell in notebook["cells"]]


def test_student_runs_the_release_and_instructor_sees_every_assignment(page, lab, course_root):
    url, token = lab  # `page` comes first: without a browser, no server is started for nothing
    for old in SCREENSHOTS.glob("*.png"):  # this run's screenshots only, failure.png included
        old.unlink()
    try:
        _student_runs_all(page, url, token, course_root)
        _student_finds_validate(page)
        _instructor_opens_formgrader(page)
    except BaseException:
        _screenshot(page, "failure")
        raise


def _student_runs_all(page, url, token, course_root):
    """Step 1: open the released notebook, Run All, see the first public test fail."""
    page.goto(f"{url}/lab/tree/{STUDENT_NOTEBOOK}?token={token}")
    kernel_idle = page.locator("#jp-main-statusbar").get_by_text(KERNEL_IDLE)
    kernel_idle.wait_for()
    _screenshot(page, "1_notebook_opened")
    assert "01 · The perceptron" in page.locator(".jp-Notebook").text_content()

    _menu(page, "Run", "runmenu:run-all")
    release = json.loads((course_root / STUDENT_NOTEBOOK).read_text(encoding="utf-8"))
    ids = _grade_ids(release)
    first_test = ids.index("test_step")
    failing = page.locator(f".jp-Notebook .jp-Cell[data-windowed-list-index='{first_test}']")
    error = failing.locator(ERROR_OUTPUT)
    error.wait_for(state="attached")  # attached, as cells out of view are not rendered
    kernel_idle.wait_for()
    failing.scroll_into_view_if_needed()
    _screenshot(page, "2_run_all_first_test_fails")
    # What the student reads: the test cell stopped by the stub of the answer cell above it.
    shown = error.text_content()
    assert "NotImplementedError" in shown and "in step(x)" in shown, shown
    assert "raise NotImplementedError()" in shown, shown

    # The saved notebook says exactly which cells ran: everything up to the first test cell,
    # which fails, and nothing after it (JupyterLab stops Run All at the first error).
    dirty_tab = page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
    assert dirty_tab.count() == 1  # so that its clean state below means "saved"
    _menu(page, "File", "docmanager:save")
    dirty_tab.wait_for(state="detached")
    saved = json.loads((course_root / STUDENT_NOTEBOOK).read_text(encoding="utf-8"))
    errors = [(ids[i], output["ename"]) for i, cell in enumerate(saved["cells"])
              for output in cell.get("outputs", []) if output["output_type"] == "error"]
    assert errors == [("test_step", "NotImplementedError")]
    code = [(i, cell) for i, cell in enumerate(saved["cells"]) if cell["cell_type"] == "code"]
    assert all(cell["execution_count"] for i, cell in code if i <= first_test)
    assert not any(cell["execution_count"] for i, cell in code if i > first_test)


def _student_finds_validate(page):
    """Step 2: nbgrader's Validate button is in the notebook's toolbar."""
    toolbar = page.locator(".jp-NotebookPanel-toolbar")
    validate = toolbar.locator(".validate-button")
    assert validate.is_visible()
    assert validate.text_content().strip() == "Validate"
    assert validate.get_attribute("title") == "Validate Assignment"
    _screenshot(toolbar, "3_validate_button")


def _instructor_opens_formgrader(page):
    """Step 3: the Formgrader, opened from the Nbgrader menu, lists every assignment."""
    _menu(page, "Nbgrader", "nbgrader:open-formgrader")
    formgrader = page.frame_locator("#formgrader iframe")
    names = formgrader.locator("#main-table td.name")
    names.first.wait_for()  # the table is filled in by a request after the page loads
    listed = [name.strip() for name in names.all_inner_texts()]
    expected = nbgrader_adapter.assignments(ROOT)
    _screenshot(page, "4_formgrader_assignments")
    assert set(expected) <= set(listed), f"Formgrader lists {listed}, solutions/ has {expected}"
