"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol
(plain JSON and SSE streaming) and Ollama's /api/chat (NDJSON), with scripted
replies, for tests."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    """`reply` is a function (messages) -> str | ("status", code) | ("hang", seconds)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.reply = lambda messages: "Không tìm thấy thông tin này trong các tài liệu hiện có."
        self.delay = 0.0  # seconds between streamed pieces
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                owner.requests.append(
                    {"path": self.path, "body": body, "authorization": self.headers.get("Authorization", "")}
                )
                result = owner.reply(body["messages"])
                if isinstance(result, tuple) and result[0] == "status":
                    self._json(result[1], {"error": {"message": "scripted failure", "type": "server_error"}})
                    return
                if isinstance(result, tuple) and result[0] == "hang":
                    time.sleep(result[1])
                    result = "quá muộn"
                if self.path.startswith("/api/chat"):
                    self._ollama(result)
                elif body.get("stream"):
                    self._stream(result)
                else:
                    self._json(
                        200,
                        {
                            "id": "x",
                            "object": "chat.completion",
                            "created": 0,
                            "model": body["model"],
                            "choices": [
                                {
                                    "index": 0,
                                    "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": result},
                                }
                            ],
                            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                        },
                    )

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _ollama(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                for word in text.split(" "):
                    line = {
                        "model": "fake",
                        "created_at": "2026-01-01T00:00:00Z",
                        "message": {"role": "assistant", "content": word + " "},
                        "done": False,
                    }
                    self.wfile.write((json.dumps(line) + "\n").encode())
                done = {
                    "model": "fake",
                    "created_at": "2026-01-01T00:00:00Z",
                    "message": {"role": "assistant", "content": ""},
                    "done": True,
                    "done_reason": "stop",
                    "total_duration": 1,
                    "load_duration": 1,
                    "prompt_eval_count": 1,
                    "eval_count": 1,
                }
                self.wfile.write((json.dumps(done) + "\n").encode())

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                words = text.split(" ")
                for i, word in enumerate(words):
                    piece = word + (" " if i < len(words) - 1 else "")
                    chunk = {
                        "id": "x",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": "fake",
                        "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                    time.sleep(owner.delay)
                end = {
                    "id": "x",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "fake",
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.root}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def passage_number(messages: list[dict], needle: str) -> int:
    """The [n] of the passage block containing `needle` in the user prompt."""
    import re

    for m in re.finditer(r"^\[(\d+)\][^\n]*\n<<<\n(.*?)\n>>>", messages[-1]["content"], re.S | re.M):
        if needle in m.group(2):
            return int(m.group(1))
    raise AssertionError(f"{needle!r} not in any passage")
