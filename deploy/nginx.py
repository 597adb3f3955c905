"""An nginx configuration for several app servers on one Chroma server.

python -m deploy.nginx --listen 8080 --app 10.0.0.2:8501 --app 10.0.0.3:8501 [--run /var/lib/tro-ly]
    [--proxy-secret-file FILE [--htpasswd FILE]] > nginx.conf
nginx -c "$PWD/nginx.conf" -g 'daemon off;'

nginx passes the browser's address (X-Real-IP) and always sets the user headers itself:
with `--proxy-secret-file`, X-Remote-User is the user nginx authenticated (here with
`auth_basic`; an organisation's single sign-on module sets $remote_user the same way) and
X-Proxy-Secret the shared secret the app checks (AUTH=proxy); without it both are emptied,
so a header a browser sends never reaches the app.

Each browser stays on one app server (Streamlit keeps a session in its websocket, and an
upload goes to the server holding that session): the first response sets a `replica`
cookie and nginx hashes it to a server. When that server is down, nginx sends the browser
to the next one, which starts a new session on the same documents.
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size {upload_mb}m;

    map $cookie_replica $replica {{ "" $request_id; default $cookie_replica; }}
    map $cookie_replica $new_replica {{ "" "replica=$request_id; Path=/; HttpOnly; SameSite=Lax"; default ""; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}

    upstream app {{
        hash $replica consistent;
{servers}
    }}

    server {{
        listen {listen};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1d;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
{user}
            add_header Set-Cookie $new_replica always;
            add_header X-Replica $upstream_addr always;
        }}
    }}
}}
"""


NO_USER = """\
            proxy_set_header X-Remote-User "";
            proxy_set_header X-Proxy-Secret "";"""
PROXY_USER = """\
            auth_basic "Tro ly van ban";
            auth_basic_user_file {htpasswd};
            proxy_set_header X-Remote-User $remote_user;
            proxy_set_header X-Proxy-Secret "{secret}";"""


def config(
    listen: str, apps: list[str], run: Path, upload_mb: int = 200, secret: str = "", htpasswd: Path | None = None
) -> str:
    """With `secret`, the user nginx authenticated (against `htpasswd`) goes to the app."""
    servers = "\n".join(f"        server {app} max_fails=1 fail_timeout=10s;" for app in apps)
    if secret and (not secret.isprintable() or '"' in secret or "\\" in secret):
        raise ValueError("the proxy secret must be printable, without quotes or backslashes")
    user = PROXY_USER.format(htpasswd=htpasswd, secret=secret) if secret else NO_USER
    return TEMPLATE.format(listen=listen, servers=servers, run=run, upload_mb=upload_mb, user=user)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.nginx", description="Cấu hình nginx cho nhiều máy chủ ứng dụng."
    )
    parser.add_argument("--listen", default="8080", help="cổng (hoặc địa chỉ:cổng) nginx nghe")
    parser.add_argument("--app", action="append", required=True, help="địa chỉ:cổng của một máy chủ ứng dụng (lặp lại)")
    parser.add_argument("--run", type=Path, default=Path("/tmp/tro-ly-nginx"), help="thư mục cho pid, nhật ký, tệp tạm")
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--proxy-secret-file", type=Path, help="tệp chứa khóa bí mật chung với ứng dụng (AUTH=proxy)")
    parser.add_argument("--htpasswd", type=Path, help="tệp tài khoản của auth_basic (khi không dùng SSO)")
    args = parser.parse_args(argv)
    args.run.mkdir(parents=True, exist_ok=True)
    secret = args.proxy_secret_file.read_text().strip() if args.proxy_secret_file else ""
    htpasswd = args.htpasswd.resolve() if args.htpasswd else None
    print(config(args.listen, args.app, args.run.resolve(), args.upload_mb, secret, htpasswd), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
