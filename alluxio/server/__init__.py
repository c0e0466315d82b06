"""An embedded Alluxio proxy: the proxy's REST API served from a local directory.

For demos, offline development and tests without a Java cluster. Install the ``server`` extra
(``pip install 'alluxio-py[server]'``), then either run it:

```text
python -m alluxio.server --root /tmp/alluxio-root --port 39999
```

or use it in-process:

```python
from alluxio.server import EmbeddedProxy

with EmbeddedProxy("/tmp/alluxio-root") as proxy:
    ...  # talk to proxy.url
```

Installing the extra also registers a pytest plugin with the fixtures ``alluxio_proxy`` and
``alluxio_proxy_factory`` (see :mod:`alluxio.server.pytest_plugin`).
"""

from ._app import create_app
from ._embedded import EmbeddedProxy
from ._security import Limits, SecurityConfig

__all__ = ["EmbeddedProxy", "Limits", "SecurityConfig", "create_app"]
