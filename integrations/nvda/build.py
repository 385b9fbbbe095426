#!/usr/bin/env python3
"""Builds the NVDA add-on: a zip of manifest.ini and synthDrivers/ named loa-VERSION.nvda-addon.

Usage: build.py [OUT_DIR]   (default: integrations/nvda/dist)
"""

import configparser
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["manifest.ini", "synthDrivers/loa.py"]


def version():
    # manifest.ini has no section header; configobj (NVDA) and configparser differ on that.
    parser = configparser.ConfigParser()
    with open(os.path.join(HERE, "manifest.ini"), encoding="utf-8") as f:
        parser.read_string("[addon]\n" + f.read())
    return parser["addon"]["version"]


def build(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"loa-{version()}.nvda-addon")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in FILES:
            z.write(os.path.join(HERE, name), name)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "dist")))
