"""Preview: ``digest serve``.

In: a site folder.  Out: a local HTTP server of its ``output/`` with live reload; a watcher
turns saves into incremental rebuilds (:class:`Session`) and errors into an overlay over
the last good site.
"""

from generator.preview.server import Event, Failed, Preview, ServeError, allowed_hosts
from generator.preview.session import Rebuilt, Session

__all__ = ["Event", "Failed", "Preview", "Rebuilt", "ServeError", "Session", "allowed_hosts"]
