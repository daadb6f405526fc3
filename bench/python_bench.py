"""Overhead of the Python module (docs/performance.md): a params call,
one-million-row sweep DataFrames and one call of each planning workflow.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_bench.py
"""
import time
import timeit

import scalesim


def main():
    arch = scalesim.Architecture.preset("llama3-8b")
    core_arch = arch._a
    n = 20000
    # The library call and its conversion, without the DataFrame wrapper.
    raw = min(timeit.repeat(lambda: scalesim._core.params(core_arch),
                            number=n, repeat=5)) / n
    full = min(timeit.repeat(lambda: scalesim.params(arch), number=2000,
                             repeat=3)) / 2000
    total = min(timeit.repeat(arch.total_params, number=n, repeat=5)) / n
    print(f"Architecture.total_params() (exact count):    {total * 1e6:.2f} us")
    print(f"params, core call (counts + schema columns): {raw * 1e6:.2f} us")
    print(f"params, with pandas DataFrames:              {full * 1e6:.1f} us")
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        df = scalesim.sweep("loss-grid", law="hoffmann2022_approach3",
                            params_points=1000, tokens_points=1000)
        best = min(best, time.perf_counter() - t)
    print(f"sweep loss-grid, {len(df):,} rows x {len(df.columns)} columns "
          f"DataFrame: {best:.3f} s")
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        df = scalesim.sweep("overtraining", flops=1e23,
                            law="hoffmann2022_approach3", points=1000000)
        best = min(best, time.perf_counter() - t)
    print(f"sweep overtraining, {len(df):,} rows x {len(df.columns)} "
          f"columns (serving memory on): {best:.2f} s")
    # The workflows: one call each, the CLI's report as DataFrames.
    for name, call in [
            ("plan(flops=1e23)", lambda: scalesim.plan(flops=1e23)),
            ("step(llama2-7b, 8 x h100-sxm)",
             lambda: scalesim.step("llama2-7b", device="h100-sxm",
                                   devices=8, global_batch=128)),
            ("serve(llama3-8b, h100-sxm)",
             lambda: scalesim.serve("llama3-8b", device="h100-sxm",
                                    batch=16))]:
        each = min(timeit.repeat(call, number=20, repeat=3)) / 20
        print(f"{name}: {each * 1e3:.2f} ms")

if __name__ == "__main__":
    main()
