"""`python -m evaluation.pages` scores the trainer pages against the labels: every labelled
figure, example and topic is read, and what a page gets wrong is listed by name."""

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_pages_are_scored_against_the_labels_and_misses_named(tmp_path):
    labels = tmp_path / "labels"
    shutil.copytree(ROOT / "evaluation" / "labels" / "heldout2", labels)
    with open(labels / "examples.jsonl", "a", encoding="utf-8") as f:  # a label no page finds
        f.write(json.dumps({"doc": "bao-cao-quang-tri.txt", "name": "Hội thi vẽ tranh", "keys": "hoi thi"}) + "\n")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation.pages",
            "--corpus",
            str(labels / "corpus"),
            "--labels",
            str(labels),
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    comparison, examples = result["comparison"], result["examples"]
    assert comparison["labelled"] == 14 and comparison["predicted"] > 0
    assert 0 < comparison["precision"] <= 1 and 0 < comparison["recall"] <= 1
    assert examples["labelled"] == 8 and ["bao-cao-quang-tri.txt", "Hội thi vẽ tranh"] in examples["missed"]
    assert examples["recall"] < 1
    assert "briefing" not in result  # no labelled topics in this folder
