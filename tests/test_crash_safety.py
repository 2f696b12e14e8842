"""Nothing a learner does to a Network may crash the kernel; Ctrl-C stops a long run.

Compiled code does not check array bounds: a weight array of the wrong shape
once made ``train`` write past its buffers ("double free or corruption"), which
kills the process. So these checks run in a child Python process: a crash there
fails a test here instead of killing pytest. One child runs every case (each
mutation of a network against every entry point, direct calls of the compiled
engine, a run too long for memory, and Ctrl-C during a long compiled run) and
prints one JSON line per result; the tests below read them.
"""

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from gdlib import training_compiled

CHILD = textwrap.dedent(r'''
    import json, sys, time
    import numpy as np
    import gdlib
    from gdlib import training_compiled

    def say(**fields):
        print(json.dumps(fields), flush=True)

    X321, T321 = [0.1, 0.4, 4.1], 0.2
    X231, T231 = [0.3, -0.2], 0.6

    def base(kind):
        if kind == "3-2-1":
            return gdlib.Network((3, 2, 1), seed=0), X321, T321
        return gdlib.Network((2, 3, 1), seed=1, biases=[[0.1, -0.2, 0.3], [0.05]]), X231, T231

    def flat(gradients):
        return np.concatenate([np.ravel(a) for a in gradients.weights + gradients.biases])

    ENTRIES = {
        "train numpy": lambda n, x, t: gdlib.train(n, x, t, learning_rate=0.1, iterations=5,
                                                   engine="numpy").errors,
        "train compiled": lambda n, x, t: gdlib.train(n, x, t, learning_rate=0.1, iterations=5,
                                                      engine="compiled").errors,
        "train auto": lambda n, x, t: gdlib.train(n, x, t, learning_rate=0.1, iterations=5).errors,
        "train compiled, every option": lambda n, x, t: gdlib.train(
            n, x, t, learning_rate=0.1, iterations=5, engine="compiled", momentum=0.9, batch_size=1, seed=0,
            loss="cross_entropy", record_parameters=True).parameters,
        "predict": lambda n, x, t: n.predict(x),
        "forward": lambda n, x, t: n.forward(x).activs[-1],
        "error": lambda n, x, t: np.array([n.error(x, t)]),
        "gradients": lambda n, x, t: flat(n.gradients(x, t)),
        "numerical_gradients": lambda n, x, t: flat(gdlib.numerical_gradients(n, x, t)),
        "copy": lambda n, x, t: n.copy().predict(x),
    }

    def setitem(attr, index, value):
        def mutate(net):
            getattr(net, attr)[index] = value() if callable(value) else value
        return mutate

    def setlist(attr, value):
        def mutate(net):
            setattr(net, attr, value(net))
        return mutate

    def nan_at(net):
        w = net.weights[0].copy()
        w[1, 1] = np.nan
        net.weights[0] = w

    # name: (base network, mutation, the mutation's clean twin or None when it must be refused)
    CASES = {
        "weights[1] 2000 rows": ("3-2-1", setitem("weights", 1, lambda: np.ones((2000, 1))), None),
        "weights[0] transposed": ("3-2-1", lambda n: n.weights.__setitem__(0, n.weights[0].T), None),
        "one weight array too few": ("3-2-1", setlist("weights", lambda n: n.weights[:1]), None),
        "one weight array too many": ("3-2-1", lambda n: n.weights.append(np.ones((1, 1))), None),
        "an array for the list": ("3-2-1", setlist("weights", lambda n: np.ones((3, 2))), None),
        "weights[0] with NaN": ("3-2-1", nan_at, None),
        "weights[1] with inf": ("3-2-1", setitem("weights", 1, [[np.inf], [0.0]]), None),
        "weights[1] 0-d": ("3-2-1", setitem("weights", 1, lambda: np.array(0.5)), None),
        "weights[1] (2,) for (2, 1)": ("3-2-1", setitem("weights", 1, lambda: np.ones(2)), None),
        "weights[1] 3-d": ("3-2-1", setitem("weights", 1, lambda: np.ones((2, 1, 1))), None),
        "weights[1] text": ("3-2-1", setitem("weights", 1, "0.5"), None),
        "weights[1] None": ("3-2-1", setitem("weights", 1, None), None),
        "weights[1] ragged": ("3-2-1", setitem("weights", 1, [[0.5], [0.1, 0.2]]), None),
        "biases on a network without bias": (
            "3-2-1", setlist("biases", lambda n: [np.zeros(2), np.zeros(1)]), None),
        "biases[0] (3, 2) for (3,)": ("2-3-1", setitem("biases", 0, lambda: np.zeros((3, 2))), None),
        "biases[1] (5,) for (1,)": ("2-3-1", setitem("biases", 1, lambda: np.zeros(5)), None),
        "biases[0] with NaN": ("2-3-1", setitem("biases", 0, [np.nan, 0.0, 0.0]), None),
        "no biases on a network with bias": ("2-3-1", setlist("biases", lambda n: []), None),
        "biases None": ("2-3-1", setlist("biases", lambda n: None), None),
        # accepted: converted to float64 C-contiguous arrays, same numbers as the clean twin
        "weights[1] a list": ("3-2-1", setitem("weights", 1, [[0.5], [0.25]]),
                              setitem("weights", 1, lambda: np.array([[0.5], [0.25]]))),
        "weights[1] ints": ("3-2-1", setitem("weights", 1, lambda: np.array([[1], [2]])),
                            setitem("weights", 1, lambda: np.array([[1.0], [2.0]]))),
        "weights[0] float32": ("3-2-1", setitem("weights", 0, lambda: np.full((3, 2), 0.25, np.float32)),
                               setitem("weights", 0, lambda: np.full((3, 2), 0.25))),
        "weights[0] Fortran order": (
            "3-2-1", setitem("weights", 0, lambda: np.asfortranarray(np.arange(6.0).reshape(3, 2) / 10)),
            setitem("weights", 0, lambda: np.arange(6.0).reshape(3, 2) / 10)),
        "weights[0] a strided view": (
            "3-2-1", setitem("weights", 0, lambda: (np.arange(12.0).reshape(3, 4) / 20)[:, ::2]),
            setitem("weights", 0, lambda: np.array([[0.0, 0.1], [0.2, 0.3], [0.4, 0.5]]))),
        "weights a tuple": ("3-2-1", setlist("weights", lambda n: tuple(n.weights)), lambda n: None),
        "biases[1] a list": ("2-3-1", setitem("biases", 1, [0.25]),
                             setitem("biases", 1, lambda: np.array([0.25]))),
    }

    # Ctrl-C first: a compiled run of ~2.7 s, interrupted by the parent after ~0.3 s
    net = gdlib.Network((30, 30, 1), seed=0)  # ~0.09 ms per iteration
    x = np.random.default_rng(0).random((50, 30))
    target = np.random.default_rng(1).random(50)
    gdlib.train(net, x, target, learning_rate=0.1, iterations=2, engine="compiled")  # compiled and cached
    say(stage="started")
    begun = time.perf_counter()
    try:
        gdlib.train(net, x, target, learning_rate=0.1, iterations=30_000, engine="compiled")
        say(stage="interrupted", message="not interrupted", cpu=time.process_time())
    except KeyboardInterrupt as stop:
        say(stage="interrupted", message=str(stop), cpu=time.process_time())

    for case, (kind, mutate, twin) in CASES.items():
        for entry, call in ENTRIES.items():
            net, x, target = base(kind)
            mutate(net)
            try:
                got = call(net, x, target)
            except Exception as problem:
                say(case=case, entry=entry, outcome=type(problem).__name__, message=str(problem))
                continue
            clean, _, _ = base(kind)
            twin(clean)
            same = bool(np.array_equal(got, call(clean, x, target)))
            say(case=case, entry=entry, outcome="ok", same=same)

    # the compiled engine itself refuses arrays that disagree with sizes
    x2, t2 = np.array([[0.1, 0.4, 4.1]]), np.array([[0.2]])
    w = [np.ones((3, 2)), np.ones((2, 1))]
    DIRECT = {
        "a weight array too tall": ((3, 2, 1), [w[0], np.ones((2000, 1))], [], x2, t2),
        "sizes larger than the arrays": ((3, 2000, 1), w, [], x2, t2),
        "one bias array": ((3, 2, 1), w, [np.zeros(2)], x2, t2),
        "x with 5 columns": ((3, 2, 1), w, [], np.ones((1, 5)), t2),
        "target for 2 samples": ((3, 2, 1), w, [], x2, np.ones((2, 1))),
        "no samples": ((3, 2, 1), w, [], np.ones((0, 3)), np.ones((0, 1))),
        "batches of 0 samples": ((3, 2, 1), w, [], x2, t2, dict(batch_size=0)),
        "batches of 2 out of 1 sample": ((3, 2, 1), w, [], x2, t2, dict(batch_size=2, momentum=0.5)),
    }
    for case, args in DIRECT.items():
        options = args[5] if len(args) > 5 else {}
        try:
            training_compiled.train_compiled(*args[:5], 0.1, 10, **options)
            say(case=case, entry="train_compiled", outcome="ok")
        except Exception as problem:
            say(case=case, entry="train_compiled", outcome=type(problem).__name__, message=str(problem))

    # a run whose history would not fit in memory is refused before anything is allocated
    begun = time.perf_counter()
    try:
        gdlib.train(gdlib.Network((3, 2, 1), seed=0), X321, T321, learning_rate=0.1, iterations=10**9)
        say(case="10**9 iterations", outcome="ok")
    except Exception as problem:
        say(case="10**9 iterations", outcome=type(problem).__name__, message=str(problem),
            seconds=time.perf_counter() - begun)
    say(stage="done")
''')

#: What each refused mutation must say (a regular expression on the one-sentence message).
REFUSED = {
    "weights[1] 2000 rows":
        r"^weights\[1\] must have shape \(2, 1\) for sizes \(3, 2, 1\), got \(2000, 1\)\.$",
    "weights[0] transposed": r"^weights\[0\] must have shape \(3, 2\) .*got \(2, 3\) \(transposed\?",
    "one weight array too few": r"^weights must hold 2 arrays for sizes \(3, 2, 1\).*got 1\.$",
    "one weight array too many": r"^weights must hold 2 arrays for sizes \(3, 2, 1\).*got 3\.$",
    "an array for the list": r"^weights must be a list of 2 arrays",
    "weights[0] with NaN": r"^weights\[0\] contains NaN",
    "weights[1] with inf": r"^weights\[1\] contains NaN or infinite",
    "weights[1] 0-d": r"^weights\[1\] must have shape \(2, 1\) .*got \(\)\.$",
    "weights[1] (2,) for (2, 1)": r"^weights\[1\] must have shape \(2, 1\) .*got \(2,\)\.$",
    "weights[1] 3-d": r"^weights\[1\] must have shape \(2, 1\) .*got \(2, 1, 1\)\.$",
    "weights[1] text": r"^weights\[1\] must be a number .*not text",
    "weights[1] None": r"^weights\[1\] is None",
    "weights[1] ragged": r"^weights\[1\] must be a number, a list of numbers or a table",
    "biases on a network without bias": r"^biases must stay \[\] on a network made without bias",
    "biases[0] (3, 2) for (3,)":
        r"^biases\[0\] must have shape \(3,\) for sizes \(2, 3, 1\), got \(3, 2\)\.$",
    "biases[1] (5,) for (1,)": r"^biases\[1\] must have shape \(1,\) .*got \(5,\)\.$",
    "biases[0] with NaN": r"^biases\[0\] contains NaN",
    "no biases on a network with bias": r"^biases must hold 2 arrays .*got 0\.$",
    "biases None": r"^biases must be a list of 2 arrays",
}
ACCEPTED = ["weights[1] a list", "weights[1] ints", "weights[0] float32", "weights[0] Fortran order",
            "weights[0] a strided view", "weights a tuple", "biases[1] a list"]
ENTRIES = ["train numpy", "train compiled", "train auto", "train compiled, every option", "predict",
           "forward", "error", "gradients", "numerical_gradients", "copy"]

pytestmark = pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")


def _cpu_seconds(pid):
    """The CPU seconds process ``pid`` has used so far (Linux's /proc), or None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, ...
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # user + system time


@pytest.fixture(scope="module")
def child():
    """Run CHILD once: interrupt its long run after ~0.3 s; return its results and how it ended.

    How long the child took to stop is the CPU time it spent from the signal to its answer: a busy
    machine may keep it waiting for a core for seconds (seen with more test workers than cores),
    but only a run that ignores Ctrl-C keeps using CPU. Without /proc, the wall time stands in.
    """
    process = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    lines, signalled, answered = [], None, None
    try:
        for line in process.stdout:
            lines.append(json.loads(line))
            stage = lines[-1].get("stage")
            if stage == "started":
                time.sleep(0.3)  # well inside its ~2.7 s run
                signalled = (_cpu_seconds(process.pid), time.perf_counter())
                process.send_signal(signal.SIGINT)
            elif stage == "interrupted":
                answered = (lines[-1]["cpu"], time.perf_counter())
            elif stage == "done":
                break
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return {
        "returncode": process.returncode,
        "stderr": process.stderr.read(),
        "results": {(r["case"], r.get("entry")): r for r in lines if "case" in r},
        "interrupted": next((r for r in lines if r.get("stage") == "interrupted"), None),
        "answer_seconds": None if answered is None else (
            answered[1] - signalled[1] if signalled[0] is None else answered[0] - signalled[0]),
    }


def test_the_child_process_finished_without_crashing(child):
    assert child["returncode"] == 0, f"the child crashed or failed:\n{child['stderr'][-2000:]}"
    cases = len(REFUSED) + len(ACCEPTED)
    assert len([key for key in child["results"] if key[1] in ENTRIES]) == cases * len(ENTRIES)


@pytest.mark.parametrize("case", list(REFUSED))
def test_every_entry_point_refuses_a_broken_network_in_one_sentence(child, case):
    for entry in ENTRIES:
        result = child["results"][(case, entry)]
        assert result["outcome"] in ("ValueError", "TypeError"), (entry, result)
        message = result["message"]
        assert re.search(REFUSED[case], message), (entry, message)
        assert "\n" not in message and message.endswith(".") and len(message) < 300, (entry, message)


@pytest.mark.parametrize("case", ACCEPTED)
def test_lists_ints_and_odd_layouts_are_converted_and_give_the_same_numbers(child, case):
    for entry in ENTRIES:
        result = child["results"][(case, entry)]
        assert result == {"case": case, "entry": entry, "outcome": "ok", "same": True}


def test_the_compiled_engine_refuses_arrays_that_disagree_with_sizes(child):
    direct = {case: r for (case, entry), r in child["results"].items() if entry == "train_compiled"}
    assert len(direct) == 8
    for case, result in direct.items():
        assert result["outcome"] == "ValueError", (case, result)
        assert result["message"].startswith("train_compiled was given "), (case, result)


def test_a_history_too_big_for_memory_is_refused_before_allocating(child):
    result = child["results"][("10**9 iterations", None)]
    assert result["outcome"] == "ValueError"
    per_iteration = (1 * 1 + 1) * 8  # one prediction and one error, 8 bytes each
    gib = 10**9 * per_iteration / 2**30
    assert f"would record {gib:.1f} GiB of history" in result["message"]
    assert "limit is 1.0 GiB" in result["message"]
    assert f"at most {2**30 // per_iteration:,} iterations" in result["message"]
    assert result["seconds"] < 0.5  # nothing was allocated or run


def test_ctrl_c_stops_a_long_compiled_run_within_a_second(child):
    interrupted = child["interrupted"]
    assert interrupted is not None and child["answer_seconds"] is not None
    assert child["answer_seconds"] < 1.0
    match = re.fullmatch(r"train stopped at iteration ([\d,]+) of 30,000\.", interrupted["message"])
    assert match, interrupted["message"]
    assert 0 < int(match.group(1).replace(",", "")) < 30_000
