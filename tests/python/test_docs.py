"""Every ```python snippet of docs/python.md runs (in the source tree, in
order, each section in a fresh namespace)."""
import os
import re

import pytest

from conftest import SOURCE_DIR

DOC = SOURCE_DIR / "docs/python.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def test_the_tour_has_snippets():
    assert len(SNIPPETS) >= 3


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_snippet_runs(index, tmp_path, monkeypatch):
    code = SNIPPETS[index]
    if "matplotlib" in code:
        pytest.importorskip("matplotlib")
    monkeypatch.chdir(SOURCE_DIR)
    # Files a snippet writes go to a temporary folder.
    code = code.replace('"fit_residuals.png"',
                        repr(os.fspath(tmp_path / "fit_residuals.png")))
    exec(compile(code, f"docs/python.md snippet {index}", "exec"), {})
