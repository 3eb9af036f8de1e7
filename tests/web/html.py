"""Reading the pages in tests: the elements and attributes a browser test would look for."""

from html.parser import HTMLParser


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order, and the page's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **having: str) -> list[dict[str, str]]:
        """The attributes of every `tag` that has each of `having` (`""`: present at all)."""
        return [
            attrs
            for name, attrs in self.tags
            if name == tag
            and all(k.replace("_", "-") in attrs for k in having)
            and all(v == "" or attrs.get(k.replace("_", "-")) == v for k, v in having.items())
        ]

    def plain_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def elements(html: str) -> Elements:
    return Elements(html)
