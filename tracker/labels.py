"""How linked rows are named on screen, shared by the models and the plain-data figures."""


def section_label(piece_title, section_name):
    """'Partita No. 2 — Chaconne'; only the section's name when its piece is unknown."""
    return f"{piece_title} — {section_name}" if piece_title else section_name


def link_label(name, minutes=None):
    """A goal or piece a session worked on, with the minutes spent on it when given."""
    return f"{name} ({minutes} min)" if minutes else f"{name}"
