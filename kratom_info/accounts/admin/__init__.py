"""The accounts app's admin screens: sign-in records (django-axes) and people (Publishers
invite, manage and deactivate Authors and Reviewers; reviewer profiles).

Importing a screen's module registers it with the admin site.
"""

from kratom_info.accounts.admin import people, sign_in  # noqa: F401
