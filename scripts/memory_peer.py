#!/usr/bin/python3
"""Peer implementation of per-device training memory, from the papers.

An independent Python implementation (standard library only) of the
training-memory formulas that `scalesim memory` prints, written from the
papers rather than from scalesim's C++, used to cross-check scalesim's
numbers and to time the two side by side (docs/performance.md).

Sources:
  * Model states: Rajbhandari et al. 2020, "ZeRO: Memory Optimizations Toward
    Training Trillion Parameter Models", Sec. 3.1 and Fig. 1: mixed-precision
    Adam keeps 2 bytes of fp16/bf16 weights + 2 bytes of gradients + K = 12
    bytes of fp32 master weights, momentum and variance = 16 bytes/param.
    ZeRO stage 1 (P_os) divides the K bytes by the data-parallel degree N_d,
    stage 2 (P_os+g) also the gradients, stage 3 (P_os+g+p) also the weights.
    (`grad_bytes = 4` gives Megatron-LM's 18-byte convention: fp32 grads.)
  * Activations: Korthikanti et al. 2022, "Reducing Activation Recomputation
    in Large Transformer Models", Sec. 4.1 (the per-tensor inventory of one
    layer) and Table 2, in bytes for sequence s, micro-batch b, width h,
    heads a, tensor-parallel degree t (16-bit activations, 1-byte masks):
        no parallelism             sbh (34 + 5as/h)
        tensor parallel            sbh (10 + 24/t + 5as/(ht))
        tensor + sequence parallel sbh/t (34 + 5as/h)
        selective recompute        the 5as/h term dropped
        full recompute             2sbh (the layer input), /t with SP
    Sec. 4.2.3: with 1F1B pipelining the first stage holds p micro-batches
    of L/p layers, i.e. L layers' worth.  Sec. 4.3 / Megatron-LM's
    theoretical_memory_usage.py: embedding (int64 token ids 8sb, dropout mask
    sbh; x p micro-batches on the first stage), final norm + output layer
    inputs 4sbh and fp32 logits 4sbV, everything / t under sequence
    parallelism (the logits are vocab-parallel, / t always).

Two activation formulas:
  * "textbook": Table 2 verbatim, in units of sbh and 5as^2b.  It assumes
    MHA, d_head * a = h and a 4h MLP with dropout; for other shapes it is
    the formula as people apply it, not an exact count.
  * "generalised": the Sec. 4.1 inventory re-derived term by term by this
    peer so that it also covers GQA (K and V have n_kv_heads heads), other
    head widths, gated MLPs, no dropout and FlashAttention:
        replicated across tensor ranks (per token, bytes):
            2 norm inputs 2*2h, QKV input 2h, MLP input 2h,
            dropout masks after attention and after the MLP 2*1h
        split over t:
            Q 2*a*dh, K 2*kv*dh, V 2*kv*dh, output-projection input 2*a*dh,
            MLP: standard 2f (activation input) + 2f (down input);
                 gated (SwiGLU, fused as in Megatron-LM's bias_swiglu: the
                 gate and up outputs are saved, silu(gate) is recomputed)
                 2f + 2f + 2f (down input)
        attention core (per query position, split over t):
            softmax output 2*a*s, dropout mask 1*a*s, dropout output 2*a*s
            (no dropout: the softmax output only, 2*a*s);
            FlashAttention (Dao et al. 2022): no s^2 tensor, the fp32
            log-sum-exp, 4*a per position.
    For MHA + 4h MLP + dropout it reduces to Table 2 exactly (checked).

Parameter counts are derived here from the shapes (HF-style modules, tied
weights once), not taken from scalesim; --check compares them with
`scalesim params`.

CLI:
  memory_peer.py --check SCALESIM      cross-check table, exit 1 on mismatch
  memory_peer.py --bench SCALESIM      in-process and per-process timings
  memory_peer.py --preset NAME [--tp T --pp P --sequence-parallel
      --recompute R --zero Z --dp N --micro-batch B --seq-len S
      --dropout true|false --flash-attention --grad-dtype 16|32
      --formula textbook|generalised]  one estimate, as JSON
"""

import argparse
import json
import os
import sys

# subprocess, statistics, time and timeit are imported where --check and
# --bench use them, so that one estimate starts as fast as it can.

# ---------------------------------------------------------------------------
# Model shapes (from the papers / Hugging Face config.json files).

_GPT2_DEFAULTS = dict(vocab_size=50257, mlp="standard", norm="layernorm",
                      position="learned", bias=True, tied=True)
_LLAMA_DEFAULTS = dict(mlp="gated", norm="rmsnorm", position="rotary",
                       bias=False, tied=False, vocab_size=32000)
# Megatron-LM GPT as in Korthikanti et al. 2022 Table 3: V = 51,200 (padded),
# s = 2048, learned positions, LayerNorm, biases, tied embeddings.
_MEGATRON_DEFAULTS = dict(vocab_size=51200, mlp="standard", norm="layernorm",
                          position="learned", bias=True, tied=True,
                          max_positions=2048, context=2048)


def _shape(defaults, **kw):
    c = dict(defaults)
    c.update(kw)
    c.setdefault("n_kv_heads", c["n_heads"])
    c.setdefault("head_dim", c["d_model"] // c["n_heads"])
    c.setdefault("d_ff", 4 * c["d_model"])
    c.setdefault("max_positions", c.get("context", 0))
    return c


PRESETS = {
    # Radford et al. 2019; HF gpt2 config.json.
    "gpt2-small": _shape(_GPT2_DEFAULTS, n_layers=12, d_model=768, n_heads=12,
                         context=1024, max_positions=1024),
    # Brown et al. 2020 Table 2.1 (GPT-2 vocabulary and architecture).
    "gpt3-175b": _shape(_GPT2_DEFAULTS, n_layers=96, d_model=12288,
                        n_heads=96, context=2048, max_positions=2048),
    # Touvron et al. 2023 Table 1; HF meta-llama config.json.
    "llama2-7b": _shape(_LLAMA_DEFAULTS, n_layers=32, d_model=4096,
                        n_heads=32, n_kv_heads=32, d_ff=11008, context=4096),
    "llama2-70b": _shape(_LLAMA_DEFAULTS, n_layers=80, d_model=8192,
                         n_heads=64, n_kv_heads=8, d_ff=28672, context=4096),
    # Korthikanti et al. 2022 Table 3 (no scalesim presets: given as flags).
    "megatron-22b": _shape(_MEGATRON_DEFAULTS, n_layers=48, d_model=6144,
                           n_heads=64),
    "megatron-175b": _shape(_MEGATRON_DEFAULTS, n_layers=96, d_model=12288,
                            n_heads=96),
    "megatron-530b": _shape(_MEGATRON_DEFAULTS, n_layers=105, d_model=20480,
                            n_heads=128),
    "megatron-1t": _shape(_MEGATRON_DEFAULTS, n_layers=128, d_model=25600,
                          n_heads=160),
}


def scalesim_model_flags(name):
    """How to give the peer preset `name` to scalesim."""
    if not name.startswith("megatron-"):
        return ["--preset", name]
    c = PRESETS[name]
    return ["--layers", str(c["n_layers"]), "--d-model", str(c["d_model"]),
            "--heads", str(c["n_heads"]), "--vocab", str(c["vocab_size"]),
            "--max-context", str(c["context"]), "--max-positions",
            str(c["max_positions"]), "--mlp", "standard", "--norm",
            "layernorm", "--position", "learned", "--bias", "all", "--tied",
            "true"]


# ---------------------------------------------------------------------------
# Parameters.

def _norm_params(c):
    return {"layernorm": 2, "rmsnorm": 1, "none": 0}[c["norm"]] * c["d_model"]


def param_counts(c):
    """Exact parameter count by component (sum of numel, tied weights once).

    Also returns, per block and for the embeddings, the parts a Megatron-LM
    tensor-parallel rank keeps whole (norms, row-parallel biases, the learned
    position table) for the replication note.
    """
    h, a, kv, dh, f = (c["d_model"], c["n_heads"], c["n_kv_heads"],
                       c["head_dim"], c["d_ff"])
    bias = c["bias"]
    q, kvw = a * dh, kv * dh
    attn = h * q + 2 * h * kvw + q * h
    if bias:
        attn += q + 2 * kvw + h
    if c["mlp"] == "gated":
        mlp = 3 * h * f
    else:
        mlp = 2 * h * f + ((f + h) if bias else 0)
    norm = _norm_params(c)
    block = attn + mlp + 2 * norm
    tok = c["vocab_size"] * h
    pos = c["max_positions"] * h if c["position"] == "learned" else 0
    head = 0 if c["tied"] else tok
    total = tok + pos + c["n_layers"] * block + norm + head
    return {
        "token_embedding": tok, "position_embedding": pos,
        "attention_per_block": attn, "mlp_per_block": mlp,
        "norms_per_block": 2 * norm, "block": block, "final_norm": norm,
        "lm_head": head, "total": total,
        # kept whole on every tensor rank by Megatron-LM
        "replicated_per_block": 2 * norm + ((2 * h) if bias else 0),
    }


# ---------------------------------------------------------------------------
# Activations of one layer.

def _cdiv(x, y):
    return -(-x // y)


def layer_activation_bytes(c, o):
    """Bytes of one layer on one tensor-parallel rank."""
    s, b, t = o["seq_len"], o["micro_batch"], o["tp"]
    sp, rc = o["sequence_parallel"], o["recompute"]
    h, a = c["d_model"], c["n_heads"]
    sb = s * b
    if rc == "full":
        x = 2 * sb * h
        return _cdiv(x, t) if sp else x
    if o["formula"] == "textbook":
        sbh = sb * h
        core = 0 if rc == "selective" else 5 * a * s * sb
        if sp:
            return _cdiv(34 * sbh + core, t)
        return 10 * sbh + _cdiv(24 * sbh + core, t)
    # generalised inventory
    dh, kv, f = c["head_dim"], c["n_kv_heads"], c["d_ff"]
    m = 1 if o["dropout"] else 0
    replicated = (2 * 2 + 2 + 2 + 2 * m) * h
    split = 2 * a * dh + 4 * kv * dh + 2 * a * dh
    split += (6 if c["mlp"] == "gated" else 4) * f
    if rc == "selective":
        core = 0
    elif o["flash_attention"]:
        core = 4 * a
    else:
        core = (2 + 3 * m) * a * s
    if sp:
        return _cdiv(sb * (replicated + split + core), t)
    return sb * replicated + _cdiv(sb * (split + core), t)


# ---------------------------------------------------------------------------
# Whole estimate.

DEFAULT_OPTIONS = dict(tp=1, pp=1, dp=1, zero=0, sequence_parallel=False,
                       recompute="none", micro_batch=1, seq_len=0,
                       dropout=True, flash_attention=False, grad_bytes=2,
                       microbatches=0, formula="generalised")


def training_memory(config, options):
    """Per-device training memory of the most loaded pipeline stage.

    config: a shape dict (see PRESETS); optional "total_params" is ignored
    for the count (the peer derives it) but kept for the caller.
    options: see DEFAULT_OPTIONS (missing keys take those defaults).
    Returns a dict of integer byte counts keyed like scalesim's json
    components, plus "params_total", "params_per_device",
    "activation_bytes_per_layer", "stage", "layers", "in_flight".
    """
    o = DEFAULT_OPTIONS.copy()
    o.update(options)
    if not o["seq_len"]:
        o["seq_len"] = config.get("context") or 2048
    t, p, dp, zero = o["tp"], o["pp"], o["dp"], o["zero"]
    if config["n_heads"] % t:
        raise ValueError("tensor parallel %d does not divide %d heads"
                         % (t, config["n_heads"]))
    if config["n_kv_heads"] % t:
        # Megatron-LM divides the KV heads (query groups) among the tensor
        # ranks and asserts divisibility.
        raise ValueError("tensor parallel %d does not divide %d KV heads"
                         % (t, config["n_kv_heads"]))
    if not 1 <= p <= config["n_layers"] or not 0 <= zero <= 3 or dp < 1:
        raise ValueError("bad pipeline / ZeRO settings")
    pc = param_counts(config)
    L = config["n_layers"]
    s, b, h, V = o["seq_len"], o["micro_batch"], config["d_model"], \
        config["vocab_size"]
    sp = o["sequence_parallel"]
    m = o["microbatches"] or p
    per_layer = layer_activation_bytes(config, o)
    wb, gb = 2, o["grad_bytes"]
    ob = 12  # fp32 master + Adam m + v (ZeRO's K)
    # embedding and head activations (Korthikanti Sec. 4.3 / Megatron-LM)
    emb_one = 8 * s * b + (s * b * h if o["dropout"] else 0)
    if sp:
        emb_one = _cdiv(emb_one, t)
    head_norm = 4 * s * b * h
    final_one = (_cdiv(head_norm, t) if sp else head_norm) + \
        _cdiv(4 * s * b * V, t)

    best = None
    base, extra = divmod(L, p)
    for i in range(p):
        layers = base + (1 if i < extra else 0)
        params = layers * pc["block"]
        if i == 0:
            params += pc["token_embedding"] + pc["position_embedding"]
        if i == p - 1:
            params += pc["final_norm"]
            params += pc["lm_head"] if not config["tied"] else (
                pc["token_embedding"] if p > 1 else 0)
        pdev = _cdiv(params, t)
        w, g, opt = wb * pdev, gb * pdev, ob * pdev
        if zero >= 1:
            opt = _cdiv(opt, dp)
        if zero >= 2:
            g = _cdiv(g, dp)
        if zero >= 3:
            w = _cdiv(w, dp)
        in_flight = min(p - i, m)
        blocks = in_flight * layers * per_layer
        emb = in_flight * emb_one if i == 0 else 0
        fin = final_one if i == p - 1 else 0
        act = blocks + emb + fin
        total = w + g + opt + act
        if best is None or total > best["total"]:
            best = {
                "weights": w, "gradients": g, "optimizer_states": opt,
                "activations": act, "activations.blocks": blocks,
                "activations.embedding": emb,
                "activations.final_norm_and_logits": fin, "total": total,
                "stage": i, "layers": layers, "in_flight": in_flight,
                "params_per_device": pdev,
            }
    best["params_total"] = pc["total"]
    best["activation_bytes_per_layer"] = per_layer
    return best


def megatron_replicated_params_per_device(config, tp, pp=1):
    """Parameters of one tensor rank of the first pipeline stage when, as in
    Megatron-LM, the norms, the row-parallel biases (attention output, MLP
    down) and the learned position table are kept whole on every rank (the
    token embedding and LM head are vocab-parallel)."""
    pc = param_counts(config)
    base, extra = divmod(config["n_layers"], pp)
    layers = base + (1 if extra else 0)
    params = layers * pc["block"] + pc["token_embedding"] + \
        pc["position_embedding"]
    rep = layers * pc["replicated_per_block"] + pc["position_embedding"]
    if pp == 1:
        params += pc["final_norm"] + pc["lm_head"]
        rep += pc["final_norm"]
    return _cdiv(params - rep, tp) + rep


# ---------------------------------------------------------------------------
# Running scalesim.

def _scalesim_flags(o):
    f = ["--tp", str(o["tp"]), "--pp", str(o["pp"]), "--zero", str(o["zero"]),
         "--dp", str(o["dp"]), "--recompute", o["recompute"],
         "--micro-batch", str(o["micro_batch"]), "--seq-len",
         str(o["seq_len"]),
         "--grad-dtype", "32" if o["grad_bytes"] == 4 else "16"]
    if o["sequence_parallel"]:
        f.append("--sequence-parallel")
    # scalesim assumes FlashAttention without dropout unless told otherwise.
    if o["dropout"]:
        f.append("--dropout")
    if not o["flash_attention"]:
        f.append("--no-flash-attention")
    return f


def run_scalesim_memory(binary, preset, o):
    import subprocess
    cmd = [binary, "memory"] + scalesim_model_flags(preset) + \
        _scalesim_flags(o) + ["--format", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    d = json.loads(r.stdout)
    # components scalesim leaves out of the table (e.g. the logits on a
    # first pipeline stage) are 0
    out = dict.fromkeys(["activations.embedding",
                         "activations.final_norm_and_logits"], 0)
    out.update({row["component"]: row["memory_bytes"]
                for row in d["tables"]["memory"]})
    setup = d["tables"]["setup"][0]
    for key in ("total_params", "params_per_device",
                "activation_bytes_per_layer"):
        if key in setup:
            out[key.replace("total_params", "params_total")] = int(setup[key])
    return out


def run_scalesim_params(binary, preset):
    import subprocess
    cmd = [binary, "params"] + scalesim_model_flags(preset) + \
        ["--format", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True, check=True)
    d = json.loads(r.stdout)
    return d["tables"]["summary"][0]


# ---------------------------------------------------------------------------
# --check

MHA = ["gpt3-175b", "megatron-22b", "megatron-175b", "megatron-530b",
       "megatron-1t", "gpt2-small"]
LLAMA = ["llama2-7b", "llama2-70b"]
STATE_ROWS = ["weights", "gradients", "optimizer_states", "params_per_device"]
ACT_ROWS = ["activation_bytes_per_layer", "activations.blocks"]
REPORTED_ROWS = ["activations.embedding",
                 "activations.final_norm_and_logits", "activations", "total"]


def _cases():
    """(name, preset, options, kind) with kind 'exact' (Table 2 applies:
    blocks and model states must agree) or 'llama' (blocks reported)."""
    cases = []
    for preset in MHA + LLAMA:
        c = PRESETS[preset]
        tps = [1, 4] if preset == "gpt2-small" else [1, 8]
        b = 4 if preset == "megatron-22b" else 1  # Table 3 micro-batch
        base = dict(seq_len=c["context"], micro_batch=b)
        kind = "llama" if preset in LLAMA else "exact"
        for t in tps:
            for sp in ([False, True] if t > 1 else [False]):
                for rc in ("none", "selective", "full"):
                    o = dict(base, tp=t, sequence_parallel=sp, recompute=rc)
                    name = "%s t%d%s %s" % (preset, t, " sp" if sp else "", rc)
                    cases.append((name, preset, o, kind))
            for z in range(4):
                o = dict(base, tp=t, zero=z, dp=64,
                         sequence_parallel=t > 1, recompute="selective")
                name = "%s t%d ZeRO-%d dp64" % (preset, t, z)
                cases.append((name, preset, o, kind))
    # Beyond Table 2 (the peer's generalised inventory; reported, not
    # required to agree).
    for preset in ("gpt3-175b", "llama2-70b"):
        c = PRESETS[preset]
        for extra, tag in ((dict(dropout=False), "no-dropout"),
                           (dict(flash_attention=True), "flash"),
                           (dict(flash_attention=True, dropout=False),
                            "flash no-dropout")):
            o = dict(seq_len=c["context"], tp=8, **extra)
            cases.append(("%s t8 %s" % (preset, tag), preset, o, "beyond"))
    # Megatron-LM theoretical memory (docs/conventions-flops-memory.md):
    # GPT-3 175B shape, V 51,200, TP8 PP8, SP + selective, 18 bytes/param.
    cases.append(("megatron-175b t8 pp8 sp selective 18B/param",
                  "megatron-175b",
                  dict(seq_len=2048, tp=8, pp=8, sequence_parallel=True,
                       recompute="selective", grad_bytes=4), "exact"))
    # The pipelined Table 3 layouts (t 8; p 35 and 64; b 1), with and
    # without the paper's techniques.
    for preset, pp in (("megatron-530b", 35), ("megatron-1t", 64)):
        for sp, rc in ((True, "selective"), (False, "full")):
            o = dict(seq_len=2048, tp=8, pp=pp, sequence_parallel=sp,
                     recompute=rc)
            cases.append(("%s t8 pp%d%s %s" % (preset, pp, " sp" if sp else "",
                                               rc), preset, o, "exact"))
    return cases


KORTHIKANTI_GOLDEN = [  # GPT-3 175B, s 2048, b 1, t 8 (golden-numbers.md)
    (1, False, "none", 2868903936), (8, False, "none", 578813952),
    (8, True, "none", 358612992), (8, False, "selective", 327155712),
    (8, True, "selective", 106954752), (8, False, "full", 50331648),
]


def _rel(peer, ref):
    if peer == ref:
        return 0.0
    if ref == 0:
        return float("inf")
    return (peer - ref) / ref


def check(binary):
    failures = []
    rows = []  # (case, component, peer, scalesim, rel, status)

    # 0. The peer against the published per-layer numbers, both formulas.
    g = PRESETS["gpt3-175b"]
    for t, sp, rc, want in KORTHIKANTI_GOLDEN:
        for formula in ("textbook", "generalised"):
            o = DEFAULT_OPTIONS.copy()
            o.update(seq_len=2048, tp=t, sequence_parallel=sp, recompute=rc,
                     formula=formula)
            got = layer_activation_bytes(g, o)
            ok = got == want
            rows.append(("paper: 175B t%d%s %s [%s]" % (t, " sp" if sp else "",
                                                        rc, formula),
                         "per_layer (right: the paper)", got, want,
                         _rel(got, want), "exact" if ok else "MISMATCH"))
            if not ok:
                failures.append(rows[-1])

    # 1. Parameter counts against `scalesim params`.
    for preset in MHA + LLAMA:
        ref = run_scalesim_params(binary, preset)["total_params"]
        got = param_counts(PRESETS[preset])["total"]
        ok = got == ref
        rows.append((preset, "params.total", got, ref, _rel(got, ref),
                     "exact" if ok else "MISMATCH"))
        if not ok:
            failures.append(rows[-1])

    # 2. Memory cases.
    gaps = {}
    for name, preset, opts, kind in _cases():
        c = PRESETS[preset]
        o = DEFAULT_OPTIONS.copy()
        o.update(opts)
        ref = run_scalesim_memory(binary, preset, o)
        peer_gen = training_memory(c, dict(o, formula="generalised"))
        peer_txt = training_memory(c, dict(o, formula="textbook"))
        is_zero_case = "ZeRO" in name
        comps = (["params_total"] + STATE_ROWS) if is_zero_case else \
            (ACT_ROWS + REPORTED_ROWS)
        if o["pp"] > 1:
            comps = ["params_total"] + STATE_ROWS + ACT_ROWS + REPORTED_ROWS
        for comp in comps:
            if comp in ACT_ROWS and kind == "llama":
                # Table 2 applied to Llama (reported), then the peer's
                # generalised inventory (reported).
                for tag, peer in (("textbook", peer_txt),
                                  ("generalised", peer_gen)):
                    r = _rel(peer[comp], ref[comp])
                    rows.append((name, "%s [%s]" % (comp, tag), peer[comp],
                                 ref[comp], r, "reported"))
                    gaps.setdefault((preset, tag, comp), []).append(r)
                continue
            peer = peer_txt if kind == "exact" else peer_gen
            r = _rel(peer[comp], ref[comp])
            if comp in REPORTED_ROWS or kind == "beyond":
                status = "agrees" if r == 0 else "reported"
            else:
                status = "exact" if r == 0 else "MISMATCH"
            if kind == "exact" and comp in ACT_ROWS and \
                    peer_gen[comp] != peer_txt[comp]:
                status = "MISMATCH (peer textbook != generalised)"
            rows.append((name, comp, peer[comp], ref[comp], r, status))
            if status.startswith("MISMATCH"):
                failures.append(rows[-1])
        if "18B/param" in name:
            mib = peer_txt["activations"] / 2 ** 20
            rows.append((name, "activations MiB vs Megatron-LM 9,816.02",
                         round(mib, 2), 9816.02, _rel(round(mib, 2), 9816.02),
                         "reference"))
        if name in ("megatron-175b t8 ZeRO-0 dp64",
                    "megatron-175b t8 pp8 sp selective 18B/param"):
            rep = megatron_replicated_params_per_device(c, 8, o["pp"])
            rows.append((name, "params_per_device if replicated [1]", rep,
                         ref["params_per_device"],
                         _rel(rep, ref["params_per_device"]), "info"))

    wc = [max(len(str(r[i])) for r in rows) for i in range(2)]
    hdr = "%-*s  %-*s  %20s  %20s  %12s  %s" % (
        wc[0], "case", wc[1], "component", "peer", "scalesim", "rel diff",
        "status")
    print(hdr)
    print("-" * len(hdr))
    for case, comp, peer, ref, r, status in rows:
        print("%-*s  %-*s  %20s  %20s  %12s  %s" % (
            wc[0], case, wc[1], comp, _fmt(peer), _fmt(ref),
            "0" if r == 0 else "%+.3e" % r, status))
    print()
    n_exact = sum(1 for r in rows if r[5] == "exact")
    n_agree = sum(1 for r in rows if r[5] == "agrees")
    n_rep = sum(1 for r in rows if r[5] == "reported")
    print("[1] Megatron-LM keeps the norms, the row-parallel biases and the "
          "learned position table whole on every tensor rank; scalesim (by "
          "its documented convention) splits every parameter t ways.")
    print("summary: %d rows; %d required-exact rows agree, %d reported rows "
          "agree exactly, %d reported rows differ, %d mismatches"
          % (len(rows), n_exact, n_agree, n_rep, len(failures)))
    for (preset, tag, comp), rs in sorted(gaps.items()):
        print("  %s %s [%s]: relative gap %+.4f%% .. %+.4f%%"
              % (preset, comp, tag, 100 * min(rs), 100 * max(rs)))
    # Finding: tensor parallel degrees that do not divide the KV heads.
    o = DEFAULT_OPTIONS.copy()
    o.update(seq_len=4096, tp=16, sequence_parallel=True,
             recompute="selective")
    try:
        ref = run_scalesim_memory(binary, "llama2-70b", o)
        # Replicated: every rank keeps ceil(8/16) = 1 whole KV head, i.e.
        # the even split of everything else plus 80 layers x 1 head x
        # 2 x 8192 x 128 K/V weights.
        kv_head = 2 * 8192 * 128
        total = ref.get("params_total", 68976648192)
        replicated = (total - 80 * 8 * kv_head) // 16 + 80 * kv_head
        print("note: llama2-70b --tp 16 (8 KV heads): scalesim %s "
              "params/device, %s activation bytes/layer; KV heads replicated "
              "(one whole head per rank) gives %s params/device: %s"
              % (_fmt(ref["params_per_device"]),
                 _fmt(ref["activation_bytes_per_layer"]), _fmt(replicated),
                 "replicated, consistent" if ref["params_per_device"] ==
                 replicated else "split as if each rank held half a head"))
    except RuntimeError:
        print("note: scalesim rejects llama2-70b --tp 16 (t does not divide "
              "the 8 KV heads), as Megatron-LM does")
    # Finding: a middle pipeline stage can be the most loaded one (MoE with
    # leading dense layers: stage 0 holds the light dense layers, stage 1
    # the first MoE layers and p - 1 micro-batches).  The peer does not
    # model MoE, so this takes scalesim's own per-block parameter count and
    # MoE-layer activation bytes and checks that the reported most loaded
    # stage is at least stage 1 (16 bytes/param, no ZeRO, t = 1).
    moe = ["--layers", "4", "--d-model", "1024", "--heads", "16", "--vocab",
           "256", "--max-context", "2048", "--experts", "64",
           "--experts-per-token", "2", "--first-dense-layers", "1",
           "--tied", "true"]
    import subprocess
    pj = json.loads(subprocess.run(
        [binary, "params"] + moe + ["--format", "json"], capture_output=True,
        text=True, check=True).stdout)
    mj = json.loads(subprocess.run(
        [binary, "memory"] + moe + ["--pp", "4", "--format", "json"],
        capture_output=True, text=True, check=True).stdout)
    moe_block = next(r["per_moe_block"] for r in pj["tables"]["components"]
                     if r["component"] == "blocks")
    setup = mj["tables"]["setup"][0]
    reported = next(r["memory_bytes"] for r in mj["tables"]["memory"]
                    if r["component"] == "total")
    stage1 = 16 * moe_block + 3 * int(setup["activation_bytes_per_moe_layer"])
    print("note: MoE, 4 layers (1 dense first), pp 4: stage 1 needs at least "
          "%s bytes (16 x %s params + 3 in flight x %s); scalesim reports %s "
          "as the most loaded stage: %s"
          % (_fmt(stage1), _fmt(moe_block),
             _fmt(int(setup["activation_bytes_per_moe_layer"])),
             _fmt(reported),
             "consistent" if reported >= stage1 else
             "UNDER-REPORTED by %.1f%% (only the first and last stages are "
             "examined)" % (100 * (stage1 - reported) / reported)))
    if failures:
        print("FAILED: %d rows that should agree exactly do not:"
              % len(failures))
        for f in failures:
            print("  %s / %s: peer %s scalesim %s" % f[:4])
        return 1
    print("OK: every case where Table 2 applies agrees exactly")
    return 0


def _fmt(x):
    return "{:,}".format(x) if isinstance(x, int) else str(x)


# ---------------------------------------------------------------------------
# --bench

# scalesim's in-process ns per estimate by pipeline degree (Google
# Benchmark, docs/performance.md, "Analytic computations in process").
CXX_NS_PER_ESTIMATE = {1: 789, 8: 460}

BENCH_ARGS = ["--tp", "8", "--sequence-parallel", "--recompute", "selective",
              "--zero", "1", "--dp", "64", "--seq-len", "4096"]


def bench(binary):
    import statistics
    import subprocess
    import time
    import timeit
    c = PRESETS["llama2-70b"]
    # scalesim's own in-process benchmark, when built next to the binary
    # (BUILD/src/cli/scalesim -> BUILD/bench/analytic_bench).
    build = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(binary))))
    cxx_bench = os.path.join(build, "bench", "analytic_bench")
    live = {}
    if os.access(cxx_bench, os.X_OK):
        r = subprocess.run([cxx_bench, "--benchmark_filter=BM_TrainingMemory",
                            "--benchmark_min_time=0.2",
                            "--benchmark_format=json"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            for bm in json.loads(r.stdout)["benchmarks"]:
                name = bm["name"].split("/")
                scale = {"ns": 1, "us": 1e3, "ms": 1e6}[bm["time_unit"]]
                live[int(name[1])] = bm["real_time"] * scale
    print("host: %s, load average %s (os.cpu_count %d)"
          % (sys.version.split()[0] + " " + sys.executable,
             " ".join("%.2f" % x for x in os.getloadavg()), os.cpu_count()))
    print()
    print("in process: llama2-70b, TP 8, SP, selective recompute, ZeRO-1 "
          "dp 64, s 4096 (the options of bench/analytic_bench.cpp "
          "BM_TrainingMemory)")
    for pp in (1, 8):
        o = dict(tp=8, pp=pp, sequence_parallel=True, recompute="selective",
                 zero=1, dp=64, seq_len=4096)
        f = lambda: training_memory(c, o)["total"]  # noqa: E731
        timer = timeit.Timer(f)
        n, _ = timer.autorange()
        n = max(n, 20000)
        best = min(timer.repeat(repeat=7, number=n)) / n
        cxx_ns = CXX_NS_PER_ESTIMATE[pp]
        line = ("  pp %d: peer (python, timeit best of 7 x %d) %6.0f ns per "
                "estimate; scalesim (C++, docs/performance.md) %d ns: "
                "python / C++ = %.1fx"
                % (pp, n, best * 1e9, cxx_ns, best * 1e9 / cxx_ns))
        if pp in live:
            line += "; scalesim (C++, measured now) %.0f ns: %.1fx" % (
                live[pp], best * 1e9 / live[pp])
        print(line)
    if not live:
        print("  (no %s: the C++ figures are BM_TrainingMemory as recorded in "
              "docs/performance.md)" % cxx_bench)
    print()

    def wall(cmd, runs=20):
        ts = []
        subprocess.run(cmd, capture_output=True, check=True)  # warm caches
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            ts.append(time.perf_counter() - t0)
        return statistics.mean(ts) * 1e3, min(ts) * 1e3

    here = os.path.abspath(__file__)
    cxx = [binary, "memory", "--preset", "llama2-70b"] + BENCH_ARGS
    py = ["/usr/bin/python3", here, "--preset", "llama2-70b"] + BENCH_ARGS
    print("per process, one estimate (20 runs each, wall clock incl. process "
          "start and output):")
    res = []
    for label, cmd in (("scalesim memory", cxx), ("memory_peer.py", py)):
        mean, mn = wall(cmd)
        res.append((mean, mn))
        print("  %-16s mean %7.2f ms  min %7.2f ms   (%s)"
              % (label, mean, mn, " ".join(cmd)))
    print("  python / C++: mean %.1fx, min %.1fx"
          % (res[1][0] / res[0][0], res[1][1] / res[0][1]))
    return 0


# ---------------------------------------------------------------------------

def _bool(text):
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError("expected true or false")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", metavar="SCALESIM")
    ap.add_argument("--bench", metavar="SCALESIM")
    ap.add_argument("--preset", choices=sorted(PRESETS))
    ap.add_argument("--tp", type=int, default=1)
    ap.add_argument("--pp", type=int, default=1)
    ap.add_argument("--dp", type=int, default=1)
    ap.add_argument("--zero", type=int, default=0)
    ap.add_argument("--sequence-parallel", action="store_true")
    ap.add_argument("--recompute", default="none",
                    choices=["none", "selective", "full"])
    ap.add_argument("--micro-batch", type=int, default=1)
    ap.add_argument("--microbatches", type=int, default=0)
    ap.add_argument("--seq-len", type=int, default=0)
    ap.add_argument("--dropout", type=_bool, default=True)
    ap.add_argument("--flash-attention", action="store_true")
    ap.add_argument("--grad-dtype", choices=["16", "32"], default="16")
    ap.add_argument("--formula", choices=["textbook", "generalised"],
                    default="generalised")
    a = ap.parse_args(argv)
    if a.check:
        return check(a.check)
    if a.bench:
        return bench(a.bench)
    if not a.preset:
        ap.error("one of --check, --bench or --preset is required")
    o = dict(tp=a.tp, pp=a.pp, dp=a.dp, zero=a.zero,
             sequence_parallel=a.sequence_parallel, recompute=a.recompute,
             micro_batch=a.micro_batch, microbatches=a.microbatches,
             seq_len=a.seq_len, dropout=a.dropout,
             flash_attention=a.flash_attention,
             grad_bytes=4 if a.grad_dtype == "32" else 2, formula=a.formula)
    json.dump(training_memory(PRESETS[a.preset], o), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
