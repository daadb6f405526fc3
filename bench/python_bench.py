"""Overhead of the Python module (docs/performance.md): a params call and a
one-million-row sweep DataFrame.

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
    t = time.perf_counter()
    df = scalesim.sweep("overtraining", flops=1e23,
                        law="hoffmann2022_approach3", points=100000)
    print(f"sweep overtraining, {len(df):,} rows: "
          f"{time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
