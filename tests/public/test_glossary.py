"""Abbreviations explained: <abbr> in types and titles, and the "Förkortningar" page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.text import slugify

from promises.models import Abbreviation, ActivityType, Municipality
from public.templatetags.ml import abbreviate

SSPF = "Skolan, socialtjänsten, polisen och fritid"


def _render(source: str, **context) -> str:
    return Template("{% load ml %}" + source).render(Context(context))


@pytest.mark.django_db
def test_migration_seeds_the_abbreviations_used_in_types_and_titles():
    seeded = dict(Abbreviation.objects.values_list("term", "expansion"))
    assert seeded["SSPF"] == SSPF
    assert {"EST", "LPO", "Brå", "NTU"} <= set(seeded)
    # Every abbreviation the seeded activity types use is explained.
    for name in ActivityType.objects.values_list("name", flat=True):
        for word in name.replace("(", " ").replace(")", " ").split():
            if word.isupper() and len(word) > 1:
                assert word in seeded, f"{word} in the type {name} is not in the glossary"


@pytest.mark.django_db
def test_first_occurrence_of_a_known_abbreviation_gets_its_expansion():
    html = abbreviate("SSPF-möte om SSPF och LPO i Mölnlycke")
    assert html == (
        f'<abbr title="{SSPF}">SSPF</abbr>-möte om SSPF och '
        '<abbr title="Lokalpolisområde">LPO</abbr> i Mölnlycke'
    )


@pytest.mark.django_db
def test_abbreviations_inside_other_words_are_left_alone():
    assert abbreviate("SSPFX och ESTER") == "SSPFX och ESTER"


@pytest.mark.django_db
def test_text_and_expansion_are_escaped():
    Abbreviation.objects.create(term="XSS", expansion='"><script>alert(1)</script>')
    html = abbreviate('<b>XSS</b> & "SSPF"')
    assert "<script>" not in html and "<b>" not in html
    assert html == (
        '&lt;b&gt;<abbr title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">XSS</abbr>'
        f'&lt;/b&gt; &amp; &quot;<abbr title="{SSPF}">SSPF</abbr>&quot;'
    )


@pytest.mark.django_db
def test_html_from_tr_html_keeps_its_tags_and_gets_the_english_expansion():
    sspf_type = ActivityType.objects.get(slug="skolsamverkan")
    sspf_type.name_en = ""
    with translation.override("en"):
        html = _render('{{ type|tr_abbr:"name" }}', type=sspf_type)
    assert html == (
        '<span lang="sv">Skolsamverkan (<abbr title="School, social services, police and '
        'leisure">SSPF</abbr>)</span>'
    )


@pytest.mark.django_db
def test_a_new_abbreviation_shows_once_saved(django_capture_on_commit_callbacks):
    assert abbreviate("ANDT-arbete") == "ANDT-arbete"
    with django_capture_on_commit_callbacks(execute=True):
        Abbreviation.objects.create(term="ANDT", expansion="Alkohol, narkotika, dopning och tobak")
    assert 'title="Alkohol, narkotika, dopning och tobak"' in abbreviate("ANDT-arbete")


@pytest.mark.django_db
def test_abbreviation_page_lists_every_term_with_its_expansion(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("public:abbreviations"))
    assert response.status_code == 200
    html = response.content.decode()
    for abbreviation in Abbreviation.objects.all():
        assert f'id="{slugify(abbreviation.term)}"' in html
        assert abbreviation.expansion in html
    assert html.index(">Brå<") < html.index(">SSPF<")  # alphabetical


@pytest.mark.django_db
def test_english_abbreviation_page_uses_english_expansions(client):
    with translation.override("en"):
        url = reverse("public:abbreviations")
    html = client.get(url).content.decode()
    assert url == "/en/forkortningar/"
    assert "School, social services, police and leisure" in html
    assert '<dt class="ml-glossary__term" lang="sv">SSPF</dt>' in html


@pytest.mark.django_db
def test_footer_links_to_the_abbreviations(client):
    html = client.get(reverse("public:about")).content.decode()
    assert f'href="{reverse("public:abbreviations")}"' in html


@pytest.mark.django_db
def test_glossary_address_is_not_taken_by_the_municipality_pattern(area):
    assert resolve("/forkortningar/").url_name == "abbreviations"
    municipality = Municipality(name="Förkortningar", slug="forkortningar", code="9999")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "slug" in error.value.message_dict


@pytest.mark.django_db
def test_activity_type_and_title_on_public_pages_are_explained(
    client, promise, commitment, make_activity
):
    sspf = ActivityType.objects.get(slug="skolsamverkan")
    activity = make_activity(
        type=sspf, title="SSPF-möte på Hulebäcksgymnasiet", date=date(2023, 3, 1)
    )
    detail = client.get(activity.get_absolute_url()).content.decode()
    listing = client.get(
        reverse("public:activity-list", args=[promise.municipalities.get().slug, promise.slug])
    ).content.decode()
    for html in (detail, listing):
        assert f'<abbr title="{SSPF}">SSPF</abbr>-möte på Hulebäcksgymnasiet' in html
        assert f'Skolsamverkan (<abbr title="{SSPF}">SSPF</abbr>)' in html
    assert f'href="{reverse("public:abbreviations")}"' in detail


@pytest.mark.django_db
def test_abbreviating_twice_does_not_nest_abbr():
    once = abbreviate("Skolsamverkan (SSPF)")
    assert abbreviate(once) == once


@pytest.mark.django_db
def test_a_page_reads_the_glossary_from_the_cache_once(
    client, promise, commitment, make_activity, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 0  # rendering, not the page cache
    sspf = ActivityType.objects.get(slug="skolsamverkan")
    for n in range(5):
        make_activity(type=sspf, title=f"SSPF-möte {n}", date=date(2023, 3, 1 + n))
    from django.core.cache import cache

    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        if str(key).startswith("abbreviations:"):
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    url = reverse("public:activity-list", args=[promise.municipalities.get().slug, promise.slug])
    for _ in range(2):
        html = client.get(url).content.decode()
        assert html.count(f'<abbr title="{SSPF}">SSPF</abbr>-möte') == 5
    assert len(reads) == 2  # once per request, not once per title
