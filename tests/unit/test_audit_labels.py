"""The audit log reads as sentences: every action and record code the app writes has words for it."""

import re
from pathlib import Path

from lehc.audit import ACTIONS, RECORDS, action_label, record_label

SOURCE = Path(__file__).resolve().parents[2] / "lehc"
CALL = re.compile(r'audit(?:_denied)?\(\s*"([a-z_]+)",\s*"([a-z_]+)"')


def test_every_code_the_app_writes_has_a_label():
    written = {match for path in SOURCE.rglob("*.py") for match in CALL.findall(path.read_text())}
    assert len(written) > 30
    assert {action for action, _ in written} - set(ACTIONS) == set()
    assert {record for _, record in written} - set(RECORDS) == set()
    assert {"denied", "export"} <= set(ACTIONS)


def test_labels_read_as_words_and_an_unknown_code_is_still_shown():
    assert action_label("export") == "Downloaded" and record_label("family") == "family record"
    assert action_label("brand_new_thing") == "Brand new thing" and record_label("odd_record") == "odd record"
