"""The web app's front-end files: the NHS.UK frontend compiled without web fonts, and htmx.

Both come from npm (``package-lock.json``; ``scripts/setup.sh`` runs ``npm ci``). :func:`build`
compiles ``core/assets/focuson.scss`` with Dart Sass into ``var/web/assets``, next to the
scripts and images, and ``collectstatic`` then hashes them for whitenoise. No CDN: the app
serves everything itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

WEB = Path(__file__).resolve().parent
ROOT = WEB.parents[2]
NODE = ROOT / "node_modules"
NHSUK = NODE / "nhsuk-frontend" / "dist" / "nhsuk"
SETUP = "Run scripts/setup.sh: it installs the NHS.UK frontend and htmx with npm ci."


class AssetsMissingError(RuntimeError):
    """The npm packages the web app needs are not installed."""


def build(out: Path) -> Path:
    """Write the compiled stylesheet, scripts and images into ``out``; return ``out``.

    Quick when nothing changed: the stylesheet is compiled again only when its source, or the
    installed NHS.UK frontend, is newer than the compiled file.
    """
    sass = NODE / ".bin" / "sass"
    htmx = NODE / "htmx.org" / "dist" / "htmx.min.js"
    for needed in (sass, htmx, NHSUK / "nhsuk-frontend.min.js"):
        if not needed.exists():
            raise AssetsMissingError(f"{needed.relative_to(ROOT)} is missing. {SETUP}")
    (out / "css").mkdir(parents=True, exist_ok=True)
    (out / "js").mkdir(parents=True, exist_ok=True)
    source = WEB / "core" / "assets" / "focuson.scss"
    css = out / "css" / "focuson.css"
    newest = max(source.stat().st_mtime, (NHSUK / "nhsuk-frontend.min.js").stat().st_mtime)
    if not css.exists() or css.stat().st_mtime < newest:
        subprocess.run(
            [
                str(sass),
                f"--load-path={NODE}",
                "--no-source-map",
                "--style=compressed",
                "--quiet-deps",
                str(source),
                str(css),
            ],
            check=True,
        )
    shutil.copy2(htmx, out / "js" / "htmx.min.js")
    # The module's source-map comment names a file the manifest storage would look for.
    script = (NHSUK / "nhsuk-frontend.min.js").read_text(encoding="utf-8")
    script = script.replace("//# sourceMappingURL=nhsuk-frontend.min.js.map", "")
    (out / "js" / "nhsuk-frontend.min.js").write_text(script, encoding="utf-8")
    shutil.copy2(WEB / "core" / "assets" / "focuson.js", out / "js" / "focuson.js")
    shutil.copytree(NHSUK / "assets", out / "nhsuk" / "assets", dirs_exist_ok=True)
    return out
