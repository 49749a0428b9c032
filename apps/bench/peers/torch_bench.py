#!/usr/bin/python3
# Copied from shared/bench-peers/torch_bench.py; keep it in sync with that copy.
"""PyTorch CPU peer (Debian's python3-torch). Prints one JSON line per (workload, size).

Usage: /usr/bin/python3 torch_bench.py [--threads N|default] [--peer NAME] [--only W1,W4] [--quick]

--threads default  keeps torch's own choice (reported as "threads" in every line);
--threads N        calls torch.set_num_threads(N) first.
Which BLAS serves matmul is decided by the dynamic loader: run.sh runs this script once more
with LD_LIBRARY_PATH pointing at an OpenBLAS copy (peer names pytorch+oblas-*), see README.md.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch

T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]
W1_EXPECTED = {"w": 5.3671, "b": -17.3012, "loss": 2.9276}
W5 = dict(B=256, IN=64, HID=256, OUT=1, LR=0.01, WARM=10, STEPS=200)

ap = argparse.ArgumentParser()
ap.add_argument("--threads", default="default")
ap.add_argument("--peer", default=None)
ap.add_argument("--only", default=None)
ap.add_argument("--quick", action="store_true")
args = ap.parse_args()
if args.threads != "default":
    torch.set_num_threads(int(args.threads))
THREADS = torch.get_num_threads()


def _blas():
    """Which BLAS library the process actually mapped (the loader decides, not torch)."""
    try:
        libs = {line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower()}
    except OSError:
        return "unknown"
    if any("openblas" in lib for lib in libs):
        return "openblas"
    return "reference (netlib)" if libs else "none"


BLAS = _blas()
PEER = args.peer or ("pytorch" if args.threads == "default" else f"pytorch-{THREADS}t")
ONLY = set(w.strip().upper() for w in args.only.split(",")) if args.only else None
Q = args.quick


def want(w):
    return ONLY is None or w.upper() in ONLY


def emit(workload, size, metric, value, unit, **extra):
    v = None if value is None or not math.isfinite(value) else float(f"{value:.6g}")
    rec = {"peer": PEER, "workload": workload, "size": str(size), "metric": metric, "value": v, "unit": unit,
           "threads": THREADS, "blas": BLAS}
    rec.update(extra)
    print(json.dumps(rec), flush=True)


def guarded(workload, size, metric, unit, fn):
    try:
        fn()
    except Exception as e:  # record the failure instead of a number
        emit(workload, size, metric, None, unit, error=f"{type(e).__name__}: {e}"[:300])


def time_reps(fn, min_reps=3, max_reps=10, budget_s=2.0):
    """Warm-up call, then best of min_reps..max_reps timed calls within budget_s (see harness.mjs)."""
    t = time.perf_counter()
    fn()
    warm = time.perf_counter() - t
    if warm > budget_s:
        return {"best": warm, "reps": 1, "warmup_only": True}
    times = []
    t0 = time.perf_counter()
    while len(times) < max_reps:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if len(times) >= min_reps and time.perf_counter() - t0 > budget_s:
            break
    return {"best": min(times), "median": statistics.median(times), "reps": len(times), "warmup_only": False}


def det_random(n, seed):
    """Deterministic values in [-1, 1) (their values do not matter for timing)."""
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, generator=g) * 2 - 1


# ---------------------------------------------------------------- W1
def w1():
    # Exactly the autograd training loop of "Deep Learning with PyTorch", chapter 5.
    t_c = torch.tensor(T_C)
    t_u = torch.tensor(T_U)
    t_un = 0.1 * t_u

    def model(t_u, w, b):
        return w * t_u + b

    def loss_fn(t_p, t_c):
        squared_diffs = (t_p - t_c) ** 2
        return squared_diffs.mean()

    def training_loop(n_epochs, learning_rate, params, t_u, t_c):
        for epoch in range(1, n_epochs + 1):
            if params.grad is not None:
                params.grad.zero_()
            t_p = model(t_u, *params)
            loss = loss_fn(t_p, t_c)
            loss.backward()
            with torch.no_grad():
                params -= learning_rate * params.grad
        return params, loss

    out = {}

    def run():
        params = torch.tensor([1.0, 0.0], requires_grad=True)
        out["p"], out["loss"] = training_loop(5000, 1e-2, params, t_un, t_c)

    r = time_reps(run, min_reps=1, max_reps=3, budget_s=0.3 if Q else 3.0)
    w, b = out["p"].tolist()
    loss = out["loss"].item()
    ok = abs(w - W1_EXPECTED["w"]) < 2e-3 and abs(b - W1_EXPECTED["b"]) < 1e-2 and abs(loss - W1_EXPECTED["loss"]) < 2e-3
    emit("W1_thermo_sgd", "5000ep", "ms_total", r["best"] * 1000, "ms", reps=r["reps"],
         check={"w": round(w, 4), "b": round(b, 4), "loss": round(loss, 4), "ok": ok},
         note="book code: params tensor, *params unpack, backward, no_grad update")


# ---------------------------------------------------------------- W2
def w2():
    for n in (11, 1000):
        a, b = det_random(n, 1), det_random(n, 2)
        with torch.no_grad():
            for _ in range(2000 if Q else 10000):
                a + b
            count = 2000 if Q else 100000
            t = time.perf_counter()
            for _ in range(count):
                a + b
            us = (time.perf_counter() - t) * 1e6 / count
        emit("W2_add_overhead", n, "us_per_op", us, "us", ops=count, note="a + b from Python, result freed by refcount")


# ---------------------------------------------------------------- W3
def w3():
    for n, label in ((1_000_000, "1M"), (10_000_000, "10M")):
        a, b, c = det_random(n, 1), det_random(n, 2), det_random(n, 3)
        with torch.no_grad():
            r = time_reps(lambda: a * b + c, min_reps=3, max_reps=10, budget_s=0.2 if Q else 1.0)
        s = r["best"]
        emit("W3_mul_add", label, "Melem_per_s", n / s / 1e6, "Melem/s", GBps=n * 16 / s / 1e9, ms=s * 1000,
             reps=r["reps"], note="a*b+c: two ops, each allocating its output")
        tmp, out = torch.zeros(n), torch.zeros(n)  # zeros: pages touched before timing

        def prealloc():
            torch.mul(a, b, out=tmp)
            torch.add(tmp, c, out=out)

        with torch.no_grad():
            r = time_reps(prealloc, min_reps=3, max_reps=10, budget_s=0.2 if Q else 1.0)
            rf = time_reps(lambda: torch.addcmul(c, a, b, out=out), min_reps=3, max_reps=10, budget_s=0.2 if Q else 1.0)
        s = r["best"]
        emit("W3_mul_add_prealloc", label, "Melem_per_s", n / s / 1e6, "Melem/s", GBps=n * 16 / s / 1e9, ms=s * 1000,
             reps=r["reps"], fused_Melem_per_s=float(f"{n / rf['best'] / 1e6:.4g}"),
             note="torch.mul(out=) then torch.add(out=) (fused_Melem_per_s: torch.addcmul(out=))")


# ---------------------------------------------------------------- W4
def w4():
    for n in (128, 512, 1024):
        a, b = det_random(n * n, 1).reshape(n, n), det_random(n * n, 2).reshape(n, n)
        with torch.no_grad():
            c = a @ b
            # correctness spot check against float64
            ref = a.double() @ b.double()
            ok = bool((c.double() - ref).abs().max().item() < 1e-2 * math.sqrt(n))
            r = time_reps(lambda: a @ b, min_reps=3, max_reps=20, budget_s=0.2 if Q else 1.0)
        emit("W4_matmul", n, "GFLOP_per_s", 2 * n ** 3 / r["best"] / 1e9, "GFLOP/s", ms=r["best"] * 1000,
             reps=r["reps"], ok=ok)


# ---------------------------------------------------------------- W5
def w5_data():
    B, IN, HID = W5["B"], W5["IN"], W5["HID"]
    X = [[math.sin(0.37 * (i * IN + j) + 0.1) for j in range(IN)] for i in range(B)]
    Y = [[math.sin(2 * X[i][0]) + 0.5 * X[i][1] * X[i][2]] for i in range(B)]
    W1 = [[0.125 * math.sin(1.7 * (i * HID + j) + 0.3) for j in range(HID)] for i in range(IN)]
    W2 = [[0.0625 * math.sin(1.3 * k + 0.5)] for k in range(HID)]
    return X, Y, W1, W2


def w5():
    X, Y, W1, W2 = w5_data()
    X, Y = torch.tensor(X), torch.tensor(Y)
    W1 = torch.tensor(W1, requires_grad=True)
    b1 = torch.zeros(W5["HID"], requires_grad=True)
    W2 = torch.tensor(W2, requires_grad=True)
    b2 = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([W1, b1, W2, b2], lr=W5["LR"])

    def step():
        opt.zero_grad()
        pred = torch.relu(X @ W1 + b1) @ W2 + b2
        loss = ((pred - Y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    for _ in range(W5["WARM"]):
        loss = step()
    loss10 = loss.item()
    steps = 10 if Q else W5["STEPS"]
    t = time.perf_counter()
    for _ in range(steps):
        loss = step()
    ms = (time.perf_counter() - t) * 1000 / steps
    loss_end = loss.item()
    emit("W5_mlp_step", "64-256-1_b256", "ms_per_step", ms, "ms", steps=steps, loss_at_step10=float(f"{loss10:.6g}"),
         loss_end=float(f"{loss_end:.6g}"), ok=loss_end < loss10, note="relu, torch.optim.SGD")


# ---------------------------------------------------------------- W7
def w7():
    """Indexing on 1M float32: a basic slice (a view), a mask select (a copy), a masked write."""
    n = 1_000_000
    x = det_random(n, 1)
    mask = det_random(n, 3) > 0
    with torch.no_grad():
        for _ in range(2000 if Q else 10000):
            x[100:-100]
        count = 2000 if Q else 100000
        t = time.perf_counter()
        for _ in range(count):
            x[100:-100]
        us = (time.perf_counter() - t) * 1e6 / count
        emit("W7_indexing", "slice_1M", "us_per_op", us, "us", ops=count, note="x[100:-100], a view")
        r = time_reps(lambda: x[mask], min_reps=3, max_reps=20, budget_s=0.2 if Q else 1.0)
        emit("W7_indexing", "mask_select_1M", "ms", r["best"] * 1000, "ms", reps=r["reps"],
             median=r.get("median", r["best"]) * 1000, selected=int(mask.sum()), note="x[mask], about half selected")
        y = x.clone()

        def put():
            y[mask] = 0

        r = time_reps(put, min_reps=3, max_reps=20, budget_s=0.2 if Q else 1.0)
        emit("W7_indexing", "index_put_1M", "ms", r["best"] * 1000, "ms", reps=r["reps"],
             median=r.get("median", r["best"]) * 1000, note="y[mask] = 0 (index_put_), in place")


# ---------------------------------------------------------------- W8
def w8():
    """Softmax of a [256, 1000] float32 tensor along its last dim."""
    x = (det_random(256 * 1000, 8) * 4).reshape(256, 1000)
    with torch.no_grad():
        r = time_reps(lambda: torch.softmax(x, -1), min_reps=5, max_reps=50, budget_s=0.2 if Q else 1.0)
        sums = torch.softmax(x, -1).sum(-1)
        emit("W8_softmax", "256x1000", "ms", r["best"] * 1000, "ms", reps=r["reps"],
             median=r.get("median", r["best"]) * 1000, ok=bool(((sums - 1).abs() < 1e-5).all()),
             note="torch.softmax(x, -1) of [256, 1000] float32")


# ---------------------------------------------------------------- W9
def w9():
    """Sorting 1M float32 (values and indices), and the 10 largest of them."""
    n = 1_000_000
    x = det_random(n, 9)
    budget = 0.2 if Q else 1.0
    r = time_reps(lambda: torch.sort(x), min_reps=3, max_reps=20, budget_s=budget)
    emit("W9_sorting", "sort_1M", "ms", r["best"] * 1000, "ms", reps=r["reps"],
         median=r.get("median", r["best"]) * 1000, note="torch.sort(x): values and int64 indices")
    r = time_reps(lambda: torch.sort(x, stable=True), min_reps=3, max_reps=20, budget_s=budget)
    emit("W9_sorting", "sort_stable_1M", "ms", r["best"] * 1000, "ms", reps=r["reps"],
         median=r.get("median", r["best"]) * 1000, note="torch.sort(x, stable=True)")
    r = time_reps(lambda: torch.topk(x, 10), min_reps=3, max_reps=20, budget_s=budget)
    emit("W9_sorting", "topk_1M", "ms", r["best"] * 1000, "ms", reps=r["reps"],
         median=r.get("median", r["best"]) * 1000, note="torch.topk(x, 10)")


# ---------------------------------------------------------------- W10
W10 = dict(B=32, C=3, H=32, W=32, OUT=8, K=3, CLASSES=10, LR=0.01, WARM=10, STEPS=200)


def random_array(n, seed):
    """harness.mjs's randomArray as float64 values: the same LCG, so every peer gets the same data."""
    s = seed & 0xFFFFFFFF
    out = []
    for _ in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out.append(s / 2147483648 - 1)
    return out


def w10_data():
    """harness.mjs's w10Data: NCHW images, class labels, OIHW conv weight, [classes, features] linear weight."""
    B, C, H, W, OUT, K, CLASSES = (W10[k] for k in ("B", "C", "H", "W", "OUT", "K", "CLASSES"))
    features = OUT * (H // 2) * (W // 2)

    def f32(n, seed):
        return torch.tensor(random_array(n, seed), dtype=torch.float32)

    def scaled(n, seed, scale):  # as Float32Array.map: the float32 value times scale, rounded once
        return (f32(n, seed).double() * scale).float()

    labels = torch.tensor([math.floor((v + 1) * 5) for v in random_array(B, 14)], dtype=torch.int64)
    return (f32(B * C * H * W, 10).reshape(B, C, H, W), labels,
            scaled(OUT * C * K * K, 11, 1 / math.sqrt(C * K * K)).reshape(OUT, C, K, K),
            scaled(OUT, 12, 0.1), scaled(CLASSES * features, 13, 1 / math.sqrt(features)).reshape(CLASSES, features),
            torch.zeros(CLASSES))


def w10():
    """A small CNN training step: conv 3x3 (8 channels, padding 1), ReLU, max-pool 2, linear, cross-entropy, SGD."""
    x, target, conv_w, conv_b, lin_w, lin_b = w10_data()
    params = [p.requires_grad_() for p in (conv_w, conv_b, lin_w, lin_b)]
    opt = torch.optim.SGD(params, lr=W10["LR"])

    def step():
        opt.zero_grad()
        h = torch.nn.functional.max_pool2d(torch.relu(torch.nn.functional.conv2d(x, conv_w, conv_b, padding=1)), 2)
        loss = torch.nn.functional.cross_entropy(torch.nn.functional.linear(h.flatten(1), lin_w, lin_b), target)
        loss.backward()
        opt.step()
        return loss.item()

    first = step()
    for _ in range(W10["WARM"] - 1):
        step()
    times, last = [], first
    t0 = time.perf_counter()
    while len(times) < (3 if Q else W10["STEPS"]) and (len(times) < 5 or time.perf_counter() - t0 < 5.0):
        t = time.perf_counter()
        last = step()
        times.append(time.perf_counter() - t)
    emit("W10_cnn_step", "conv3x3x8_b32_32x32", "ms_per_step", statistics.median(times) * 1000, "ms",
         steps=len(times), best_ms=float(f"{min(times) * 1000:.6g}"), loss_at_step1=float(f"{first:.6g}"),
         loss_end=float(f"{last:.6g}"), ok=last < first,
         note="F.conv2d pad 1, relu, F.max_pool2d, F.linear, F.cross_entropy, torch.optim.SGD; median step")


if want("W1"):
    guarded("W1_thermo_sgd", "5000ep", "ms_total", "ms", w1)
if want("W2"):
    guarded("W2_add_overhead", "*", "us_per_op", "us", w2)
if want("W3"):
    guarded("W3_mul_add", "*", "Melem_per_s", "Melem/s", w3)
if want("W4"):
    guarded("W4_matmul", "*", "GFLOP_per_s", "GFLOP/s", w4)
if want("W5"):
    guarded("W5_mlp_step", "64-256-1_b256", "ms_per_step", "ms", w5)
if want("W7"):
    guarded("W7_indexing", "*", "ms", "ms", w7)
if want("W8"):
    guarded("W8_softmax", "256x1000", "ms", "ms", w8)
if want("W9"):
    guarded("W9_sorting", "*", "ms", "ms", w9)
if want("W10"):
    guarded("W10_cnn_step", "conv3x3x8_b32_32x32", "ms_per_step", "ms", w10)
