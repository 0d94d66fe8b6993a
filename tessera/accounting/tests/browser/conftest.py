from tessera.core.tests.browser.conftest import _plain_http_live_server, browser, page  # noqa: F401
