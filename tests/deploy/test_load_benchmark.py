"""benchmarks/load.py reads forms as a resident fills them in (no server needed here)."""

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from load import FormParser, fill  # noqa: E402

PAGE = """
<form method="get" action="/search/"><input name="q"></form>
<form method="post" action="">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="radio" name="q1" value="11"><input type="radio" name="q1" value="12">
  <input type="checkbox" name="q2" value="21"><input type="checkbox" name="q2" value="22">
  <input type="text" name="q3" inputmode="numeric">
  <input type="text" name="q4" required><input type="text" name="q5">
  <textarea name="q6"></textarea>
  <select name="q7"><option value="">Choose</option><option value="71">A</option></select>
</form>
"""


def test_the_post_form_is_filled_with_first_choices_and_required_text():
    parser = FormParser()
    parser.feed(PAGE)
    assert len(parser.forms) == 1  # the GET search form is not a form to submit
    assert fill(parser.forms[0]) == {
        "csrfmiddlewaretoken": ["tok"], "q1": ["11"], "q2": ["21"], "q3": ["3"],
        "q4": ["Load test"], "q5": [""], "q6": [""], "q7": ["71"]}
