"""Service refusals reach the reader in their language: Messages, never English literals."""

from __future__ import annotations

import ast
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

import app.services as services_package
from app.domain.enums import Role
from app.domain.text import Message, Number, Sentences
from app.extensions import db
from app.models import User
from app.services import ServiceError, accounts
from tests.conftest import csrf_token
from tests.factories import as_actor

SERVICES = Path(services_package.__file__).parent


def refusal_classes() -> set[str]:
    """ServiceError and every subclass the services define, by name."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules([str(SERVICES)]):
        importlib.import_module(f"app.services.{module.name}")

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {"ServiceError", *(c.__name__ for c in below(ServiceError))}


def text_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def test_no_service_refuses_with_an_english_literal():
    """`raise ServiceError("…")` would show English to every reader; the text must be a Message."""
    names, strays = refusal_classes(), []
    for path in sorted(SERVICES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.exc if isinstance(node, ast.Raise) else None
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in names
                    and any(text_literal(a) for a in call.args)):
                strays.append(f"{path.name}:{node.lineno}")
            # problems and changes of an import preview, errors of a round: shown as they are
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
                    and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr in ("problems", "changes") and any(text_literal(a) for a in node.args)):
                strays.append(f"{path.name}:{node.lineno}")
    assert strays == []


def test_a_refusal_is_text_in_the_locale_in_force(app):
    error = ServiceError(Message("The password must be at least %(min)d characters long.", min=12))
    with app.test_request_context("/"):
        assert str(error) == "The password must be at least 12 characters long."
        with force_locale("id"):
            assert str(error) == "Kata sandi harus terdiri atas sekurang-kurangnya 12 karakter."
            assert str(Sentences(Message("Nothing was saved."), "x")) == "Tidak ada yang disimpan. x"
            assert str(Number(20000)) == "20.000" and str(Number(7.8, 1)) == "7,8"
        assert str(Number(20000)) == "20,000"


def test_password_advice_is_translated_sentence_by_sentence(app):
    with app.test_request_context("/"), force_locale("id"):
        with pytest.raises(ServiceError) as refused:
            accounts.check_password_rules("password1234")
        text = str(refused.value)
    assert text.startswith("Kata sandi ini terlalu mudah ditebak.")
    assert "guess" not in text and "common" not in text


def indonesian(user: User) -> User:
    db.session.execute(sa.update(User).where(User.id == user.id).values(locale="id"))
    db.session.commit()
    return user


def test_a_wrong_current_password_is_refused_in_indonesian(client, auth):
    indonesian(auth.login(Role.STAFF))
    page = auth.post("/account/password", {"current": "not my password at all", "new": "a brand new long phrase 42",
                                            "confirm": "a brand new long phrase 42"}).get_data(as_text=True)
    assert "Kata sandi saat ini tidak benar." in page and "not correct" not in page


def test_a_stale_contact_edit_names_who_saved_in_indonesian(client, auth):
    from tests.factories import add_contact

    staff = indonesian(auth.login(Role.STAFF))
    contact = add_contact("KHM", staff)
    db.session.commit()
    form_page = f"/contacts/{contact.id}/edit"
    token = csrf_token(client, form_page)
    stale = {"csrf_token": token, "name": "Keo Remy", "title": "Minister", "version": contact.version}
    first = client.post(form_page, data=stale)
    assert first.status_code in (302, 303)
    page = client.post(form_page, data={**stale, "title": "Senior Minister"}).get_data(as_text=True)
    assert "Kontak ini telah diubah oleh" in page and "Tidak ada yang disimpan" in page
    assert "changed meanwhile" not in page


def test_an_archived_campaign_refuses_in_indonesian(app):
    from app.services.campaigns import CampaignArchived, default_campaign

    campaign = default_campaign()
    with app.test_request_context("/"), force_locale("id"):
        assert "diarsipkan: dapat dibaca dan diunduh" in str(CampaignArchived(campaign))


def test_import_problems_are_in_indonesian(app):
    from app.models import State
    from app.services.import_rows import StateIndex

    index = StateIndex([State(iso3="COG", iso2="CG", name="Congo"), State(iso3="XCG", iso2="XC", name="Congo")])
    _, ambiguous = index.resolve("Congo")
    _, unknown = index.resolve("Atlantis")
    with app.test_request_context("/"), force_locale("id"):
        assert str(ambiguous) == "“Congo” dapat berarti Congo atau Congo: gunakan kode ISO"
        assert str(unknown).startswith("“Atlantis” bukan negara yang dikenal desk")


def test_the_api_answers_in_english_to_a_user_who_reads_indonesian(client, app):
    from app.domain.enums import TokenScope
    from app.models.types import utcnow
    from app.services.tokens import create_token
    from tests.conftest import make_user

    user = indonesian(make_user(Role.STAFF))
    _, secret = create_token(as_actor(user), "script", TokenScope.WRITE, 30, utcnow())
    db.session.commit()
    response = client.post("/api/v1/follow-ups", json={"campaign_id": 999999, "state": "KHM", "text": "x",
                                                       "due_on": date.today().isoformat()},
                           headers={"Authorization": f"Bearer {secret}"})
    body = response.get_json()
    assert response.status_code >= 400 and body["title"].isascii()
    assert "Kampanye" not in str(body) and "tidak" not in str(body)


def test_chart_labels_fit_their_chart_in_indonesian(app):
    """Indonesian labels are longer: every label of the three charts stays inside the chart's width."""
    from datetime import timedelta

    from app.charts import Text, text_width
    from app.charts.hemicycle import Seat, hemicycle_scene
    from app.charts.histogram import DEFAULT_WIDTH, histogram_scene
    from app.charts.trend import trend_scene
    from app.domain.enums import RegionalGroup, SupportStatus
    from app.domain.forecast_math import Ballot, VoterOdds, simulate
    from app.domain.tally_math import TrendPoint
    from app.pdf.translate import Translator

    with app.test_request_context("/"), force_locale("id"):
        from flask_babel import get_translations

        t = Translator("id", get_translations())
    voters = tuple(VoterOdds(f"S{k:02d}", 0.95, 0.9 if k < 30 else 0.2) for k in range(50))
    forecast = simulate(Ballot(voters, "majority", membership=50, draws=2000, seed=1))
    start = date(2025, 1, 5)
    points = [TrendPoint(start + timedelta(weeks=k), k, k * 1.5) for k in range(30)]
    seats = [Seat(f"S{k:02d}", f"State {k}", list(RegionalGroup)[k % 5], list(SupportStatus)[k % 8], k % 3 == 0)
             for k in range(60)]
    scenes = {"histogram": histogram_scene(forecast, DEFAULT_WIDTH, 250, t),
              "trend": trend_scene(points, 31, 60, 720, 260, t), "hemicycle": hemicycle_scene(seats, 31, 640, t),
              "trend on a phone": trend_scene(points, 31, 60, 340, 220, t)}
    for name, scene in scenes.items():
        spans: dict[float, list[tuple[float, float, str]]] = {}
        for item in (i for i in scene.items if isinstance(i, Text)):
            width = text_width(item.text, item.size, item.bold)
            left = {"start": item.x, "middle": item.x - width / 2, "end": item.x - width}[item.anchor]
            assert -1 <= left and left + width <= scene.width + 1, (name, item.text)
            spans.setdefault(round(item.y), []).append((left, left + width, item.text))
        if name.startswith("trend"):  # the date labels under the axis, the legend: side by side, apart
            for row in spans.values():
                row.sort()
                for (_, right, text), (left, _, following) in pairwise(row):
                    assert right <= left, (name, text, following)
