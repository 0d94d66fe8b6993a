"""Where approvals plugs into core's collaboration registries (notifications, timeline, record panels).

Each registry is optional: core grows them independently, and approvals registers with the ones present.
"""

from importlib.util import find_spec


def _present(module: str) -> bool:
    return find_spec(module) is not None


if _present("tessera.core.notifications"):
    from . import notifications  # noqa: F401
if _present("tessera.core.timeline"):
    from . import timeline  # noqa: F401
if _present("tessera.core.views.panels"):
    from .views import panel  # noqa: F401
