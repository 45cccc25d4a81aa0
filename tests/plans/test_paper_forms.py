"""Paper survey forms for officers (linked from survey results: Enter a response)."""

import io

import pypdf


def test_paper_form_for_officers(client, officer, resident, closed_survey):
    url = f"/survey-paper/{closed_survey.pk}/"
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("What matters most?", "Do you have children under 5?", "Yes",
                     "Rank these issues for your area", "Air quality", "Anything else?",
                     "What is your age?", "Prefer not to say", "For office use"):
        assert expected in text, expected
    assert reader.metadata.title == "What matters most?"
    assert reader.trailer["/Root"]["/Lang"] == "en"
