#!/usr/bin/python3
"""Every example runs (issue 11): each example of every --help text
(scalesim --help, each command's, each sweep kind's and comparison's) and
every `scalesim ...` line of README.md's sh blocks must exit 0 and print
something (to stdout, or to the file its --out/--law-out names).

README lines run in order in one directory (a later line may read what an
earlier one wrote: fit --law-out law.json, then loss --law law.json). Every
command runs in a fresh temporary directory holding `data` (a link to the
source tree's data/), so relative paths in examples mean what they mean in a
checkout. README's placeholders path/to/config.json and path/to/model_folder
become a small Llama config and a checkpoint of it (safetensors headers over
zero bytes) made here.

Usage: examples_test.py SCALESIM SOURCE_DIR
"""
import json
import os
import shlex
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "scripts"))
import cli_help  # noqa: E402

TIMEOUT_S = cli_help.TIMEOUT_S

TINY_LLAMA = {
    "model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2,
    "num_hidden_layers": 2, "vocab_size": 256, "tie_word_embeddings": False,
}


def tiny_checkpoint(directory):
    """config.json and one model.safetensors of TINY_LLAMA (fp16, zeros)."""
    c = TINY_LLAMA
    d, f, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    kv = d // c["num_attention_heads"] * c["num_key_value_heads"]
    shapes = {"model.embed_tokens.weight": [v, d],
              "model.norm.weight": [d], "lm_head.weight": [v, d]}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        shapes.update({
            p + "self_attn.q_proj.weight": [d, d],
            p + "self_attn.k_proj.weight": [kv, d],
            p + "self_attn.v_proj.weight": [kv, d],
            p + "self_attn.o_proj.weight": [d, d],
            p + "mlp.gate_proj.weight": [f, d],
            p + "mlp.up_proj.weight": [f, d],
            p + "mlp.down_proj.weight": [d, f],
            p + "input_layernorm.weight": [d],
            p + "post_attention_layernorm.weight": [d],
        })
    header, offset = {}, 0
    for name, shape in shapes.items():
        n = 2
        for s in shape:
            n *= s
        header[name] = {"dtype": "F16", "shape": shape,
                        "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header).encode()
    os.makedirs(directory)
    with open(os.path.join(directory, "model.safetensors"), "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + bytes(offset))
    with open(os.path.join(directory, "config.json"), "w") as out:
        json.dump(TINY_LLAMA, out)


def examples_of(help_text):
    """The indented lines after "Examples:", comments removed."""
    out, on = [], False
    for line in help_text.splitlines():
        if line.startswith("Examples:"):
            on = True
        elif on and line.startswith("  "):
            out.append(line.split(" #")[0].strip())
        elif on and line.strip():
            on = False
    return out


def help_examples(scalesim):
    found = []
    for where, text in cli_help.help_pages(scalesim):
        found += [(where or ["scalesim"], e) for e in examples_of(text)]
    return found


def readme_commands(source_dir):
    out, on = [], False
    with open(os.path.join(source_dir, "README.md")) as f:
        for line in f:
            if line.startswith("```"):
                on = line.strip() == "```sh" if not on else False
                continue
            if on and line.startswith("scalesim "):
                out.append(line.split(" #")[0].strip())
    return out


def written_file(argv, cwd):
    """The file named by --out or --law-out, if any."""
    for flag in ("--out", "--law-out"):
        if flag in argv:
            i = argv.index(flag)
            if i + 1 < len(argv):
                return os.path.join(cwd, argv[i + 1])
    return None


def run_example(scalesim, line, cwd, placeholders):
    for text, path in placeholders.items():
        line = line.replace(text, path)
    argv = shlex.split(line)
    if not argv or argv[0] != "scalesim":
        return f"not a scalesim command: {line}"
    r = subprocess.run([scalesim] + argv[1:], cwd=cwd, capture_output=True,
                       text=True, timeout=TIMEOUT_S)
    if r.returncode != 0:
        return f"exit {r.returncode}: {line}\n    {r.stderr.strip()}"
    target = written_file(argv, cwd)
    if r.stdout.strip():
        return None
    if target and os.path.isfile(target) and os.path.getsize(target) > 0:
        return None
    return f"no output: {line}"


def main():
    scalesim, source_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
    data = os.path.join(os.path.abspath(source_dir), "data")
    failures, count = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        checkpoint = os.path.join(tmp, "tiny_llama")
        tiny_checkpoint(checkpoint)
        placeholders = {
            "path/to/config.json": os.path.join(checkpoint, "config.json"),
            "path/to/model_folder": checkpoint,
        }

        def fresh(name):
            d = tempfile.mkdtemp(prefix=name, dir=tmp)
            os.symlink(data, os.path.join(d, "data"))
            return d

        for i, (where, line) in enumerate(help_examples(scalesim)):
            count += 1
            problem = run_example(scalesim, line, fresh(f"help{i}_"),
                                  placeholders)
            if problem:
                failures.append(f"{' '.join(where)} --help: {problem}")
        readme_dir = fresh("readme_")
        for line in readme_commands(source_dir):
            count += 1
            problem = run_example(scalesim, line, readme_dir, placeholders)
            if problem:
                failures.append(f"README.md: {problem}")
    for f in failures:
        print("FAIL:", f)
    print(f"{count - len(failures)} of {count} examples ran")
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
