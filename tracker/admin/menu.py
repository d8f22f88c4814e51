"""Which entry of the navigation bar is the page being shown."""

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
