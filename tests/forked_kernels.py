"""Kernels for nbval and the student copies, forked from a process that has already imported the course.

A kernel started from scratch spends ~1.4 s of CPU before a notebook's first line has run: Python
starts, then ipykernel, numpy, matplotlib, numba and gdlib import, and numba loads gdlib's compiled
loop from its cache. The tests start a dozen such kernels. Here one process, the *template*, does all
that once; each kernel is then a fork of it: a process of its own, with an empty namespace, that
runs a notebook from its first cell as a kernel started from scratch would.

What differs from a kernel started from scratch: the libraries are already imported when a
notebook's first cell imports them, so whatever an import printed or warned would not show there.
The template refuses to serve if any of its imports printed or warned (the kernels then start from
scratch), and CI's Binder check runs every notebook in kernels started from scratch.

Two commands (``python tests/forked_kernels.py ...``):

- ``serve SOCKET``: the template. It imports, then forks a kernel for each request on the Unix
  socket SOCKET, until its standard input closes (the pytest process that started it has ended).
- ``launch -f CONNECTION_FILE``: the command of the kernelspec that nbval uses (``kernelspec``).
  It asks the template named by GDLIB_KERNEL_TEMPLATE for a kernel, hands it its standard streams,
  passes on the signals that jupyter_client sends it (interrupt, terminate) and ends with it; the
  kernel ends with it too, even if it is killed. Without a template it starts a kernel from scratch.

Linux only (a pidfd watches the kernel); elsewhere ``launch`` starts kernels from scratch.
GDLIB_FRESH_KERNELS=1 makes the tests start every kernel from scratch.
"""

import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys

TEMPLATE_VARIABLE = "GDLIB_KERNEL_TEMPLATE"
KERNEL_NAME = "gdlib-tests"  # pyproject.toml: --nbval-kernel-name
# What a notebook's first cell imports (after ipykernel, which the template imports first).
PRELOADED = ("numpy", "matplotlib.pyplot", "gdlib")
_HEADER = struct.Struct("!I")  # the length of the request that follows
_FILTERS_OF_THE_KERNEL = []  # the warning filters once ipykernel is imported, before PRELOADED


def enabled():
    """Whether kernels are forked here (Linux 5.3 or later for pidfds, and not turned off with
    GDLIB_FRESH_KERNELS=1)."""
    if os.environ.get("GDLIB_FRESH_KERNELS") or not hasattr(socket, "send_fds"):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        return False
    return True


def kernelspec():
    """The kernel.json of the tests' kernels: ``launch``, with this Python."""
    return {"argv": [sys.executable, os.path.abspath(__file__), "launch", "-f", "{connection_file}"],
            "display_name": "Python 3 (gdlib tests)", "language": "python",
            "metadata": {"debugger": False}}


def write_kernelspec(folder):
    """Write the kernelspec KERNEL_NAME into ``folder``/kernels, a folder for JUPYTER_PATH."""
    spec = os.path.join(folder, "kernels", KERNEL_NAME)
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w") as file:
        json.dump(kernelspec(), file)


class Template:
    """The template process, started by ``start`` in the pytest process that needs kernels."""

    def __init__(self, folder, log_path):
        self.socket_path = os.path.join(folder, "template.sock")
        self.log_path = log_path
        self.process = None

    def start(self):
        """Start the template (returns at once; a launch waits for its imports). Kernels whose
        environment has GDLIB_KERNEL_TEMPLATE=``socket_path`` are forked from it."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), "serve", self.socket_path],
                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self):
        if self.process is not None:
            self.process.stdin.close()  # the template's cue to end
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


# ------------------------------------------------------------------------------ the template
def serve(socket_path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)  # before importing: a launch may connect, and waits for the imports
    listener.listen(64)
    refusal = _preload()
    if refusal:
        print(f"forked_kernels: not serving, kernels start from scratch: {refusal}", flush=True)
        listener.close()
        os.unlink(socket_path)
        return 1
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no one here waits for a kernel: no zombies
    kernels = {}  # a launch's lifeline (read end) -> a pidfd of its kernel
    while True:
        ready, _, _ = select.select([listener, sys.stdin, *kernels], [], [])
        if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1024):
            for kernel in kernels.values():  # the tests have ended: no kernel outlives them
                _pass_on(kernel, signal.SIGKILL)
            return 0
        for lifeline in set(ready) & set(kernels):
            if not os.read(lifeline, 1024):  # its launch has ended: so does the kernel, if still there
                kernel = kernels.pop(lifeline)
                _pass_on(kernel, signal.SIGKILL)
                os.close(kernel)
                os.close(lifeline)
        if listener in ready:
            connection, _ = listener.accept()
            with connection:
                kernels.update(_fork_kernel(connection, listener, kernels))


def _preload():
    """Import PRELOADED and load gdlib's compiled loop; return why not to serve, or ""."""
    import io
    import threading
    import warnings

    sys.path[:] = [path for path in sys.path if path != os.path.dirname(os.path.abspath(__file__))]
    # ipykernel sets this before a notebook runs; matplotlib reads it when imported.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    printed, shown = io.StringIO(), []
    stdout, stderr, sys.stdout, sys.stderr = sys.stdout, sys.stderr, printed, printed
    # The warnings that would show, under the filters that the imports set, as in a kernel.
    showwarning = warnings.showwarning
    warnings.showwarning = lambda message, category, *_, **__: shown.append(f"{category.__name__}: {message}")
    try:
        import ipykernel.kernelapp  # noqa: F401 - imported by the kernel before any notebook

        _FILTERS_OF_THE_KERNEL[:] = warnings.filters
        for module in PRELOADED:
            __import__(module)
        import gdlib

        gdlib.train(gdlib.Network((1, 1), seed=0), [1.0], 0.5, learning_rate=0.1, iterations=1)
    except Exception as error:  # noqa: BLE001 - any failure: kernels start from scratch instead
        return f"{type(error).__name__}: {error}"
    finally:
        sys.stdout, sys.stderr, warnings.showwarning = stdout, stderr, showwarning
    if shown or printed.getvalue():
        return f"the imports warned or printed: {shown} {printed.getvalue()!r}"
    if "matplotlib_inline.backend_inline" in sys.modules:
        return "matplotlib chose its backend before a kernel existed"
    if threading.active_count() != 1:
        return "a thread is running, and fork copies only the one that calls it"
    return ""


def _fork_kernel(connection, listener, kernels):
    """Read a launch's request, fork, answer with the kernel's process id; return
    {the launch's lifeline: a pidfd of the kernel}."""
    header, fds, _, _ = socket.recv_fds(connection, _HEADER.size, 4)
    if len(fds) != 4:
        return {}
    streams, lifeline = fds[:3], fds[3]
    try:
        (length,) = _HEADER.unpack(header)
        data = b""
        while len(data) < length:
            chunk = connection.recv(length - len(data))
            if not chunk:
                os.close(lifeline)
                return {}
            data += chunk
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            for fd in (listener.detach(), connection.detach(), lifeline, *kernels, *kernels.values()):
                os.close(fd)  # the template's: its socket, and the other kernels' (fd 0 is replaced)
            _become_kernel(json.loads(data), streams)  # never returns
        connection.sendall(str(pid).encode())
        try:
            return {lifeline: os.pidfd_open(pid)}
        except ProcessLookupError:  # it has ended already
            os.close(lifeline)
            return {}
    finally:
        for fd in streams:
            os.close(fd)


def _become_kernel(request, streams):
    """In the forked child: take the launch's streams, folder, environment and arguments, as a
    process that it had started, then run ipykernel as ``python -m ipykernel_launcher`` does."""
    import warnings

    import ipykernel_launcher
    import numpy

    for target, fd in zip((0, 1, 2), streams):
        os.dup2(fd, target)
    errors = streams[2]  # the launch's standard error, which the kernel does not redirect
    os.close(streams[0])
    os.close(streams[1])
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        numpy.random.seed()  # numpy's global generator, from fresh entropy as in a new process

        from ipykernel.kernelapp import IPKernelApp

        imported = [item for item in warnings.filters if item not in _FILTERS_OF_THE_KERNEL]
        # IPKernelApp reads these two from the environment when ipykernel is imported.
        app = IPKernelApp.instance(parent_handle=int(os.environ.get("JPY_PARENT_PID") or 0),
                                   interrupt=int(os.environ.get("JPY_INTERRUPT_EVENT") or 0))
        app.initialize(request["argv"])
        # What the imports do when a notebook runs them in a started kernel: their warning filters
        # come before the kernel's, and ipywidgets registers its comm targets.
        for action, message, category, module, lineno in reversed(imported):
            warnings.filterwarnings(action, getattr(message, "pattern", message) or "", category,
                                    getattr(module, "pattern", module) or "", lineno)
        if "ipywidgets" in sys.modules:
            sys.modules["ipywidgets"].register_comm_target()
        app.start()
    except BaseException:  # noqa: BLE001 - the child must never return into the template's loop
        import traceback

        os.write(errors, f"forked_kernels: the kernel failed:\n{traceback.format_exc()}".encode())
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# ------------------------------------------------------------------------------ the launch
def launch(argv):
    socket_path = os.environ.get(TEMPLATE_VARIABLE)
    kernel = _fork_from_template(socket_path, argv) if socket_path and enabled() else None
    if kernel is None:  # a kernel from scratch
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, lambda received, _frame: _pass_on(kernel, received))
    select.select([kernel], [], [])  # readable when the kernel has ended
    return 0


def _fork_from_template(socket_path, argv):
    """A pidfd of a kernel that the template forked, or None if it cannot."""
    lifeline_read, lifeline_write = os.pipe()  # the write end stays open while this process lives
    request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(socket_path)
            socket.send_fds(connection, [_HEADER.pack(len(request))], [0, 1, 2, lifeline_read])
            connection.sendall(request)
            answer = b""
            while chunk := connection.recv(64):
                answer += chunk
        return os.pidfd_open(int(answer)) if answer else None
    except (OSError, ValueError):
        return None
    finally:
        os.close(lifeline_read)


def _pass_on(kernel, signum):
    try:
        signal.pidfd_send_signal(kernel, signum)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    sys.exit(serve(*arguments) if command == "serve" else launch(arguments))
