"""``summitwatch serve``: the review web UI and JSON API under uvicorn.

The socket is bound before the server starts, so an address in use or not on this machine is
one line (a ``SettingsError``), not uvicorn's log and exit.
"""

from __future__ import annotations

import socket
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from summitwatch import modelstore
from summitwatch.cli.context import get_app
from summitwatch.settings import SettingsError
from summitwatch.web.server import create_app

console = Console()


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Start the review web UI and JSON API."""
    application = get_app(ctx)
    modelstore.prepare_model(application, console.print)
    bind = host or str(application.settings["web.host"])
    where = port or int(application.settings["web.port"])
    listener = listen(bind, where)
    server = uvicorn.Server(uvicorn.Config(create_app(application, bind_host=bind)))
    shown = f"[{bind}]" if ":" in bind else bind
    console.print(f"review UI on http://{shown}:{where}/ (Ctrl+C stops it)", markup=False)
    server.run(sockets=[listener])


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` before the server starts, so an address in use or
    not on this machine is one line, not uvicorn's log and exit."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        raise SettingsError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    except OverflowError:
        raise SettingsError(f"cannot listen on {host}:{port}: not a port") from None
    sock.set_inheritable(True)
    return sock
