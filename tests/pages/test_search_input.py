"""Site search takes whatever a visitor types: quotes, NUL bytes and control characters
never reach the search backend as syntax, and a query the backend refuses gets a message."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from portal.search.query import clean_query


@pytest.mark.parametrize("prefix", ["", "/cy"])
@pytest.mark.parametrize("query", ['"Harlesden', 'Harlesden"', 'say "Harlesden', '"', '""',
                                   "Harles\x00den", "\x00", "Harlesden\x01\x1f"])
def test_unbalanced_quotes_and_nul_bytes_search_instead_of_failing(client, demo_site, prefix,
                                                                   query):
    response = client.get(prefix + reverse("search"), {"q": query})
    assert response.status_code == 200
    assert not response.context["search_failed"]


def test_a_quoted_word_still_finds_its_pages(client, demo_site):
    response = client.get(reverse("search"), {"q": '"Harlesden'})
    titles = [result.title for result in response.context["results"]]
    assert "Harlesden" in titles
    assert response.context["query"] == "Harlesden"


def test_clean_query_keeps_words_and_drops_what_the_backend_would_parse():
    assert clean_query('  say "hi  ') == "say hi"
    assert clean_query("a\x00b\tc\r\nd") == "a b c d"
    assert clean_query("caf\u00e9 Cymraeg\u00a0ŵ") == "caf\u00e9 Cymraeg ŵ"
    assert clean_query("\ud800x") == "x"
    assert len(clean_query("x " * 5000)) <= 200


def test_a_query_the_backend_refuses_gets_a_clear_message(client, demo_site, monkeypatch):
    from wagtail.models import Page

    def refuse(self, *args):
        raise DatabaseError("fts5: syntax error")

    results_class = type(Page.objects.live().search("Harlesden"))
    monkeypatch.setattr(results_class, "_do_count", refuse)
    monkeypatch.setattr(results_class, "_do_search", refuse)
    response = client.get(reverse("search"), {"q": "Harlesden"})
    assert response.status_code == 400
    assert "We could not search for that" in response.content.decode()
    # the request's transaction is still usable: the page around the message rendered
    assert "Search this site" in response.content.decode()


def test_pagination_links_keep_a_query_with_an_ampersand(client, demo_site):
    response = client.get(reverse("search"), {"q": "fish & chips"})
    assert response.context["query_prefix"] == "q=fish+%26+chips&"
