from dataclasses import dataclass

import pytest

from lehc.text import clean_text, is_one_line, one_line
from lehc.word import cleaned


def test_line_and_page_breaks_become_new_lines_and_other_controls_go():
    assert clean_text("a\x0bb\x0cc\x00d\x01e\x1ff\x7fg\th\ni\rj\r\nk") == "a\nb\nc" + "defg\th\ni\nj\nk"


@dataclass
class Row:
    text: str
    items: list


def test_cleaning_reaches_every_string_of_nested_content():
    assert cleaned({"k": [Row("x\x01", [("y\x0b", 3)])]}) == {"k": [Row("x", [("y\n", 3)])]}


@pytest.mark.parametrize("char", ["\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_everything_that_splits_a_line_is_not_one_line(char):
    text = f"Teesdale{char}Bcc: evil@example.org"
    assert len(text.splitlines()) == 2  # what e-mail headers refuse
    assert not is_one_line(text)
    assert one_line(text) == "Teesdale Bcc: evil@example.org" and len(one_line(text).splitlines()) == 1


def test_one_line_keeps_ordinary_text_and_joins_runs_of_breaks_with_one_space():
    assert one_line("Durham & Chester-le-Street 😀") == "Durham & Chester-le-Street 😀"
    assert one_line("a \r\n\r\n\t b\x00") == "a b"
    assert is_one_line("Derwent Valley") and not is_one_line("tab\there")
