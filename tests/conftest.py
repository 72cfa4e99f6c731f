import os

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Browser tests are marked automatically by folder."""
    for item in items:
        if f"{os.sep}browser{os.sep}" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
