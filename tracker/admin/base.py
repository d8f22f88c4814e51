"""Secure views and the user-scoped model view, built on tracker.ownership."""

import logging
import re
from datetime import date
from datetime import datetime
from functools import partial
from operator import attrgetter

from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from flask_admin import AdminIndexView
from flask_admin import BaseView
from flask_admin import babel
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.contrib.sqla.ajax import create_ajax_loader
from flask_admin.helpers import get_redirect_target
from flask_admin.model import typefmt
from flask_admin.model.form import InlineFormAdmin
from flask_admin.model.template import BaseListRowAction
from flask_admin.model.widgets import XEditableWidget
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from markupsafe import escape
from sqlalchemy.exc import IntegrityError
from werkzeug.utils import secure_filename
from wtforms import HiddenField
from wtforms import SelectField
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from tracker import form_tokens
from tracker.admin.cards import card_layout
from tracker.admin.cards import card_note_text
from tracker.admin.cards import has_value
from tracker.admin.converters import BoundedModelConverter
from tracker.admin.export import export_batches
from tracker.admin.fields import NulFreeAdminForm
from tracker.admin.fields import whole_number
from tracker.admin.filters import filter_refusal
from tracker.admin.list_page import FormDrawnOnUse
from tracker.admin.list_page import bound_to_page
from tracker.admin.list_page import list_html_cached
from tracker.admin.list_page import row_actions_drawn_once
from tracker.admin.list_page import row_urls
from tracker.admin.row_count import count_rows
from tracker.admin.wording import PlainInlineModelConverter
from tracker.admin.wording import plain_gettext
from tracker.admin.wording import plain_words
from tracker.bounds import MAX_PAGE
from tracker.csv_stream import csv_chunks
from tracker.csv_stream import csv_download
from tracker.extensions import db
from tracker.ownership import check_owner
from tracker.ownership import is_owned
from tracker.ownership import owned_filter
from tracker.ownership import owned_one
from tracker.ownership import owned_query
from tracker.ownership import owned_relationships
from tracker.phrases import count_text
from tracker.phrases import date_text
from tracker.phrases import local_date_time_text
from tracker.timezones import format_local
from tracker.timezones import user_zone
from tracker.timezones import zone_fixed

log = logging.getLogger(__name__)

# Shown when a save fails for a reason the musician cannot fix (the details go to the log).
SAVE_FAILED = "That could not be saved just now. Please try again."
# Ids are PostgreSQL integers: a bigger "id" names no row.
MAX_ROW_ID = 2**31 - 1
# Never part of any form or inline edit: ownership and bookkeeping columns.
PROTECTED_COLUMNS = ("user", "user_id", "created_at", "updated_at", "search_vector")
# Never shown, in a list, on a details page or in an export: search's own words.
HIDDEN_COLUMNS = ("search_vector",)


def _local_datetime_formatter(view, value, name):
    """Show a stored UTC timestamp in the signed-in user's zone: 'Tue 1 Dec 2026, 18:00'."""
    return local_date_time_text(value)


def _date_formatter(view, value, name):
    """Show a day as every page writes one: 'Tue 1 Dec 2026'."""
    return date_text(value)


LIST_FORMATTERS = dict(typefmt.BASE_FORMATTERS)
LIST_FORMATTERS[datetime] = _local_datetime_formatter
LIST_FORMATTERS[date] = _date_formatter
EXPORT_FORMATTERS = dict(typefmt.EXPORT_FORMATTERS)
EXPORT_FORMATTERS[datetime] = lambda view, value, name: format_local(value, "%Y-%m-%d %H:%M")


def _export_formatted(formatter, view, name, row):
    """A column's export formatter applied to row, as Flask-Admin calls it (no context)."""
    return formatter(view, None, row, name)


def _export_chosen(read, choices, row):
    """A choice column's cell: the label of the value read from row, or the value itself."""
    value = read(row)
    return choices.get(value) or value


def scoped_form_args(model, form_args=None, skip=()):
    """form_args with a current-user query factory for every owned relationship field."""
    form_args = {key: dict(value) for key, value in (form_args or {}).items()}
    for name, target in owned_relationships(model):
        if name in skip:
            continue
        args = form_args.setdefault(name, {})
        args["query_factory"] = lambda target=target: owned_query(target)
    return form_args


class ScopedInline(InlineFormAdmin):
    """Rows edited inside a parent's form (sections, maintenance logs, session links).

    Their own dropdowns list only the user's rows, and each saved row is owned by the user.
    """

    def __init__(self, model, **kwargs):
        kwargs["form_excluded_columns"] = tuple(
            dict.fromkeys((*kwargs.get("form_excluded_columns", ()), *PROTECTED_COLUMNS))
        )
        kwargs["form_args"] = scoped_form_args(model, kwargs.get("form_args"))
        kwargs.setdefault("form_base_class", NulFreeAdminForm)
        super().__init__(model, **kwargs)

    def on_model_change(self, form, model, is_created):
        check_owner(model)


class PostRowAction(BaseListRowAction):
    """A row button that runs one of the view's bulk actions on that row, by POST with CSRF.

    Labelled as the other row actions are (templates/admin/model/row_actions.html).
    """

    def __init__(self, action, title, icon_class):
        super().__init__(title=title)
        self.action = action
        self.icon_class = icon_class

    def render(self, context, row_id, row):
        view = context.resolve("admin_view")
        if not view.is_action_allowed(self.action):
            return ""
        csrf = context.resolve("csrf_token")
        return Markup(
            '<form class="row-action-form" method="post" action="{url}">'
            '<input type="hidden" name="csrf_token" value="{csrf}">'
            '<input type="hidden" name="action" value="{action}">'
            '<input type="hidden" name="rowid" value="{row_id}">'
            '<input type="hidden" name="url" value="{back}">'
            '<button type="submit" class="btn btn-link btn-sm row-action">'
            '<span class="fa {icon}" aria-hidden="true"></span> '
            '<span class="row-action-label">{title}</span></button></form>'
        ).format(
            url=view.get_url(".action_view"),
            csrf=csrf() if callable(csrf) else "",
            action=self.action,
            row_id=row_id,
            back=context.resolve("return_url"),
            title=self.title,
            icon=self.icon_class,
        )


class StoredChoiceXEditableWidget(XEditableWidget):
    """Inline edits whose choice list opens on the stored value, not on its display text.

    A list draws one link per editable cell: the attributes its column shares (type,
    choices, URL, CSRF token) are worked out once per page, only the row's own id and
    value per cell. Field types outside FAST_TYPES render as Flask-Admin does.
    """

    FAST_TYPES = {
        "StringField",
        "TextAreaField",
        "BooleanField",
        "SelectField",
        "Select2Field",
        "DateField",
        "DateTimeField",
        "TimeField",
        "IntegerField",
        "FloatField",
        "DecimalField",
    }

    def __call__(self, field, **kwargs):
        if field.type not in self.FAST_TYPES or not kwargs.get("pk"):
            return super().__call__(field, **kwargs)
        display = kwargs.pop("display_value", "")
        pk = kwargs.pop("pk")
        if field.type == "BooleanField":
            value = "1" if field.data else ""
        elif field.type in ("SelectField", "Select2Field"):
            value = "" if field.data is None else str(field.data)
        else:
            value = kwargs.pop("data-value", display)
        shared = self._column_attributes(field, kwargs)
        return Markup(
            f'<a {shared} data-pk="{escape(str(pk))}" data-value="{escape(value)}">'
            f"{escape(display)}</a>"
        )

    def _column_attributes(self, field, kwargs):
        """The attributes every cell of field's column shares, once per request."""
        cache = g.setdefault("inline_edit_attributes", {})
        key = (id(self), field.name, field.type, kwargs.get("csrf", ""))
        if key not in cache:
            kwargs = dict(kwargs)
            # As XEditableWidget.__call__ sets them before its per-type get_kwargs.
            kwargs.setdefault("data-role", "x-editable")
            kwargs.setdefault("data-url", "./ajax/update/")
            kwargs.setdefault("id", field.id)
            kwargs.setdefault("name", field.name)
            kwargs.setdefault("href", "#")
            kwargs["data-csrf"] = kwargs.pop("csrf", "")
            kwargs = self.get_kwargs(field, kwargs)
            kwargs.pop("data-value", None)
            cache[key] = Markup(html_params(**kwargs))
        return cache[key]


class SecureViewMixin:
    """Only signed-in, active users see the app; everyone else goes to the login page."""

    def is_accessible(self):
        # Asked for every menu entry on every page: worked out once per request.
        if "signed_in" not in g:
            g.signed_in = current_user.is_authenticated and current_user.is_active
        return g.signed_in

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("security.login", next=request.full_path.rstrip("?")))

    def render(self, template, **kwargs):
        """Render with Flask-Admin's generic words in plain language (admin/wording.py)."""
        # Flask-Admin applies these extra arguments after its own, so they win.
        self._template_args["_gettext"] = plain_gettext
        return super().render(template, **kwargs)


class SecureView(SecureViewMixin, BaseView):
    """A custom page of the signed-in app."""


class SecureIndexView(SecureViewMixin, AdminIndexView):
    """The app's home page, for signed-in users only."""


class UserScopedAjaxLoader(QueryAjaxModelLoader):
    """An ajax lookup that finds and accepts only the signed-in user's rows."""

    def get_query(self):
        return super().get_query().filter(owned_filter(self.model))

    def get_one(self, pk):
        with db.session.no_autoflush:
            return owned_one(self.model, pk)


class UserScopedModelView(SecureViewMixin, ModelView):
    """CRUD over one owned model, limited in every path to the signed-in user's rows.

    Concrete views declare `model`, `name`, `endpoint` (and optionally `category`)
    plus the usual Flask-Admin attributes; they never touch ownership themselves.
    """

    model = None
    name = None
    endpoint = None
    category = None

    can_view_details = True
    can_export = True
    can_set_page_size = True
    page_size = 20
    export_types = ["csv"]
    empty_list_message = "Nothing here yet."
    # BulkEdit objects (admin/bulk.py): "With selected" entries that ask for one value.
    bulk_edits = ()
    # The primary button of lists using admin/model/add_list.html: "Add a goal".
    add_label = "Add"
    # What one row and several rows are called in messages: "3 sessions deleted."
    row_nouns = ("entry", "entries")
    # (filter label, value) pairs in force until the user sets that filter themselves.
    default_list_filters = ()
    # A list page counts its rows from its own first one up to this many more ("500+"
    # beyond), so its cost stops growing with the data (admin/row_count.py); Flask-Admin's
    # own count(*) is never run.
    count_cap = 500
    simple_list_pager = True
    # The list as it opens drawn once per user data version (admin/list_page.py), for
    # views whose rows show nothing that changes with the clock ("due in 3 days" would).
    cache_list_html = False
    # name -> figures(user_id, rows) returning {row id: figure}: worked out once for all the
    # rows of a list or details page before it renders, handed to it as `page_figures`.
    page_figures = {}
    # The same, for the details page only (figures the list does not show).
    details_figures = {}
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_export = EXPORT_FORMATTERS
    column_type_formatters_detail = LIST_FORMATTERS

    # The table, and below 576 px a card per row (templates/admin/model/scoped_list.html).
    list_template = "admin/model/scoped_list.html"
    # A card's title line, its two or three small fields and its one-line note, as column
    # names; None takes them from column_list (admin/cards.py).
    card_title = None
    card_fields = None
    card_note = None
    # Formatters for the cards only ("1 h 25 min" where the table has a minutes column).
    card_formatters = {}

    def __init__(self, **kwargs):
        cls = type(self)
        # value type -> its export type formatter, found once (get_export_value).
        self._export_type_formatters = {}
        if not is_owned(cls.model):
            raise TypeError(f"{cls.__name__}.model must be an owned model")
        self.form_excluded_columns = tuple(
            dict.fromkeys((*(self.form_excluded_columns or ()), *PROTECTED_COLUMNS))
        )
        self.column_exclude_list = tuple(
            dict.fromkeys((*(self.column_exclude_list or ()), "user", *HIDDEN_COLUMNS))
        )
        for hidden in ("column_details_exclude_list", "column_export_exclude_list"):
            setattr(self, hidden, (*(getattr(self, hidden) or ()), *HIDDEN_COLUMNS))
        for inline in self.inline_models or ():
            if not isinstance(inline, ScopedInline):
                raise TypeError(f"{cls.__name__}: inline models must be ScopedInline")
        inline_models = {inline.model for inline in self.inline_models or ()}
        # Ajax fields are scoped by their loader, inline rows by ScopedInline.
        self.form_args = scoped_form_args(
            cls.model,
            self.form_args,
            skip={
                *(self.form_ajax_refs or ()),
                *(n for n, t in owned_relationships(cls.model) if t in inline_models),
            },
        )
        rel_names = {name for name, _ in owned_relationships(cls.model)}
        if rel_names & set(self.column_editable_list or ()):
            # Inline-edit forms are built without our scoped query factories.
            raise TypeError(f"{cls.__name__}: relationships cannot be edited inline")
        super().__init__(
            cls.model,
            db,
            name=kwargs.pop("name", cls.name),
            endpoint=kwargs.pop("endpoint", cls.endpoint),
            category=kwargs.pop("category", cls.category),
            **kwargs,
        )

    # Text without NUL characters; every number and date field checks its column's bounds.
    form_base_class = NulFreeAdminForm
    model_form_converter = BoundedModelConverter
    # Inline rows (sections, session links) speak plain words too.
    inline_model_form_converter = PlainInlineModelConverter

    def get_actions_list(self):
        """Bulk actions, their confirmations in plain words."""
        actions, confirmations = super().get_actions_list()
        return actions, {name: plain_words(text) for name, text in confirmations.items()}

    def init_actions(self):
        """Flask-Admin's actions, then one per bulk edit (they ask for a value first)."""
        super().init_actions()
        for edit in self.bulk_edits:
            self._actions.append((edit.name, edit.text))
            self._actions_data[edit.name] = (partial(edit.run, self), edit.text, None)

    @action("delete", "Delete", "Delete the ticked rows for good?")
    def action_delete(self, ids):
        """Delete the ticked rows among the user's and say how many: "3 sessions deleted."

        Flask-Admin's own says "3 records were successfully deleted.".
        """
        rows = self.get_query().filter(self.model.id.in_([int(pk) for pk in ids])).all()
        count = sum(1 for row in rows if self.delete_model(row))
        if count:
            flash(f"{count_text(count, *self.row_nouns)} deleted.", "success")

    def row_checkbox_label(self, row):
        """The spoken name of a row's tick box in the list: "Select goal Scales in thirds"."""
        noun = self.row_nouns[0]
        if self.row_nouns == UserScopedModelView.row_nouns:  # no word of its own: the model's
            noun = re.sub(r"(?<!^)(?=[A-Z])", " ", self.model.__name__).lower()
        return f"Select {noun} {row}"

    def get_list_row_actions(self):
        """The row buttons, titled in plain words ("View", not "View Record")."""
        actions = super().get_list_row_actions()
        for row_action in actions:
            row_action.title = plain_words(row_action.title)
        return actions

    def render(self, template, **kwargs):
        """Render a list or details page with its per-row figures, computed once for the page.

        A list also gets its cards' layout and helpers (admin/cards.py).
        """
        if template == self.list_template:
            kwargs["page_figures"] = self._figures(self.page_figures, kwargs.get("data") or [])
            kwargs["card"] = card_layout(self, kwargs.get("list_columns") or [])
            kwargs["get_card_value"] = self.get_card_value
            kwargs["card_has_value"] = has_value
            kwargs["card_note_text"] = card_note_text
            kwargs["row_actions_html"] = row_actions_drawn_once()
            kwargs["bound_to_page"] = bound_to_page
            kwargs["row_url"] = row_urls(self, kwargs.get("return_url"))
            kwargs["list_html_cached"] = list_html_cached(self)
        elif template == self.details_template:
            wanted = {**self.page_figures, **self.details_figures}
            kwargs["page_figures"] = self._figures(wanted, [kwargs["model"]])
        return super().render(template, **kwargs)

    @pass_context
    def get_card_value(self, context, model, name):
        """A column as a phone's card shows it: its card formatter, else as in the table."""
        formatters = {**self.column_formatters, **self.card_formatters}
        return self._get_list_value(context, model, name, formatters, self.column_type_formatters)

    def _figures(self, wanted, rows):
        return {name: compute(current_user.id, rows) for name, compute in wanted.items()}

    # -- reading: every query starts from the user's rows --------------------------------

    def get_query(self):
        return super().get_query().filter(owned_filter(self.model))

    def get_count_query(self):
        return super().get_count_query().filter(owned_filter(self.model))

    def get_one(self, id):
        """Fetch one of the user's rows by id; another user's id is simply not found."""
        return owned_one(self.model, id)

    def _create_ajax_loader(self, name, options):
        """Ajax lookups on owned models search and accept only the user's rows."""
        loader = create_ajax_loader(self.model, self.session, name, name, options)
        if is_owned(loader.model):
            return UserScopedAjaxLoader(name, self.session, loader.model, **options)
        return loader

    def get_list_form(self):
        """Build inline-edit forms from plain fields: x-editable knows only WTForms' own types.

        A plain SelectField stays, with its choices (a rating edits as a 1–5 choice); the
        validators come from form_args, so inline edits obey the same rules.
        """
        overrides = self.form_overrides
        kept = {name: cls for name, cls in (overrides or {}).items() if cls is SelectField}
        args = {
            name: {"validators": value["validators"]}
            for name, value in (self.form_args or {}).items()
            if value.get("validators")
        }
        for name in kept:
            given = (self.form_args or {}).get(name, {})
            args.setdefault(name, {}).update(
                {key: given[key] for key in ("choices", "coerce") if key in given}
            )
        self.form_overrides = kept or None
        try:
            return self.scaffold_list_form(widget=StoredChoiceXEditableWidget(), validators=args)
        finally:
            self.form_overrides = overrides

    # -- writing: the owner is set here and can never change ------------------------------

    def on_model_change(self, form, model, is_created):
        check_owner(model, created=is_created)

    # -- creating: once per form, however often its POST arrives ---------------------------

    def get_create_form(self):
        """The create form with a one-time token (tracker/form_tokens.py) in a hidden field."""
        form_class = super().get_create_form()
        token = HiddenField(default=form_tokens.new_token)
        return type(form_class.__name__, (form_class,), {form_tokens.FIELD: token})

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        """Answer a replayed create POST as the first one was answered, saving nothing."""
        if request.method == "POST" and self.can_create:
            row = form_tokens.recorded_row(self.model, request.form.get(form_tokens.FIELD))
            if row is not None:
                return self._created_redirect(row)
        return super().create_view()

    def _created_redirect(self, row):
        """Where Flask-Admin sends the browser after creating row (see its create_view)."""
        return_url = get_redirect_target() or self.get_url(".index_view")
        if "_add_another" in request.form:
            return redirect(self.get_url(".create_view", url=return_url))
        if "_continue_editing" in request.form:
            return redirect(self.get_url(".edit_view", id=self.get_pk_value(row), url=return_url))
        return redirect(self.get_save_return_url(row, is_created=True))

    def _on_model_change(self, form, model, is_created):
        """Record the form's token with a new row, after every view's own on_model_change."""
        super()._on_model_change(form, model, is_created)
        if is_created and form_tokens.FIELD in form:
            form_tokens.record(model, form[form_tokens.FIELD].data)

    def create_model(self, form):
        """Create the row; when a twin POST saved it meanwhile, that row is the answer."""
        model = super().create_model(form)
        if model is False and form_tokens.FIELD in form:
            return form_tokens.recorded_row(self.model, form[form_tokens.FIELD].data) or False
        return model

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        """Apply the view's default filters (e.g. hide archived) unless the user chose them.

        The count is capped (count_cap) for a page that is a small window of the list,
        and exact for anything larger, such as an export's one page of every row.
        """
        query = self._list_query(page, sort_column, sort_desc, search, filters, page_size)
        size = self.page_size if page_size is None else page_size
        if size and size < self.count_cap:
            count = count_rows(query, (page or 0) * size, self.count_cap)
        else:
            count = count_rows(query)
        return count, query.all() if execute else query

    def _list_query(self, page, sort_column, sort_desc, search, filters, page_size):
        """The list's query, its default filters added unless the user chose them; no count."""
        filters = list(filters or [])
        chosen = {self._filters[idx].name for idx, _name, _value in filters}
        for label, value in self.default_list_filters:
            if label not in chosen:
                idx = next(i for i, f in enumerate(self._filters) if f.name == label)
                filters.append((idx, label, value))
        _none, query = super().get_list(
            page, sort_column, sort_desc, search, filters, execute=False, page_size=page_size
        )
        return query

    def update_rows(self, ids, message, **values):
        """Set attributes on the user's rows among ids (a bulk or row action) and report."""
        rows = self.get_query().filter(self.model.id.in_([int(i) for i in ids])).all()
        for row in rows:
            for key, value in values.items():
                setattr(row, key, value)
        db.session.commit()
        flash(message.format(count=len(rows)), "success")

    def edit_form(self, obj=None):
        """Remember the row being edited, for validators such as UniqueForUser."""
        form = super().edit_form(obj)
        form._obj = obj
        return form

    def list_form(self, obj=None):
        """Remember the row an inline edit targets (already scoped by get_one).

        A list asks for one per row it shows (obj): those are built when first drawn.
        """
        if obj is not None:
            return FormDrawnOnUse(partial(self._remembering_list_form, obj, obj))
        return self._remembering_list_form(None, self.get_one(request.form.get("list_form_pk")))

    def _remembering_list_form(self, obj, row):
        form = super().list_form(obj)
        form._obj = row
        return form

    def handle_view_exception(self, exc):
        """Explain a refused save in plain words; any other failure is logged, never shown.

        Flask-Admin would flash the exception's text, which for a database error holds the
        SQL and its parameters.
        """
        if isinstance(exc, ValidationError):
            return super().handle_view_exception(exc)
        db.session.rollback()
        if isinstance(exc, IntegrityError):
            if "form_submissions" in str(exc.orig):
                return True  # a twin POST saved this form already: create_model answers with it
            flash("That could not be saved: it clashes with something you already have.", "error")
            return True
        if current_app.config.get("FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION"):
            raise exc
        log.exception("Saving %s failed", self.endpoint)
        g.unexpected_save_failure = True
        flash(SAVE_FAILED, "error")
        return True

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        """An inline edit: a refused value answers 400 with its message, a missing row 404.

        Flask-Admin answers 500 for both, as if the server had failed.
        """
        result = super().ajax_update()
        if not isinstance(result, tuple) or result[1] != 500:
            return result
        message = result[0]
        if message == babel.gettext("Record does not exist."):
            return plain_words("Record does not exist."), 404
        if g.get("unexpected_save_failure"):
            return SAVE_FAILED, 500
        prefix = babel.gettext("Failed to update record. %(error)s", error="")
        return message.removeprefix(prefix).strip() or SAVE_FAILED, 400

    def handle_action(self, return_view=None):
        """Run a bulk action only on ticked rows that are ids; anything else is refused."""
        ids = request.form.getlist("rowid")
        if any(whole_number(pk, 1, MAX_ROW_ID) is None for pk in ids):
            flash("Those rows could not be found: tick them again.", "error")
            return redirect(get_redirect_target() or self.get_url(".index_view"))
        return super().handle_action(return_view)

    def _get_list_extra_args(self):
        """The list's page, sort, search and filters, kept to what the database can take.

        A page below the first or past MAX_PAGE becomes the nearest one there is; NUL
        characters, which PostgreSQL text cannot hold, are dropped from the search.
        """
        args = super()._get_list_extra_args()
        args.page = min(max(args.page or 0, 0), MAX_PAGE)
        if args.search:
            args.search = args.search.replace("\x00", "")
        return args

    def _get_list_filter_args(self):
        """The list's filters from the link, each value checked against its column first.

        As Flask-Admin reads them, with filter_refusal (admin/filters.py) before its own
        check: a refused filter is left out, and a message says why.
        """
        if not self._filters:
            return None
        chosen = []
        for arg in request.args:
            if not arg.startswith("flt") or "_" not in arg:
                continue
            position, key = arg[3:].split("_", 1)
            if key not in self._filter_args:
                continue
            idx, flt = self._filter_args[key]
            value = request.args[arg].replace("\x00", "")
            refusal = filter_refusal(flt, value)
            if refusal:
                flash(f"The filter “{flt.name}” was left out: {refusal}", "error")
                continue
            chosen.append((position, (idx, str(flt.name), value)))
        return [item for _, item in sorted(chosen, key=lambda pair: pair[0])]

    def get_empty_list_message(self):
        """A friendly sentence for an empty list, declared per view."""
        return self.empty_list_message

    def _export_csv(self, return_url):
        """Stream every row of the list, with its filters, search and sort, as CSV.

        Rows are read in batches from SQL (admin/export.py) and each batch is written as
        soon as it is read, so a long history costs no more memory than a short one.
        Every cell goes through the view's export formatters, then csv_cell's escaping.
        """
        query = self._export_query()
        names = [name for name, _ in self._export_columns]
        columns = [self._export_cell(name) for name in names]
        zone = user_zone()

        def cells():
            # Every time cell asks for the zone: found once, not 50,000 times.
            with zone_fixed(zone):
                for batch in export_batches(query, self.model, names):
                    yield [[cell(row) for cell in columns] for row in batch]

        labels = [label for _, label in self._export_columns]
        filename = secure_filename(self.get_export_name(export_type="csv"))
        return csv_download(csv_chunks(labels, cells()), filename)

    def get_export_value(self, model, name):
        """One cell of the export, as Flask-Admin's get_export_value writes it."""
        return self._export_cell(name)(model)

    def _export_cell(self, name):
        """The function writing column name's cell of a row, as Flask-Admin would.

        Flask-Admin looks up the column's formatter and choices and tries every type
        formatter for every cell (half a million times for 50,000 sessions); an export
        builds this once per column, and finds the type formatter once per value type.
        """
        formatter = self.column_formatters_export.get(name)
        if formatter is not None:
            read = partial(_export_formatted, formatter, self, name)
        elif "." in name:
            read = partial(self._get_field_value, name=name)  # a related row's: "piece.title"
        else:
            read = attrgetter(name)
        choices = self._column_choices_map.get(name)
        if choices:
            return partial(_export_chosen, read, choices)
        found = self._export_type_formatters
        find = self._export_type_formatter

        def cell(row):
            value = read(row)
            kind = type(value)
            type_formatter = found[kind] if kind in found else find(kind)
            return value if type_formatter is None else type_formatter(self, value, name)

        return cell

    def _export_type_formatter(self, value_type):
        """The first export type formatter for values of value_type, as Flask-Admin picks it."""
        found = self._export_type_formatters.get(value_type, False)
        if found is False:
            found = next(
                (
                    formatter
                    for typeobj, formatter in self.column_type_formatters_export.items()
                    if issubclass(value_type, typeobj)
                ),
                None,
            )
            self._export_type_formatters[value_type] = found
        return found

    def _export_query(self):
        """The list's query with the page's filters, search and sort, without paging.

        As Flask-Admin's _export_data asks get_list for it, with its checks on the export
        formatters, but unexecuted: the rows are read as they are written.
        """
        for name, formatter in (self.column_formatters_export or {}).items():
            if name in dict(self._export_columns) and formatter.__name__ == "inner":
                raise NotImplementedError(f"Macros are not implemented in export: {name}")
        args = self._get_list_extra_args()
        sort = self._get_column_by_idx(args.sort)
        # Not get_list: an export needs no row count, which would read every row once more.
        return self._list_query(
            0,
            sort[0] if sort is not None else None,
            args.sort_desc,
            args.search,
            args.filters,
            page_size=0,
        )
