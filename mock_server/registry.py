"""The APIs the mock serves. Adding one = a spec in openapi/, a vendor package, a fixtures file, a line here."""

from mock_server.cor import VENDOR as COR
from mock_server.core.vendor import Vendor
from mock_server.dreadnode import VENDOR as DREADNODE
from mock_server.nexudus import VENDOR as NEXUDUS

VENDORS: dict[str, Vendor] = {vendor.name: vendor for vendor in (COR, DREADNODE, NEXUDUS)}
