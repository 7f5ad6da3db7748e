"""The student site in a classroom: served from the instructor's laptop, or as one zip file.

``./course serve --lan`` calls :func:`serve`: the built site (``_build/html``) is served on every
network interface of the machine, so students on the same Wi-Fi open it on their phones or
laptops; the terminal shows the address to type and a QR code to scan. Nothing needs the
internet: the site loads nothing from other hosts.

``./course zip`` calls :func:`make_zip`: the student site as one zip whose folder opens from
disk (``index.html``), for a classroom with no network at all or a learning platform that takes
files. The zip holds the built student edition only: no source copies (``_sources``), no
build metadata.

Run ``python -m omcd.classroom --help`` for the options.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import ipaddress
import sys
import zipfile
from pathlib import Path

from omcd.devtools import REPO_ROOT, SITE_DIR

ZIP_PATH = REPO_ROOT / "_build" / "open-models-cloud-demand-site.zip"
#: The folder the zip unpacks into.
ZIP_FOLDER = "open-models-cloud-demand"
#: Never shipped in the zip: source copies (they would carry solutions) and build metadata.
EXCLUDED_PARTS = {"_sources", ".doctrees", ".jupyter_cache", "jupyter_execute"}
EXCLUDED_NAMES = {".buildinfo", ".omcd-code-hash"}
README = """Open Models, Cloud Demand: the course website, to use without a network.

Unzip this file, then open index.html (in this folder) in a web browser: double-click it,
or drag it onto a browser window. Every page and calculator works from disk; nothing is
loaded from the internet.
"""


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on network interfaces that are up, loopback and
    link-local addresses left out; private (classroom) addresses first."""
    import socket

    import psutil

    stats = psutil.net_if_stats()
    found = []
    for interface, addresses in psutil.net_if_addrs().items():
        if interface in stats and not stats[interface].isup:
            continue
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.IPv4Address(address.address)
            if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
                continue
            found.append(ip)
    return [str(ip) for ip in sorted(set(found), key=lambda ip: (not ip.is_private, ip))]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the standard library
        pass


def make_server(site_dir: Path, port: int, host: str = "0.0.0.0") -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``site_dir`` on ``host`` (every interface by default) at ``port``
    (0: any free port). Raises ``OSError`` with a readable message when the port is taken."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise OSError(
            f"cannot serve on port {port}: {error.strerror}. Choose another with --port (e.g. --port 8080)."
        ) from None
    server.daemon_threads = True
    return server


def banner(port: int, addresses: list[str]) -> str:
    """What ``serve --lan`` prints: the address to give students and its QR code."""
    from omcd.qr import qr_terminal

    local = f"http://127.0.0.1:{port}/"
    if not addresses:
        return (
            f"Serving the student site on every network interface, port {port} (Ctrl-C to stop).\n"
            f"This machine has no network address other than 127.0.0.1 right now: join the\n"
            f"classroom's Wi-Fi (or start a hotspot) and run this command again to get an address\n"
            f"for students. On this machine: {local}\n"
        )
    url = f"http://{addresses[0]}:{port}/"
    others = "".join(f"  also: http://{a}:{port}/\n" for a in addresses[1:])
    return (
        f"Serving the student site to the classroom (Ctrl-C to stop).\n"
        f"Students on the same network open:\n\n  {url}\n{others}\n"
        f"or scan this code:\n\n{qr_terminal(url)}\n"
        f"On this machine: {local}\n"
        f"No internet needed: the site loads nothing from other hosts.\n"
    )


def serve(site_dir: Path = SITE_DIR, port: int = 8000, lan: bool = True) -> int:
    """Serve ``site_dir`` until interrupted; on every interface with ``lan``, else on 127.0.0.1."""
    if not (site_dir / "index.html").is_file():
        print(f"{site_dir} has no index.html: build the site first (./course site).", file=sys.stderr)
        return 1
    try:
        server = make_server(site_dir, port, "0.0.0.0" if lan else "127.0.0.1")
    except OSError as error:
        print(error, file=sys.stderr)
        return 1
    port = server.server_address[1]
    if lan:
        print(banner(port, lan_addresses()), flush=True)
    else:
        print(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def site_files(site_dir: Path) -> list[Path]:
    """The files of the built site that go into the zip, sorted."""
    return sorted(
        p
        for p in site_dir.rglob("*")
        if p.is_file() and not (EXCLUDED_PARTS & set(p.relative_to(site_dir).parts)) and p.name not in EXCLUDED_NAMES
    )


def make_zip(site_dir: Path = SITE_DIR, target: Path = ZIP_PATH) -> Path:
    """Write the built student site to ``target``: one folder, ``index.html`` at its top."""
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir} has no index.html: build the site first (./course site).")
    if (site_dir / "teaching-notes").exists():
        raise ValueError(
            f"{site_dir} is an instructor edition (it has teaching notes): "
            "the zip is for students; build the student edition (./course site)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{ZIP_FOLDER}/README.txt", README)
        for path in site_files(site_dir):
            archive.write(path, f"{ZIP_FOLDER}/{path.relative_to(site_dir).as_posix()}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m omcd.classroom", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="serve the built student site")
    serve_cmd.add_argument("--lan", action="store_true", help="on every network interface, with a QR code")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (0: any free port); default 8000")
    serve_cmd.add_argument("--site", type=Path, default=SITE_DIR, help="the built site (default _build/html)")
    zip_cmd = commands.add_parser("zip", help="write the built student site as one zip")
    zip_cmd.add_argument("--site", type=Path, default=SITE_DIR)
    zip_cmd.add_argument("--output", type=Path, default=ZIP_PATH)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args.site, args.port, lan=args.lan)
    try:
        target = make_zip(args.site, args.output)
    except (FileNotFoundError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    size = target.stat().st_size / 1e6
    print(f"Wrote {target} ({size:,.1f} MB). Unzip it and open {ZIP_FOLDER}/index.html in a browser.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
