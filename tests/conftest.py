"""Fixtures for the cross-app journeys and the browser tests."""

import atexit
import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told this is deliberate. The ORM calls here are the test's
# own set-up and assertions, never concurrent with the browser's requests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_shared: dict = {}


def shared_chromium():
    """One Playwright and one browser per test process, however many test modules ask for it.

    Playwright's sync API allows one running instance per thread: a second `sync_playwright()`
    (a fixture re-imported into another module counts as another fixture) fails with "Sync API
    inside the asyncio loop". So every `chromium` fixture hands out this same browser.
    """
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        atexit.register(_stop_chromium)
    return _shared["browser"]


def _stop_chromium() -> None:
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, headless, driven by Playwright (no browser is ever downloaded)."""
    return shared_chromium()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """page → PNG in $ANSINH_SCREENSHOT_DIR when set (to look at the pages), else nothing."""
    folder = os.environ.get("ANSINH_SCREENSHOT_DIR")

    def take(name: str) -> None:
        if folder:
            os.makedirs(folder, exist_ok=True)
            page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)

    return take
