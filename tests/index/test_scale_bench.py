"""The scale benchmark writes a synthetic index of the size asked and measures it."""
import json
import subprocess
import sys

from tests.conftest import ROOT


def test_scale_bench_json_shape():
    out = subprocess.run([sys.executable, "-m", "evaluation.scale_bench", "--chunks", "300", "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    [result] = json.loads(out.stdout)["results"]
    assert result["chunks"] >= 300 and result["documents"] > 5  # copies of the 5 seeds under their own ids
    assert result["ingest_one_file_added"] == 1 and result["new_file_found_first"] is True
    for key in ("records_seconds", "lexical_build_seconds", "add_one_document_seconds", "refresh_unchanged_ms",
                "rss_after_load_mb", "peak_rss_mb"):
        assert result[key] >= 0
    assert set(result["query"]) == set(result["query_locality_filter"]) == set(result["answer"]) == {"p50_ms", "p95_ms"}
