"""The review web app (Starlette + Jinja2): a run's documents, one document side by side with its
flags, editing and confirming target sentences, saving.

Security, since it is a web server on someone's laptop:
- `serve` binds 127.0.0.1 only; requests must carry that host name (no DNS rebinding);
- a random token is in the URL printed at start; every page and request needs it (query `token`
  for pages, header `X-Review-Token` for the JSON save, which a cross-site form cannot send);
- every text goes through Jinja2 autoescaping; a Content-Security-Policy allows only this app's own
  script and style, so even pasted HTML in a release could not run; no referrer leaks the token;
- document ids are looked up in the table of the run's records (store.py), never joined to paths.
"""
from __future__ import annotations

import hmac
import json
import sqlite3
import secrets
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..memory.human import current_user, now_iso
from .store import ReviewError, RunStore
from .view import document_view

HERE = Path(__file__).parent
STATIC = {"review.js": "text/javascript", "review.css": "text/css"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
MAX_BODY = 2_000_000


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html"], default=True), trim_blocks=True, lstrip_blocks=True)
    return env


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is known to exceed `limit` bytes: a declared
    Content-Length over the limit is refused unread, and a streamed body is read chunk by chunk and
    dropped at the first byte past the limit (never the whole of it held in memory)."""
    declared = request.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(out_dir: str | Path, memory=None, token: str | None = None,
               hosts: tuple[str, ...] = ("127.0.0.1", "localhost"), user: str | None = None,
               recheck=None) -> Starlette:
    """The ASGI app over one OUT_DIR. `memory`: a HumanMemory (post-edits are stored there and fuzzy
    matches come from it), or None. `token`: random when not given (`app.state.token`).
    `recheck`: QA of edited sentences at save time (see `apply.apply_changes`), or None."""
    store = RunStore(out_dir)
    token = token or secrets.token_urlsafe(24)
    env = templates()
    who = user or current_user()

    def authorised(supplied: str | None) -> bool:
        return isinstance(supplied, str) and hmac.compare_digest(supplied.encode(), token.encode())

    def page(name: str, status: int = 200, **ctx: Any) -> Response:
        html = env.get_template(name).render(token=token, static=False, **ctx)
        return _headers(HTMLResponse(html, status_code=status))

    def error_page(status: int, message: str) -> Response:
        return page("error.html", status=status, message=message, title="Error")

    async def index(request: Request) -> Response:
        if not authorised(request.query_params.get("token")):
            return error_page(403, "Missing or wrong token: open the address printed by `ngo-pipeline review`.")
        from .overview import overview

        view = overview(store, request.query_params.get("sort"))
        return page("index.html", view=view, out_dir=str(store.out_dir), title="Review")

    async def document(request: Request) -> Response:
        if not authorised(request.query_params.get("token")):
            return error_page(403, "Missing or wrong token: open the address printed by `ngo-pipeline review`.")
        doc_id = request.path_params["doc_id"]
        try:
            record, version = store.load(doc_id)
        except ReviewError as e:
            return error_page(e.status, str(e))
        try:
            view = document_view(record, memory)
        except sqlite3.Error as e:  # the memory went bad while the server runs: name it
            return error_page(500, f"cannot show {doc_id}: the translation memory {memory.path} cannot be read "
                                   f"({e}); restart with --no-memory to review without it")
        except Exception as e:  # a record written by another version, hand-edited...: say what, no traceback
            return error_page(500, f"cannot show {doc_id}: {type(e).__name__}: {e}")
        return page("document.html", doc=view, doc_id=doc_id, version=version, title=doc_id)

    async def save(request: Request) -> Response:
        if not authorised(request.headers.get("x-review-token")):
            return _headers(JSONResponse({"error": "missing or wrong token"}, status_code=403))
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _headers(JSONResponse({"error": "expected application/json"}, status_code=415))
        origin = request.headers.get("origin")
        if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
            return _headers(JSONResponse({"error": "cross-origin request refused"}, status_code=403))
        body = await read_capped(request, MAX_BODY)
        if body is None:
            return _headers(JSONResponse({"error": "request too large"}, status_code=413))
        try:
            data = json.loads(body)
            version, changes = data["version"], data["changes"]
        except (ValueError, KeyError, TypeError):
            return _headers(JSONResponse({"error": "expected {\"version\", \"changes\"}"}, status_code=400))
        from starlette.concurrency import run_in_threadpool

        from .apply import InvalidChange

        try:
            result = await run_in_threadpool(store.save, request.path_params["doc_id"], str(version),
                                             changes, who, now_iso(), memory, recheck)
        except InvalidChange as e:
            return _headers(JSONResponse({"error": str(e)}, status_code=400))
        except ReviewError as e:
            return _headers(JSONResponse({"error": str(e)}, status_code=e.status))
        except Exception as e:  # never a bare 500: the page shows this line
            return _headers(JSONResponse({"error": f"not saved: {type(e).__name__}: {e}"}, status_code=500))
        return _headers(JSONResponse({"ok": True, **result}))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _headers(Response("not found", status_code=404))
        return _headers(FileResponse(HERE / "static" / name, media_type=STATIC[name]))

    app = Starlette(routes=[
        Route("/", index),
        Route("/doc/{doc_id:path}", document),
        Route("/api/save/{doc_id:path}", save, methods=["POST"]),
        Route("/static/{name}", static),
    ], middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))])
    app.state.token = token
    app.state.store = store
    return app


def qa_recheck(config_path: str | Path | None = None):
    """The project's QA engine as a `recheck` function, set up like the config's check stage
    (glossary, do-not-translate list, language detection, skipped checks; paths relative to the
    config's folder), or None when it cannot be built."""
    try:
        from .. import config
        from ..qa.engine import QAEngine
        from ..qa.flags import Pair

        cfg = config.load(config_path)
        spec = next((s for s in cfg.stages if s.factory.split(".")[0] == "check"), None)
        params = dict(spec.params) if spec else {}

        def path(value: str) -> Path:
            p = Path(value).expanduser()
            return p if p.is_absolute() else cfg.path.parent / p

        dnt = params.get("do_not_translate") or None
        engine = QAEngine(glossary=path(params["glossary"]) if params.get("glossary") else None,
                          dnt=list(dnt) if isinstance(dnt, list) else (path(dnt) if dnt else None),
                          detect=params.get("detect_language", True), skip=params.get("skip") or ())
    except Exception as e:  # QA is an extra at save time; its absence must not stop reviewing
        import logging

        logging.getLogger(__name__).warning("edited sentences will not be re-checked: %s", e)
        return None

    def recheck(pairs: list[tuple[str, str, str, str]]) -> list[list[dict[str, Any]]]:
        found = engine.check([Pair(src, tgt, sl, tl) for src, tgt, sl, tl in pairs])
        return [[f.to_dict() for f in flags] for flags in found]

    return recheck


def serve(app: Starlette, port: int = 8765) -> None:
    """Run the app on 127.0.0.1 only (port 0: any free port) until interrupted."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    host, real_port = sock.getsockname()[:2]
    print(f"Review: http://127.0.0.1:{real_port}/?token={app.state.token}", flush=True)
    print("(only this address with its token works; Ctrl+C stops the server)", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


__all__ = ["create_app", "serve", "templates"]
