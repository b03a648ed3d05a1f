"""`PassageBlock`: one passage of an article, styled by its kind."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from index import Passage
from tui.display import printable

KIND_CLASSES = ("-title", "-subtitle", "-heading", "-paragraph", "-caption")


class PassageBlock(Widget):
    """Shows one passage; its kind is a CSS class (`-caption`, `-heading`, …).

    The language tag (`es`) is drawn before the text when the view asks for it;
    the text itself is never read as markup.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"passage-block--lang"}

    def __init__(self) -> None:
        super().__init__(classes="passage")
        self.passage: Passage | None = None
        self._text = ""
        self._lang_tag = ""

    def show(self, passage: Passage, text: str, *, lang_tag: str = "") -> None:
        """Show `passage`, whose text is `text`, with `lang_tag` before it if not empty."""
        self.passage = passage
        self._text = printable(text)
        self._lang_tag = lang_tag
        self.remove_class(*KIND_CLASSES, update=False)
        self.add_class(f"-{passage.kind}")
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text(self._text, end="")
        if self._lang_tag:
            tag_style = self.get_component_rich_style("passage-block--lang", partial=True)
            text = Text.assemble((f" {self._lang_tag} ", tag_style), " ", text, end="")
        return text
