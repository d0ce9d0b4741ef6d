"""A student's first hour with the kit, in a real browser.

The student kit is built from this repository and installed, as its README says, in a new virtual
environment outside the repository (tests/student_kit.py); JupyterLab is started from it with
`dlcourse lab` and driven in headless Chromium (Debian's /usr/bin/chromium, as in
test_browser.py). The student opens 01_perceptron, writes a wrong `step`, reads the compact
feedback, fixes it and passes; `dlcourse check` agrees; no instructor tool is in sight.
Screenshots of every step go to artifacts/browser-kit/.
"""
import json
import secrets
import subprocess
import time
import urllib.request

import pytest
from doc_shell import free_port
from test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ERROR_OUTPUT,
    KERNEL_IDLE,
    TIMEOUT_MS,
    _menu,
    _sync_playwright,
)

from conftest import ROOT, stop_server

pytestmark = pytest.mark.slow

SCREENSHOTS = ROOT / "artifacts" / "browser-kit"
NOTEBOOK = "01_perceptron/01_perceptron.ipynb"      # in the kit's course/
WRONG_STEP = "def step(x):\n    return (np.asarray(x) >= 0).astype(int)\n"
RIGHT_STEP = "def step(x):\n    return (np.asarray(x) > 0).astype(int)\n"


def _screenshot(page_or_element, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page_or_element.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def kit_lab(student_kit, tmp_path):
    """`dlcourse lab` of the installed kit on 127.0.0.1, with new per-user Jupyter folders."""
    sync_playwright = _sync_playwright()   # no browser: skip before starting anything
    with student_kit.using():
        port, token = free_port(), secrets.token_hex(16)
        env = student_kit.environment(tmp_path / "home")
        news = tmp_path / "home" / "jupyterlab_settings_dir" / "@jupyterlab" / \
            "apputils-extension"
        news.mkdir(parents=True)
        (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
        log_path = tmp_path / "jupyterlab.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [str(student_kit.bin / "dlcourse"), "lab", "--no-browser", "--ip=127.0.0.1",
                 f"--port={port}", "--ServerApp.port_retries=0",
                 f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                cwd=student_kit.folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            deadline = time.monotonic() + 90
            while True:
                if server.poll() is not None:
                    pytest.fail(f"dlcourse lab exited ({server.returncode}):\n"
                                f"{log_path.read_text()}")
                try:
                    with direct.open(f"{url}/api/status?token={token}", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"dlcourse lab did not answer in 90 s:\n"
                                    f"{log_path.read_text()}")
                    time.sleep(0.3)
            yield sync_playwright, url, token, student_kit, env
        finally:
            stop_server(server)


def _cell(page, index):
    return page.locator(f".jp-Notebook .jp-Cell[data-windowed-list-index='{index}']")


def _replace_source(page, cell, text: str) -> None:
    """Select the cell's code and type ``text`` over it (inserted as is: no auto-indent)."""
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def test_a_student_fixes_a_wrong_answer_with_the_kit(kit_lab, tmp_path):
    sync_playwright, url, token, kit, env = kit_lab
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    released = json.loads((kit.folder / "course" / NOTEBOOK).read_text(encoding="utf-8"))
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in released["cells"]]
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.pages[0] if context.pages else context.new_page()
        try:
            _student_session(page, url, token, ids)
        except BaseException:
            _screenshot(page, "failure")
            raise
        finally:
            context.close()
    _check_from_the_terminal(kit, env)


def _student_session(page, url, token, ids):
    page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={token}")
    kernel_idle = page.locator("#jp-main-statusbar").get_by_text(KERNEL_IDLE)
    kernel_idle.wait_for()
    _screenshot(page, "1_kit_notebook_opened")

    # The student's tools only: the Validate button, no Nbgrader menu, no Create Assignment.
    assert page.locator(".jp-NotebookPanel-toolbar .validate-button").is_visible()
    menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()
    assert "File" in menus and "Nbgrader" not in menus, menus
    sidebars = [tab.get_attribute("title") or "" for tab in
                page.locator(".jp-SideBar .lm-TabBar-tab").all()]
    assert sidebars and not [t for t in sidebars if "ssignment" in t or "rader" in t], sidebars

    # A wrong answer: step(0) should be 0. Run All stops at the test under it.
    step, test_step = ids.index("step"), ids.index("test_step")
    _replace_source(page, _cell(page, step), WRONG_STEP)
    _menu(page, "Run", "runmenu:run-all")
    error = _cell(page, test_step).locator(ERROR_OUTPUT)
    error.wait_for(state="attached")
    kernel_idle.wait_for()
    _cell(page, test_step).scroll_into_view_if_needed()
    _screenshot(page, "2_wrong_answer_compact_feedback")
    shown = error.inner_text()
    assert "----> check_equal(call_unmutated(step, x)" in shown, shown
    assert "FeedbackError: step([-2, -0.5, 0, 0.5, 3]) is wrong in 1 of 5 entries." in shown
    assert "first wrong entry [2]: expected 0, got 1" in shown, shown
    assert "testing.py" not in shown and "_fail" not in shown and "Traceback" not in shown

    # Fixed: the test passes, Run All goes on to the next stub.
    _replace_source(page, _cell(page, step), RIGHT_STEP)
    _menu(page, "Run", "runmenu:run-all")
    passed = _cell(page, test_step).locator(".jp-OutputArea-output")
    passed.get_by_text("step: all checks passed").wait_for(state="attached")
    kernel_idle.wait_for()
    _cell(page, test_step).scroll_into_view_if_needed()
    passed.get_by_text("step: all checks passed").wait_for(state="visible")
    _screenshot(page, "3_fixed_answer_passes")
    assert _cell(page, test_step).locator(ERROR_OUTPUT).count() == 0

    dirty_tab = page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
    _menu(page, "File", "docmanager:save")
    dirty_tab.wait_for(state="detached")


def _check_from_the_terminal(kit, env):
    done = subprocess.run(["dlcourse", "check", f"course/{NOTEBOOK}"], cwd=kit.folder, env=env,
                          capture_output=True, text=True, timeout=300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "4_dlcourse_check.txt").write_text(done.stdout + done.stderr)
    assert done.returncode == 1, done.stdout + done.stderr   # the later answers are still stubs
    assert "test_step                1 / 1   passed" in done.stdout, done.stdout
    assert "test_gates               0 / 2" in done.stdout, done.stdout
    assert "edited" not in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert "TCP" not in done.stdout + done.stderr and "WARNING" not in done.stdout + done.stderr
    saved = json.loads((kit.folder / "course" / NOTEBOOK).read_text(encoding="utf-8"))
    (step,) = [cell for cell in saved["cells"]
               if cell["metadata"].get("nbgrader", {}).get("grade_id") == "step"]
    typed = [line.strip() for line in "".join(step["source"]).splitlines()]
    assert typed == [line.strip() for line in RIGHT_STEP.splitlines()], typed   # the editor
    # may indent what it is given once more: the lines are what the student typed
