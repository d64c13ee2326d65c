"""Helpers for the render tests: read what an SVG shows, build maps from raw texts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from argmap.language.model import ArgumentMap, Assumption, Claim, Ref, Span, Support

SVG = "{http://www.w3.org/2000/svg}"


def svg_nodes(svg: bytes) -> dict[str, list[str]]:
    """Internal node id (``n3``) → the lines of text the SVG shows for it, in order."""
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        title = g.find(f"{SVG}title").text
        out[title] = [t.text or "" for t in g.iter(f"{SVG}text")]
    return out


def squash(s: str) -> str:
    """The documented comparison: whitespace (dot writes runs of spaces as NBSP) does not count."""
    return "".join(s.replace("\u00a0", " ").split())


def map_of_texts(texts: list[str]) -> ArgumentMap:
    """A valid map with one assumption per text and a claim resting on all of them."""
    amap = ArgumentMap(files=["hostile.argmap"])
    for i, t in enumerate(texts):
        amap.assumptions[f"a{i}"] = Assumption(f"a{i}", t, Span("hostile.argmap", i + 1, 1))
    sup = Support(Ref("a0", Span("hostile.argmap", 1, 1)), None, Span("hostile.argmap", 1, 1))
    amap.claims["c"] = Claim("c", texts[0], (sup,), Span("hostile.argmap", len(texts) + 1, 1))
    return amap
