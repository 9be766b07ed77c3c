"""One request at a time to a Varnish in front of the app or of a stand-in backend, for
tests/pagecache/test_varnish.py and test_vcl.py: redirects not followed, gzip bodies unzipped."""

import gzip
import http.client
import subprocess
import sys
from dataclasses import dataclass

from tests.servers import ROOT


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Varnish-Cache", "")


@dataclass
class Stack:
    env: dict
    port: int  # Varnish

    def request(
        self, method: str, path: str, *, headers: dict | None = None, body: str = "", source: str = ""
    ) -> Response:
        """One request to Varnish, redirects not followed; `source` sends it from another loopback
        address (a machine that is not an app server)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0) if source else None
        )
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            raw = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            return Response(response.status, response.headers, raw.decode(errors="replace"))
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def start_shell(self, code: str) -> subprocess.Popen:
        """Python in `manage.py shell`, as an import or a script would run it: neither server is
        involved. Started, not awaited (the interpreter takes seconds to exit on a busy machine)."""
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
        )

    def shell(self, code: str) -> str:
        """What the shell printed last, once it has finished."""
        process = self.start_shell(code)
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        return output.strip().splitlines()[-1]
