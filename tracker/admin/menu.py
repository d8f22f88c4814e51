"""The navigation bar's menus: which entry is the page being shown, each menu drawn once."""

from flask import request
from flask_admin.menu import MenuLink


def menu_active(item, admin_view):
    """Tell whether a menu entry (a view, a link or a category) is the page being shown.

    Flask-Admin only knows its own views: Flask-Security's pages (Change password) render
    with the dashboard as their view, which would light up "Dashboard" instead of Settings.
    """
    if item.is_category():
        return any(menu_active(child, admin_view) for child in item.get_children())
    if isinstance(item, MenuLink):
        return item.endpoint is not None and item.endpoint == request.endpoint
    return request.blueprint != "security" and item.is_active(admin_view)


# (which app, which page, which view) -> that page's drawn menu. The menus list the app's
# views, the same for every signed-in musician; only the entry lit up differs by page.
_DRAWN_MENUS = {}


def menu_drawn_once(macro, admin_view):
    """The navbar menu that macro draws for this kind of page, drawn the first time only.

    A page of the app spends a third of its layout on its menus otherwise.
    """
    key = (
        macro.name,
        id(admin_view.admin),
        admin_view.endpoint,
        request.blueprint,
        request.endpoint,
    )
    drawn = _DRAWN_MENUS.get(key)
    if drawn is None:
        drawn = _DRAWN_MENUS[key] = macro()
    return drawn
