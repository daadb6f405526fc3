#!/usr/bin/python3
"""docs/cli.md from the binary: every flag of every --help page (each
command, sweep kind and comparison) with its value, meaning, default and
the commands that take it.

One flag name per concept (issue 11): a flag whose value (its unit or
metavar) differs between commands is an error, so is a meaning that is
worded two ways where the flag is declared once. Usage:

  cli_vocabulary.py SCALESIM                 print docs/cli.md
  cli_vocabulary.py SCALESIM --check FILE    exit 1 if FILE differs or a
                                             flag drifts
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_help  # noqa: E402

FLAG = re.compile(r"^  (--[a-z0-9][a-z0-9-]*)(?: ([^ ].*?))?(?: {2,}(.*))?$")
# The help's last parenthesis: "(default X)", "(default X; valid R)" or
# "(valid R)", R a range such as [1, 1e+07], (0, 1] or >= 0.
SUFFIX = re.compile(r"\s*\((?:default (?P<default>(?:[^()]|\([^()]*\))*?))?"
                    r"(?:(?:; )?valid (?P<valid>[\[(][^\[\]()]*[\])]|[<>]=? \S+))?\)\s*$")
SKIPPED_SECTIONS = {"General:"}  # --help only
# Commands still parsed by hand (Boost's "arg" for every value): listed,
# not yet held to one value per flag. Empty once every command declares its
# options in a library struct.
UNCONVERTED = set()


def flags_of(text):
    """[(flag, value, meaning, default, valid)] of one help page."""
    out, section, current = [], None, None

    def close():
        if current:
            flag, value, words = current
            meaning = re.sub(r"\s+", " ", " ".join(words)).strip()
            m = SUFFIX.search(meaning)
            default = valid = ""
            if m and (m.group("default") is not None or m.group("valid")):
                default = (m.group("default") or "").strip()
                valid = m.group("valid") or ""
                meaning = meaning[:m.start()].rstrip()
            out.append((flag, value or "", meaning, default, valid))

    for line in text.splitlines():
        if line and not line.startswith(" "):
            close()
            current = None
            section = line if line.endswith(":") else None
            continue
        if section is None or section in SKIPPED_SECTIONS:
            continue
        m = FLAG.match(line)
        if m:
            close()
            current = (m.group(1), m.group(2), [m.group(3) or ""])
        elif current and line.startswith("    ") and line.strip():
            current[2].append(line.strip())
    close()
    return out


def vocabulary(scalesim):
    """{flag: {(value, meaning, default, valid): [command, ...]}}"""
    vocab = {}
    for where, text in cli_help.help_pages(scalesim):
        if not where:
            continue
        name = " ".join(where)
        for flag, value, meaning, default, valid in flags_of(text):
            uses = vocab.setdefault(flag, {})
            uses.setdefault((value, meaning, default, valid),
                            []).append(name)
    return vocab


def drift(vocab):
    """Flags whose value differs between commands."""
    problems = []
    for flag, uses in sorted(vocab.items()):
        # A grid flag takes a LIST of the values the flag takes elsewhere.
        values = sorted({value for (value, *_), commands in uses.items()
                         if value != "LIST"
                         and not set(commands) <= UNCONVERTED})
        if len(values) > 1:
            where = "; ".join(f"{v or '(none)'}: {', '.join(c)}"
                              for (v, *_), c in sorted(uses.items()))
            problems.append(f"{flag} takes different values: {where}")
    return problems


def cell(text):
    return text.replace("|", "\\|") if text else ""


def markdown(vocab):
    lines = [
        "# Command-line vocabulary",
        "",
        "Every flag of every command, sweep kind and comparison, generated",
        "from the binary's `--help` pages by `scripts/cli_vocabulary.py`; the",
        "`cli_vocabulary` test fails when this page and the binary differ, or",
        "when one flag takes a different value (unit) in two commands. A flag",
        "is one concept everywhere: declared once in a library options",
        "struct (its `VisitFields`), bound by every command that takes it. A",
        "row per wording where the meaning is phrased for the command.",
        "`valid` is the range every numeric value is checked against on",
        "input (exit 2 outside it; [a, b] inclusive, (a, b] excluding a).",
        "",
        "Conventions every command shares: `--format table|csv|json|markdown`",
        "(human-readable numbers in tables, exact ones in CSV and JSON);",
        "`--out FILE` writes the output through a temporary file renamed into",
        "place (a failed run leaves no file and never clobbers an existing",
        "one); bad input exits 2 with one line naming the flag (see",
        "docs/errors.md); a question with no answer (nothing fits, no layout",
        "meets the target) exits 1.",
        "",
        "| flag | value | meaning | default | valid | commands |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for flag in sorted(vocab):
        for (value, meaning, default, valid), commands in sorted(
                vocab[flag].items(), key=lambda kv: (-len(kv[1]), kv[0])):
            lines.append(f"| `{flag}` | {cell(value)} | {cell(meaning)} | "
                         f"{cell(default)} | {cell(valid)} | "
                         f"{', '.join(commands)} |")
    return "\n".join(lines) + "\n"


def main():
    scalesim = os.path.abspath(sys.argv[1])
    vocab = vocabulary(scalesim)
    text = markdown(vocab)
    problems = drift(vocab)
    if len(sys.argv) >= 4 and sys.argv[2] == "--check":
        with open(sys.argv[3]) as f:
            if f.read() != text:
                problems.append(f"{sys.argv[3]} differs from the binary's "
                                "--help pages: regenerate it with "
                                "scripts/cli_vocabulary.py SCALESIM > "
                                "docs/cli.md")
        for p in problems:
            print("FAIL:", p)
        n = sum(len(u) for u in vocab.values())
        print(f"{len(vocab)} flags, {n} wordings, {len(problems)} problems")
        return 1 if problems or not vocab else 0
    for p in problems:
        print("warning:", p, file=sys.stderr)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
