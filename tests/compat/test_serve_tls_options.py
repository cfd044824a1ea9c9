"""`rota serve --ssl-keyfile/--ssl-certfile`: both or neither."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_one_tls_file_without_the_other_is_refused(certificate: tuple[Path, Path]) -> None:
    key, _ = certificate
    run = subprocess.run([str(Path(sys.executable).with_name("rota")), "serve", "--port", "1",
                          "--ssl-keyfile", str(key)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "--ssl-certfile: give both --ssl-keyfile and --ssl-certfile, or neither" in run.stderr
