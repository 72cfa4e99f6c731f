"""The editorial product in Django's admin: articles, the editor, the review screen, review
dates and the audit trail. (People and reviewer profiles are
:mod:`kratom_info.accounts.admin.people`; sources and their proposed changes are
:mod:`kratom_info.source_review.admin`.)

Every button here calls a function in :mod:`kratom_info.editorial.services`; the rules (roles,
four-eyes, the publish gate) live there, not in this module.
"""

# Importing a screen's module registers it with the admin site.
from kratom_info.editorial.admin import (  # noqa: F401
    articles,
    audit,
    review,
    schedule,
)
