"""The kit as a consuming team gets it: wheels built from this checkout, installed into a venv outside it.

Nothing is downloaded. The wheels are built without build isolation (the dev venv has the build backends), and
the fresh venv reuses the dev venv's installed packages through a ``.pth`` line instead of fetching the kit's
dependencies again: ``--system-site-packages`` would not do, as it exposes the base interpreter's packages, not
the dev venv's. The kit itself and the clients come from their wheels only, and every command runs outside the
checkout without ``PYTHONPATH``, so a file the wheel forgot cannot be picked up from here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: What building the kit's wheel reads; the rest of the checkout stays out of the copy it is built from.
KIT_SOURCES = ("pyproject.toml", "README.md", "requirements", "openapi", "mock_server")
CLIENTS = ("cor_client", "dreadnode_client", "nexudus_client")
LEFTOVERS = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".pdm-build", ".*_cache")


def run(command: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    """Run ``command``; its combined output, or a failure showing it."""
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(map(str, command))} exited {result.returncode}:\n{output}"
    return output


@dataclass(frozen=True)
class InstalledKit:
    """A venv with the kit's wheel and the clients' wheels installed; ``wheels`` holds what was built."""

    venv: Path
    wheels: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def env(self, **extra: str) -> dict[str, str]:
        """This process's environment, with the venv first on PATH and nothing pointing back at the checkout."""
        inherited = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        return {**inherited, "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


def build_wheels(out: Path) -> Path:
    """The kit's wheel and one wheel per generated client, built offline from a copy of this checkout."""
    source = out / "source"
    source.mkdir()
    for name in KIT_SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, symlinks=True, ignore=LEFTOVERS)
        else:
            shutil.copy2(path, source / name)
    for client in CLIENTS:
        shutil.copytree(REPO / "generated_client" / client, source / client, ignore=LEFTOVERS)
    wheels = out / "wheels"
    run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", wheels, source, *(source / client for client in CLIENTS)],
        cwd=out,
    )  # fmt: skip
    return wheels


def install(out: Path) -> InstalledKit:
    """A fresh venv in ``out`` (outside the checkout) with the wheels of :func:`build_wheels` installed."""
    wheels = build_wheels(out)
    venv = out / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=out)
    kit = InstalledKit(venv, wheels)
    purelib = run([kit.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=out).strip()
    (Path(purelib) / "dev-venv-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(
        [sys.executable, "-m", "pip", "--python", kit.python, "install", "--quiet", "--no-deps", "--no-index",
         *sorted(wheels.glob("*.whl"))],
        cwd=out,
    )  # fmt: skip
    return kit
