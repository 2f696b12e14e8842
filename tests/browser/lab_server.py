"""A throw-away JupyterLab server and Debian's Chromium, for the browser tests and benchmark.

``LabServer`` runs JupyterLab (``LAUNCH_LAB``) from a given environment on 127.0.0.1 with a
free port, a random token and its own temporary config, runtime, data and IPython folders (so no
setting, workspace or pop-up of the machine leaks in), serving a folder you choose.
``launch_chromium`` starts Debian's Chromium (its headless shell where installed) through
Playwright; nothing downloads a browser.
"""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from kernel_settings import write_ipython_folder  # tests/, on sys.path beside tests/browser/

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Debian's headless shell first: the same Blink without the browser's window machinery, it spends
# ~5 s less CPU over the browser tests (measured: 7 against 12 s outside the page's own process).
# The full browser works too.
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium",
                       "/usr/bin/chromium-browser")
INSTALL_HINT = (
    "Debian's Chromium is needed: `apt-get install -y chromium-headless-shell` (or `chromium`; "
    "as root; .ci/run does it). Do not run `playwright install`. Another binary: set "
    "GDLIB_CHROMIUM=/path/to/chromium."
)

# ``jupyter lab``, less one import: jupyter_server loads jsonschema's format checkers, among them
# rfc3987_syntax (if installed), which builds ~35 parsers at import (~1 s of CPU) for the "iri"
# format that no Jupyter schema uses. Without it the server answers in ~1 s instead of ~2 s.
LAUNCH_LAB = ("import sys; sys.modules.setdefault('rfc3987_syntax', None); "
              "from jupyterlab.labapp import main; sys.exit(main())")

# Settings written into the temporary JupyterLab config folder, file by file.
LAB_SETTINGS = {
    # No "Would you like to receive official Jupyter news?" toast over the notebook.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def find_chromium():
    """Path of the Chromium binary to drive, or None when none is installed."""
    chosen = os.environ.get("GDLIB_CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def launch_chromium(playwright, executable):
    """Headless Chromium at ``executable`` (see ``find_chromium``), via Playwright's sync API."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """JupyterLab serving ``root_dir``; use as a context manager (it always stops on exit).

    ``python`` is the interpreter whose environment provides JupyterLab and the kernel
    (the project's by default: the tests check the environment they run in). With
    ``wait=False`` entering returns at once; call ``wait_until_ready`` before using it.
    ``kernel_config``: text for the kernels' ipython_kernel_config.py (none by default).
    """

    def __init__(self, root_dir, *, python=sys.executable, start_timeout=90.0, wait=True, kernel_config=""):
        self.wait = wait
        self.kernel_config = kernel_config
        self.root_dir = pathlib.Path(root_dir)
        self.python = python
        self.start_timeout = start_timeout
        self.port = None
        self.token = secrets.token_hex(16)
        self.process = None
        self._threads = []  # background kernel shutdowns
        self._scratch = None
        self.log_path = None

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self):
        self.start()
        if self.wait:
            self.wait_until_ready()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        """Launch the server (returns at once; ``wait_until_ready`` waits for it)."""
        self._scratch = tempfile.TemporaryDirectory(prefix="gdlib-lab-")
        scratch = pathlib.Path(self._scratch.name)
        config, runtime, data = scratch / "config", scratch / "runtime", scratch / "data"
        for name, settings in LAB_SETTINGS.items():
            path = config / "lab" / "user-settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings))
        runtime.mkdir()
        data.mkdir()
        write_ipython_folder(scratch / "ipython", self.kernel_config)
        env = dict(os.environ)
        env.update(JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(runtime),
                   JUPYTER_DATA_DIR=str(data), JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
                   IPYTHONDIR=str(scratch / "ipython"),  # the kernels' own: they draw every figure
                   PYTHONUNBUFFERED="1")
        env.pop("JUPYTER_PATH", None)
        self.port = free_port()
        command = [
            self.python, "-c", LAUNCH_LAB, "--no-browser",
            "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            # window.jupyterapp: the tests open and close documents and read execution counts
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path = scratch / "jupyter-lab.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_until_ready(self):
        """Wait until the server answers its REST API (~2 s on an idle machine)."""
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode}:\n"
                                   + self.log_tail())
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        log = self.log_tail()
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {self.start_timeout:.0f} s:\n{log}")

    def stop(self):
        """Shut kernels and server down; kill whatever is left after a grace period."""
        for thread in self._threads:
            thread.join(timeout=30)
        if self.process is not None and self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")  # stops the kernels too
                self.process.wait(timeout=15)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                pass
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def log_tail(self, lines=40):
        """The last lines the server printed (for error messages)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except (OSError, AttributeError):
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- REST API ------------------------------------------------------------------------------
    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, relative_path):
        """URL that opens ``relative_path`` (relative to root_dir) in a fresh Lab workspace."""
        return f"{self.base_url}/lab/tree/{relative_path}?reset&token={self.token}"

    def api(self, method, path, timeout=10):
        """Call the server's REST API; returns the decoded JSON answer (or None)."""
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self, *, wait=True):
        """Stop every running kernel (after a failure, or before a notebook of another folder).

        With ``wait=False`` the kernels are listed now and stopped in a background thread
        (a kernel takes 1-2 s to exit), so that the next notebook can open meanwhile.
        """
        ids = [kernel["id"] for kernel in self.api("GET", "/api/kernels") or []]
        if wait:
            self._delete_kernels(ids)
        else:
            thread = threading.Thread(target=self._delete_kernels, args=(ids,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _delete_kernels(self, ids):
        for kernel_id in ids:
            try:
                self.api("DELETE", f"/api/kernels/{kernel_id}", timeout=30)
            except urllib.error.HTTPError as err:
                if err.code != 404:  # 404: it had stopped already
                    raise
            except (OSError, urllib.error.URLError):
                pass  # the server is going away; stop() kills what is left
