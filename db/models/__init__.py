"""Every model module under this package, imported so that ``Base.metadata`` knows every table
(Alembic, create_all). Found by walking the package: adding a programme's model module
(``db/models/<key>.py``) needs no line here."""

import importlib
import pkgutil


def _import_all() -> None:
    for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        importlib.import_module(info.name)


_import_all()
