"""An OpenID Connect provider on 127.0.0.1 for the app's `st.login`: discovery, an
authorisation endpoint that signs in whichever person the test chose (no form), a token
endpoint that checks the client and the code, and an RS256 id_token with its key set."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "tro-ly-van-ban", "bi-mat-cua-ung-dung-thu"


class Provider:
    """`person`: the claims of whoever signs in next (sub, email, email_verified)."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "khoa-1", "use": "sig"})
        self.person: dict = {}
        self.codes: dict[str, dict] = {}  # code -> claims and nonce, used once
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def authorize(self, query: dict) -> str:
        """Where the browser goes next: back to the app with a code."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return f"{query.get('redirect_uri', '')}?{urlencode({'error': 'unauthorized_client', 'state': query.get('state', '')})}"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"claims": dict(self.person), "nonce": query.get("nonce"), "redirect": query["redirect_uri"]}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def token(self, form: dict, authorization: str) -> dict | None:
        client, secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        given = self.codes.pop(form.get("code", ""), None)
        if (
            (client, secret) != (CLIENT_ID, CLIENT_SECRET)
            or given is None
            or form.get("redirect_uri") != given["redirect"]
        ):
            return None
        now = int(time.time())
        claims = {"iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 600, **given["claims"]}
        if given["nonce"]:
            claims["nonce"] = given["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": "khoa-1"}, claims, self.key)
        return {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 600,
            "id_token": id_token,
        }


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                self.send_response(302)
                self.send_header("Location", provider.authorize(query))
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            issued = provider.token(form, self.headers.get("Authorization", "")) if self.path == "/token" else None
            if issued is None:
                self._json(400, {"error": "invalid_grant"})
            else:
                self._json(200, issued)

    return Handler
