"""The zip of the student site (``./course zip``), unpacked and opened from disk (``file://``).

Every site-wide check of test_site.py runs again, unchanged, on every page of the unpacked copy:
this module imports those tests and replaces only the address they load pages from (the
``base_url`` fixture) with the unpacked folder's ``file://`` address. A reader who double-clicks
``index.html`` in the unzipped folder must get what a reader of the website gets.
"""

from __future__ import annotations

import zipfile

import pytest
from test_site import *  # noqa: F401,F403 - the site-wide checks, collected again here

from omcd.classroom import ZIP_FOLDER, make_zip

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def base_url(site_dir, tmp_path_factory):
    """The unpacked zip of the built student site, as a ``file://`` address ending in ``/``."""
    folder = tmp_path_factory.mktemp("zip")
    with zipfile.ZipFile(make_zip(site_dir, folder / "site.zip")) as archive:
        archive.extractall(folder)
    return (folder / ZIP_FOLDER).as_uri() + "/"
