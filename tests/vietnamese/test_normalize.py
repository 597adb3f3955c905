"""Word segmentation leaves nothing behind."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit


def test_segmenting_leaves_no_temporary_model_file(tmp_path):
    """pyvi unpickles its CRF model into a temporary file; it is gone once the model is read,
    even from a process that is killed."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import glob, os; from vietnamese.normalize import segment\n"
        "assert segment('Trẻ em Việt Nam') == ['trẻ_em', 'việt_nam']\n"
        "assert not glob.glob(os.path.join(os.environ['TMPDIR'], 'model*.crfsuite'))\n"
        "os.kill(os.getpid(), 9)  # stopped, as a server is: nothing runs at exit\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == -9 and list(tmp_path.glob("model*.crfsuite")) == []
