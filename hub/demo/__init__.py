"""Bundled sample portals for `portalhub demo`, end-to-end tests and the benchmark."""

from hub.demo.catalogue import portal_ids
from hub.demo.sample import SamplePortals, serve_sample_portals, start_portals
from hub.demo.scale import serve_scaled_portals

__all__ = ["SamplePortals", "portal_ids", "serve_sample_portals", "serve_scaled_portals", "start_portals"]
