"""The Indonesian catalogue is complete and matches the code: run extraction, compare, name gaps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts" / "translations.py")
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)

FIX = "run `make translations`, translate what it lists in app/translations/id/LC_MESSAGES/messages.po"


def ids_of(path: Path) -> set[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    target = tmp_path_factory.mktemp("i18n") / "messages.pot"
    translations.extract_to(target)
    return ids_of(target)


def test_the_shipped_pot_is_what_the_code_uses(extracted):
    shipped = ids_of(translations.POT)
    assert sorted(extracted - shipped) == [], f"messages in the code but not in messages.pot: {FIX}"
    assert sorted(shipped - extracted) == [], f"messages in messages.pot no longer in the code: {FIX}"


@pytest.mark.parametrize("locale", translations.LOCALES)
def test_every_message_of_the_code_is_in_the_catalogue(extracted, locale):
    in_catalogue = ids_of(translations.catalogue_path(locale))
    assert sorted(extracted - in_catalogue) == [], f"not in the {locale} catalogue: {FIX}"


@pytest.mark.parametrize("locale", translations.LOCALES)
def test_every_message_is_translated_and_none_is_fuzzy(locale):
    assert translations.missing(locale) == [], f"untranslated or fuzzy in {locale}: {FIX}"


def test_indonesian_has_one_plural_form_and_placeholders_match():
    import re

    with translations.catalogue_path("id").open("rb") as handle:
        catalog = read_po(handle, locale="id")
    assert catalog.num_plurals == 1 and catalog.plural_expr == "0"
    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        text = message.string[0] if isinstance(message.string, tuple) else message.string
        if set(placeholder.findall(source)) != set(placeholder.findall(text)):
            wrong.append(source)
    assert wrong == []


def test_the_check_names_a_new_untranslated_message(tmp_path, monkeypatch):
    """What `make translations` prints for a string added after this catalogue was written."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="id")
    catalog.add("Spreadsheet import", "")
    catalog.add("Save", "Simpan")
    path = tmp_path / "id" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(translations, "CATALOGUE_DIR", tmp_path)
    assert translations.missing("id") == ["Spreadsheet import"]


def test_every_form_takes_wtforms_messages_from_the_catalogue(app):
    from flask_wtf import FlaskForm

    from app.forms import Form

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    strays = [c.__qualname__ for c in subclasses(FlaskForm) if c.__module__.startswith("app.")
              and not issubclass(c, Form)]
    assert strays == []
