"""supervise: 双随机、一公开 inspection draws, credit lists linked to licensing, and 督查 reports."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from supervise.config import install, load_settings

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the application; settings come from the environment unless test_config overrides them."""
    from flask import Flask  # imported here so that `import supervise` stays light (see supervise.entry)

    settings = load_settings(test_config)
    install(settings)
    if settings.env == "testing" and settings.tuning.clock_start:
        # A server a test starts in another process keeps the test's clock (which may be moved).
        from supervise import clock

        clock.install(clock.OffsetClock(datetime.fromisoformat(settings.tuning.clock_start)))
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=False)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        ENV_NAME=settings.env,
        TESTING=settings.env == "testing",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.env == "production",
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead of a clock
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.update(settings.extra)
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    if settings.env != "testing":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from supervise.db import make_engine

    app.extensions["supervise.settings"] = settings
    app.extensions["supervise.engine"] = make_engine(settings.database_url)

    from supervise.auth import ROLE_LABELS, init_auth, undeclared_endpoints
    from supervise.nav import nav_for
    from supervise.web import init_web

    init_web(app)
    init_auth(app)

    import credit.models  # noqa: F401 - the credit tables belong to the app's metadata
    import credit.risk.models  # noqa: F401
    import credit.todo  # noqa: F401 - each domain's to-do provider registers itself (supervise.todo)
    import inspections.complaints.models  # noqa: F401
    import inspections.disposals.models  # noqa: F401
    import inspections.todo  # noqa: F401
    import reports.models  # noqa: F401
    import reports.oversight.models  # noqa: F401
    import reports.oversight.todo  # noqa: F401
    import scheduling.models  # noqa: F401
    from credit import api as credit_api
    from credit import views as credit_views
    from credit.risk import api as risk_api
    from credit.risk import views as risk_views
    from inspections import api as inspections_api
    from inspections import views as inspections_views
    from inspections.complaints import api as complaints_api
    from inspections.complaints import views as complaint_views
    from inspections.disposals import api as disposals_api
    from inspections.disposals import views as disposals_views
    from inspections.draw import api as draw_api
    from inspections.visits import api as results_api
    from inspections.visits import views as visit_views
    from reports import api as reports_api
    from reports import views as reports_views
    from reports.oversight import api as oversight_api
    from reports.oversight import views as oversight_views
    from scheduling import api as schedule_api
    from scheduling import views as schedule_views
    from supervise import account_views, api, views

    for blueprint in (
        views.bp,
        account_views.bp,
        api.bp,
        inspections_views.bp,
        visit_views.bp,
        disposals_views.bp,
        inspections_api.bp,
        results_api.bp,
        disposals_api.bp,
        complaints_api.bp,
        complaint_views.bp,
        draw_api.bp,
        schedule_views.bp,
        schedule_api.bp,
        credit_views.bp,
        credit_api.bp,
        risk_views.bp,
        risk_api.bp,
        reports_views.bp,
        reports_api.bp,
        oversight_views.bp,
        oversight_api.bp,
    ):
        app.register_blueprint(blueprint)
    schedule_views.register_schedule_nav(app)
    reports_views.register_reports_nav(app)
    oversight_views.register_oversight_nav(app)
    credit_views.register_credit_nav(app)
    risk_views.register_risk_nav(app)
    views.register_core_nav(app)
    inspections_views.register_inspections_nav(app)
    visit_views.register_visit_nav(app)
    disposals_views.register_disposal_nav(app)
    complaint_views.register_complaint_nav(app)
    credit_views.register_credit_audit_values(app)
    complaint_views.register_complaint_audit_values(app)
    disposals_views.register_disposal_audit_values(app)
    oversight_views.register_oversight_audit_values(app)
    inspections_views.register_inspection_audit_values(app)

    from supervise.web import csrf

    # Bearer-token API calls are exempt; cookie-authenticated writes are checked in init_web.
    csrf.exempt(api.bp)
    csrf.exempt(inspections_api.bp)
    csrf.exempt(results_api.bp)
    csrf.exempt(disposals_api.bp)
    csrf.exempt(complaints_api.bp)
    csrf.exempt(draw_api.bp)
    csrf.exempt(credit_api.bp)
    csrf.exempt(risk_api.bp)
    csrf.exempt(schedule_api.bp)
    csrf.exempt(reports_api.bp)
    csrf.exempt(oversight_api.bp)

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        from flask_login import current_user

        return {"nav_items": lambda: nav_for(app, current_user.role), "role_labels": ROLE_LABELS}

    missing = undeclared_endpoints(app)
    if missing:
        raise RuntimeError(f"routes without a role declaration: {', '.join(missing)}")
    return app
