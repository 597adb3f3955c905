"""The load command drives real browser sessions against a real app while one uploads;
here with few sessions, for behaviour only (its figures are printed, never asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_load_command_answers_every_session_while_one_uploads():
    out = subprocess.run(
        [sys.executable, "-m", "evaluation.load", "--sessions", "3", "--json"],
        cwd=ROOT,
        env=dict(os.environ, HF_HUB_OFFLINE="1"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["answered"] == 3 and figures["errors"] == [] and figures["upload_s"] is not None
    assert figures["server_s"]["p50"] is not None and figures["key_hit"] >= 1
