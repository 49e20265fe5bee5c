"""``python -m jwtgate``: the jwtgate command-line tool.

The wheel carries the C++ CLI (built from cli/ by the same meson project, so
its behaviour, options, output and exit codes are exactly those of the native
``jwtgate``); this module runs it with the given arguments. On POSIX the
Python process is replaced by it (signals and exit codes pass through
untouched); elsewhere it runs as a child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn, Optional, Sequence

__all__ = ["cli_path", "main"]


def cli_path() -> Path:
    """The path of the bundled ``jwtgate`` executable."""
    name = "jwtgate.exe" if os.name == "nt" else "jwtgate"
    return Path(__file__).resolve().parent / "bin" / name


def main(argv: Optional[Sequence[str]] = None) -> NoReturn:
    """Run the jwtgate CLI with ``argv`` (``sys.argv[1:]`` by default) and exit with its status."""
    args = list(sys.argv[1:] if argv is None else argv)
    exe = cli_path()
    if not exe.is_file():
        sys.stderr.write(f"jwtgate: the CLI is missing from this installation ({exe})\n")
        raise SystemExit(2)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(str(exe), [str(exe), *args])
    raise SystemExit(subprocess.call([str(exe), *args]))


if __name__ == "__main__":
    main()
