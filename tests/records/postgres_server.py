"""A throw-away PostgreSQL server for the tests: initdb + pg_ctl on a temporary folder and a free port.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` system user (the
Debian package creates it) in a folder owned by that user. Skips when the binaries are absent.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

INSTALL_HINT = "install postgresql (Debian: apt-get install postgresql)"


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server, yield its URL (database ``postgres``, trust authentication), stop and delete it."""
    bin_dir = _binaries()
    if bin_dir is None:
        pytest.skip(INSTALL_HINT)
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="campaign-bot-pg-"))
    if as_root:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("postgresql refuses to run as root and runuser is missing: run the tests as another user")
        try:
            shutil.chown(folder, user="postgres")
        except LookupError:
            pytest.skip(f"no 'postgres' system user: {INSTALL_HINT}")
        prefix = [runuser, "-u", "postgres", "--"]
    data = folder / "data"
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"], **run)  # type: ignore[call-overload]
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(  # type: ignore[call-overload]
            [
                *prefix,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-o",
                options,
                "-w",
                "start",
            ],
            **run,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"postgresql did not start: {exc.stderr or exc.stdout}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)
