from dataclasses import dataclass

from lehc.exports.word import clean_text, cleaned


def test_line_and_page_breaks_become_new_lines_and_other_controls_go():
    assert clean_text("a\x0bb\x0cc\x00d\x01e\x1ff\x7fg\th\ni\rj") == "a\nb\nc" + "defg\th\ni\rj"


@dataclass
class Row:
    text: str
    items: list


def test_cleaning_reaches_every_string_of_nested_content():
    assert cleaned({"k": [Row("x\x01", [("y\x0b", 3)])]}) == {"k": [Row("x", [("y\n", 3)])]}
