"""The help pages of the scalesim binary: every command's, every sweep
kind's and every comparison's, found from the listings of `scalesim --help`
(Commands:) and each command's (Sweeps:, Comparisons:). Shared by
tests/cli/examples_test.py (every example runs) and scripts/cli_vocabulary.py
(docs/cli.md, one flag name per concept)."""
import subprocess
import sys

TIMEOUT_S = 120


def run_help(scalesim, args):
    """stdout of `scalesim ARGS --help`; exits the script if it fails."""
    r = subprocess.run([scalesim] + args + ["--help"], capture_output=True,
                       text=True, timeout=TIMEOUT_S)
    if r.returncode != 0:
        sys.exit(f"FAIL: scalesim {' '.join(args)} --help exited "
                 f"{r.returncode}: {r.stderr.strip()}")
    return r.stdout


def listed(help_text, heading):
    """The first words of the indented lines under `heading`."""
    out, on = [], False
    for line in help_text.splitlines():
        if line.startswith(heading):
            on = True
        elif on and line.startswith("  "):
            out.append(line.split()[0])
        elif on:
            break
    return out


def help_pages(scalesim):
    """[(argv words, help text)]: the top level first, then each command
    and each of its sweep kinds or comparisons."""
    top = run_help(scalesim, [])
    pages = [([], top)]
    for command in listed(top, "Commands:"):
        text = run_help(scalesim, [command])
        pages.append(([command], text))
        for heading in ("Sweeps:", "Comparisons:"):
            for kind in listed(text, heading):
                pages.append(([command, kind],
                              run_help(scalesim, [command, kind])))
    return pages
