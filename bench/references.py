"""Stock Flask-Admin pages the throughput runs compare the app's own pages with (bench only).

A second, stock Admin at /bench/stock renders from Flask-Admin's own templates (the app's
templates/admin/ overrides are bypassed through an overlay Jinja environment), with a stock
ModelView of the signed-in user's practice sessions and an empty page; the app's Admin gains
an empty page in the app's layout at /app/bench-empty/.
"""

import os

import flask_admin
from flask import current_app
from flask_admin import Admin
from flask_admin import BaseView
from flask_admin import expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from jinja2 import FileSystemLoader

from tracker.admin.base import SecureView
from tracker.admin.practice import PracticeSessionView
from tracker.extensions import db
from tracker.models import PracticeSession

STOCK_TEMPLATES = os.path.join(os.path.dirname(flask_admin.__file__), "templates", "bootstrap4")
EMPTY_PAGE = "{% extends admin_base_template %}"


class StockTemplatesMixin:
    """Render Flask-Admin's own templates, not the app's overrides of the same names."""

    stock_env = None

    def render(self, template, **kwargs):
        if isinstance(template, str):
            template = self.stock_env.get_template(template)
        return super().render(template, **kwargs)


class StockSessionList(StockTemplatesMixin, ModelView):
    """The practice log's rows as stock Flask-Admin lists them: same columns, same inline edits."""

    can_view_details = True
    page_size = 20
    column_list = PracticeSessionView.column_list
    column_labels = PracticeSessionView.column_labels
    column_default_sort = PracticeSessionView.column_default_sort
    column_editable_list = PracticeSessionView.column_editable_list
    column_searchable_list = PracticeSessionView.column_searchable_list

    def get_query(self):
        return super().get_query().filter(PracticeSession.user_id == current_user.id)

    def get_count_query(self):
        return super().get_count_query().filter(PracticeSession.user_id == current_user.id)


class StockEmptyPage(StockTemplatesMixin, BaseView):
    """A stock Flask-Admin page with nothing in it: the cost of its layout alone."""

    @expose("/")
    def index(self):
        return self.render(self.stock_env.from_string(EMPTY_PAGE))


class AppEmptyPage(SecureView):
    """A page with nothing in it, in the app's own layout (navbar, bell, assets)."""

    def is_visible(self):
        return False

    @expose("/")
    def index(self):
        return self.render(current_app.jinja_env.from_string(EMPTY_PAGE))


def add_references(app):
    """Mount the stock Admin at /bench/stock/ and the empty app-layout page /app/bench-empty/."""
    stock_env = app.jinja_env.overlay(loader=FileSystemLoader(STOCK_TEMPLATES))
    StockTemplatesMixin.stock_env = stock_env
    stock = Admin(app, name="Stock", url="/bench/stock", endpoint="stock", theme=Bootstrap4Theme())
    stock.add_view(StockSessionList(PracticeSession, db, endpoint="stock_session"))
    stock.add_view(StockEmptyPage(name="Empty", endpoint="stock_empty", url="/bench/stock/empty"))
    app.extensions["tracker_admin"].add_view(
        AppEmptyPage(name="Empty", endpoint="bench_empty", url="/app/bench-empty")
    )
