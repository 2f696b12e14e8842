"""The kernels that nbval and the student copies use (tests/forked_kernels.py): a kernel forked from
the template is set up as one started from scratch, answers an interrupt, and does not outlive its
launch; without a template the launch starts a kernel from scratch.
"""

import json
import os
import pathlib
import signal
import time

import forked_kernels
import pytest
from jupyter_client import KernelManager

pytestmark = pytest.mark.skipif(not forked_kernels.enabled(), reason="kernels are forked on Linux only")

NOTEBOOKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "notebooks")

# What a notebook's first cell leaves set up, as plain data: the same in both kernels, or the
# notebooks under nbval would not run as a learner's do.
SET_UP = r"""
import json, os, signal, sys, threading, warnings
import matplotlib, matplotlib.pyplot as plt, numpy as np, gdlib
plt.close(plt.figure())  # the backend is chosen now
shell = get_ipython()
print(json.dumps({
    "sys.path": sys.path, "cwd": os.getcwd(), "argv": [os.path.basename(sys.argv[0])] + sys.argv[1:2],
    "environment": sorted(os.environ), "warning filters": [repr(item) for item in warnings.filters],
    "backend": matplotlib.get_backend(), "rcParams": {k: repr(v) for k, v in matplotlib.rcParams.items()},
    "signals": [repr(signal.getsignal(number)) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD)],
    "threads": sorted(type(thread).__name__ for thread in threading.enumerate()),
    "comm targets": sorted(shell.kernel.comm_manager.targets),
    "display formats": sorted(shell.display_formatter.active_types),
    "after each cell": sorted(getattr(f, "__name__", "?") for f in shell.events.callbacks["post_execute"]),
    "numpy": [repr(np.geterr()), repr(np.get_printoptions())], "user names": sorted(shell.user_ns_hidden),
}))
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    template = forked_kernels.Template(str(folder), str(folder / "template.log"))
    template.start()
    try:
        yield template
    finally:
        template.stop()


@pytest.fixture
def start_kernel(request):
    """Start a kernel of the tests' kernelspec with GDLIB_KERNEL_TEMPLATE set to ``socket``;
    shut down after the test."""
    started = []

    def start(socket):
        manager = KernelManager(kernel_name=forked_kernels.KERNEL_NAME)
        environment = dict(os.environ, **{forked_kernels.TEMPLATE_VARIABLE: socket})
        manager.start_kernel(cwd=NOTEBOOKS, env=environment)
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        started.append((manager, client))
        return manager, client

    yield start
    for manager, client in started:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code, timeout=60):
    """What running ``code`` printed, and the error it raised ("" for none)."""
    printed, errors = [], []

    def output(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            errors.append(message["content"]["ename"])

    client.execute_interactive(code, output_hook=output, timeout=timeout)
    return "".join(printed), "".join(errors)


def kernel_pid(client):
    return int(run(client, "import os; print(os.getpid())")[0])


def test_a_forked_kernel_is_set_up_as_one_started_from_scratch(template, start_kernel, tmp_path):
    manager, scratch = start_kernel(str(tmp_path / "no-template.sock"))  # nothing listens there
    assert kernel_pid(scratch) == manager.provisioner.process.pid, "no template, yet not started from scratch"
    manager, forked = start_kernel(template.socket_path)
    assert kernel_pid(forked) != manager.provisioner.process.pid, (
        f"not forked from the template, which printed: {pathlib.Path(template.log_path).read_text()!r}")

    (from_scratch, error), (from_template, error_forked) = run(scratch, SET_UP), run(forked, SET_UP)
    assert error == error_forked == ""
    from_scratch, from_template = json.loads(from_scratch), json.loads(from_template)
    differences = {key: (from_scratch[key], from_template[key]) for key in from_scratch
                   if from_scratch[key] != from_template[key]}
    assert not differences, f"(from scratch, forked) differ in: {differences}"


def test_an_interrupt_reaches_a_forked_kernel(template, start_kernel):
    manager, client = start_kernel(template.socket_path)
    client.execute("import time; time.sleep(60)")
    time.sleep(0.5)
    manager.interrupt_kernel()
    start, errors = time.monotonic(), []
    while True:  # the sleeping cell ends with KeyboardInterrupt, and the kernel is idle again
        message = client.get_iopub_msg(timeout=10)
        if message["msg_type"] == "error":
            errors.append(message["content"]["ename"])
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
    assert errors == ["KeyboardInterrupt"] and time.monotonic() - start < 5
    assert run(client, "print(6 * 7)") == ("42\n", ""), "the kernel did not go on after the interrupt"


def test_a_forked_kernel_ends_when_its_launch_is_killed(template, start_kernel):
    manager, client = start_kernel(template.socket_path)
    pid = kernel_pid(client)
    manager.provisioner.process.send_signal(signal.SIGKILL)  # as jupyter_client kills a kernel that hangs
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _running(pid):
        time.sleep(0.1)
    assert not _running(pid), "the kernel outlived its killed launch"


def _running(pid):
    """Whether process ``pid`` exists (the template leaves no zombie: it ignores SIGCHLD)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
