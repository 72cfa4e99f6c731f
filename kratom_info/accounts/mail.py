"""The e-mail backend of a production site without a mail server (no DJANGO_EMAIL_HOST).

E-mail is optional here by design: its one use, invitation links, is also shown to the
Publisher who invites, to hand over in person. Django's dummy backend would pretend to send
(and ``check --deploy`` rightly calls it development-only); this one sends nothing, says so in
the log, and lets the invitation screen tell the Publisher that nothing was sent.
"""

from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)


class NoEmailBackend(BaseEmailBackend):
    """Sends nothing; logs the subject and recipients of each message it drops (never the body,
    which for an invitation holds a one-time link)."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            log.warning(
                "E-mail is not configured (DJANGO_EMAIL_HOST is empty): not sent: %r to %s",
                message.subject,
                ", ".join(message.recipients()),
            )
        return 0
