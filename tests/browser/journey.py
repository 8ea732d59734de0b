"""One journey through the web app in a real browser: a page that takes a screenshot at 1366 and
390 px and runs axe-core on every page it looks at (see ``tests/browser/test_web_journey.py``).

Every journey module opens its pages with :func:`journey_page` and names its screenshots' folder
with :func:`shots_folder`, so each person starts in a fresh browser (no cookies) with axe-core in
every page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

VIEWS = {"laptop": (1366, 768), "phone": (390, 844)}
_FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


class Journey:
    """Screenshots and axe-core on every page visited, at both widths."""

    def __init__(self, page: Any, url: str, folder: Path, who: str) -> None:
        self.page, self.url, self.folder, self.who = page, url, folder, who
        self.violations: dict[str, list[dict[str, Any]]] = {}
        self.count = 0

    def goto(self, path: str) -> Any:
        return self.page.goto(self.url + path)

    def look(self, name: str) -> None:
        """Screenshot the page at both widths and run axe-core at each (back to the laptop)."""
        self.count += 1
        for view, (width, height) in VIEWS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            # The header's script moves links that do not fit into its "More" menu after a
            # resize: give it a moment, so the screenshot shows the page as a phone loads it.
            with contextlib.suppress(PlaywrightTimeoutError):
                self.page.wait_for_function(_FITS, timeout=2000)
            shot = self.folder / f"{self.who}-{self.count:02d}-{name}-{view}.png"
            self.page.screenshot(path=str(shot), full_page=True)
            found = _violations(self.page)
            # A page wider than the screen scrolls sideways: only wide tables may, inside
            # their own scrolling box.
            wide = self.page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                found.append({"rule": "page wider than the screen", "width": wide})
            if found:
                self.violations[f"{name} at {width} px ({self.page.url})"] = found
        self.page.set_viewport_size({"width": 1366, "height": 768})

    def sign_in(self, username: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.look("sign-in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.locator("main form").get_by_role("button").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"{username} could not sign in"


def _violations(page: Any) -> list[dict[str, Any]]:
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"rule": v["id"], "nodes": len(v["nodes"]), "help": v["help"], "first": v["nodes"][0]}
        for v in result["violations"]
    ]


def shots_folder(artefacts: Path, name: str) -> Path:
    """The folder of one journey's screenshots, under the session's artefacts."""
    folder = artefacts / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def journey_page(
    browser: Any,
    url: str,
    axe: Path,
    folder: Path,
    who: str,
    *,
    view: str = "laptop",
    kind: type[Journey] = Journey,
) -> Iterator[Journey]:
    """A fresh page for one person (no cookie from an earlier test), closed at the end.

    axe-core goes in every page as it loads: the app's content security policy forbids adding a
    script afterwards (an init script comes from the browser, not the page).
    """
    browser.clear_cookies()
    page = browser.new_page()
    page.add_init_script(path=str(axe))
    width, height = VIEWS[view]
    page.set_viewport_size({"width": width, "height": height})
    try:
        yield kind(page, url, folder, who)
    finally:
        page.close()
        browser.clear_cookies()
