from tessera.core.tests.views.conftest import admin_web, client_for, sales_web, salesperson  # noqa: F401
