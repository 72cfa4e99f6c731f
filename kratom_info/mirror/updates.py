"""Keep the static export in ``settings.MIRROR_DIR`` current: after every public change commits
(``pagecache.generation.public_content_committed``), an incremental export runs in a background
thread of the process that made the change.

The publish never waits for it and never fails because of it: a failure is logged and the next
change (or a scheduled ``manage.py export_site``) catches up, since an export works out what
changed from the manifest, not from the change that triggered it. Changes that arrive while an
export runs are taken by one more export after it, not one each.
"""

from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

# A command that published (an import, a test site's change) waits this long at exit for the
# export it started, so the folder holds the change when the command returns.
EXIT_WAIT_SECONDS = 120.0


class MirrorUpdater:
    """One background thread per process; ``request()`` asks for one more export."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = False
        self.thread: threading.Thread | None = None

    def request(self) -> None:
        with self.lock:
            self.pending = True
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="mirror-export", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                with self.lock:
                    if not self.pending:
                        self.thread = None
                        return
                    self.pending = False
                export_now(settings.MIRROR_DIR)
        finally:
            connections.close_all()  # this thread's own connections

    def wait(self, timeout: float) -> bool:
        """Wait for the export asked for last; True if none is running or due."""
        thread = self.thread
        if thread is not None:
            thread.join(timeout)
        return self.thread is None or not self.thread.is_alive()


def export_now(directory: str) -> None:
    """Export into ``directory``, logging (never raising) what went wrong."""
    from kratom_info.mirror.export import ExportError, site_export
    from kratom_info.mirror.files import UnmirrorablePage

    if not directory:
        return
    try:
        report = site_export(Path(directory))
    except (ExportError, UnmirrorablePage) as error:
        logger.error("Static mirror: %s was not updated: %s", directory, error)
        return
    except Exception:
        logger.exception("Static mirror: exporting into %s failed.", directory)
        return
    for page, target in report.broken_links:
        logger.warning("Static mirror: %s links to %s, which answers 404.", page, target)
    if not report.up_to_date:
        logger.info(
            "Static mirror: %s updated: %s addresses rendered, %s file(s) written, %s removed.",
            directory,
            len(report.rendered),
            len(report.written),
            len(report.removed),
        )


updater = MirrorUpdater()


def public_content_committed(**kwargs) -> None:
    """Receiver: a public change committed; update the mirror if this site keeps one."""
    if settings.MIRROR_DIR:
        updater.request()


@atexit.register
def _finish_before_exit() -> None:
    if updater.thread is not None and updater.thread.is_alive():
        if not updater.wait(EXIT_WAIT_SECONDS):
            logger.warning("Static mirror: the export still running at exit was left unfinished.")
