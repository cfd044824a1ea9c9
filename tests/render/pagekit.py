"""Reading the report page in tests: its elements with their attributes and `<title>` text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    title: str = ""
    children: list[Element] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Collector(HTMLParser):
    VOID = {"meta", "br", "link", "img", "input", "hr", "circle", "path", "line"}

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.stack: list[Element] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if self.stack:
            self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)
        self.in_title = tag == "title"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if self.stack:
            self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop().tag == tag:
                break
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title and len(self.stack) >= 2:
            self.stack[-2].title += data


def elements(page: str) -> list[Element]:
    collector = _Collector()
    collector.feed(page)
    return collector.elements


def having(page: str, tag: str, css_class: str) -> list[Element]:
    return [e for e in elements(page) if e.tag == tag and css_class in e.classes]
