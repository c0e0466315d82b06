"""Options for :class:`alluxio.Client` methods.

Every class takes keyword arguments only; an option left out (or ``None``) is not sent, and
the proxy applies its own default. ``json()`` returns the options as a ``dict`` with the
camelCase keys of the Alluxio 0.1.x client (``ttl``/``ttlAction`` at the top level,
``LoadMetadataType`` as given); the client translates that into the JSON dialect of the proxy it
talks to (for 2.x proxies ``ttl``/``ttlAction`` move into ``commonOptions`` and enum names are
upper-cased), and refuses with ``ValueError`` an option that dialect does not have.

Arguments are checked when an option is built: a wrong type raises ``TypeError`` and a bad
value ``ValueError``, each naming the argument.

The classes are generated from the spec (``spec/alluxio-proxy.yaml``, one class per option
schema: ``CreateFileOptions`` is :class:`CreateFile`) by ``scripts/generate``; what the spec
cannot say lives in ``alluxio/_facade.py``.
"""

from __future__ import annotations

from alluxio_proxy_api.facade import options as _generated
from alluxio_proxy_api.facade.options import *  # noqa: F403

__all__ = [*_generated.__all__]
