"""Links between items and their explanations: to the ones an item has, and to save a note as one.

- An item's explanations are listed on its page: a goal's and a piece's in the page's
  Explanations card, a section's on its piece's page (its own in the section's line, its
  piece's in the card). The dashboard counts them with figures.explanations.explanation_counts.
- A "next time" note becomes an explanation through the new-explanation page's own pre-links
  (admin/resources.py: PRE_LINKS and pre_fill): ?goal_id=, ?piece_id=, ?section_id= link the
  item, ?notes= fills the notes (the title is made from its first words), ?kind=note.
  js/next_time_note.js builds the same link in the browser from the session form's rows.
"""

from flask import url_for

from tracker.phrases import count_text

# kind -> (details page, the id of its Explanations card)
ITEM_PAGES = {
    "goal": ("goal.details_view", "goal-explanations"),
    "piece": ("piece.details_view", "piece-explanations"),
}


def item_explanations_url(kind, item_id, kept):
    """Where the item's explanations are listed; kept is its figures.explanations.KeptCount."""
    if kind == "section":
        # The section's own line when it has some, else the piece's card: where they are.
        anchor = f"section-{item_id}-explanations" if kept.own else "piece-explanations"
        return url_for("piece.details_view", id=kept.piece_id, _anchor=anchor)
    endpoint, anchor = ITEM_PAGES[kind]
    return url_for(endpoint, id=item_id, _anchor=anchor)


def explanations_text(kept):
    """'1 explanation', '3 explanations'."""
    return count_text(kept.count, "explanation")


def note_explanation_url(note, goal_id=None, piece_id=None, section_id=None, back=None):
    """The new-explanation page holding note as an own note, linked to the item it was left on."""
    args = {"goal_id": goal_id, "piece_id": piece_id, "section_id": section_id, "url": back}
    args = {name: value for name, value in args.items() if value is not None}
    return url_for("resource.create_view", kind="note", notes=note, **args)


def saved_note_explanation_url(session, link):
    """note_explanation_url for a saved session's goal or piece link; saving comes back to it."""
    return note_explanation_url(
        link.next_time,
        goal_id=getattr(link, "goal_id", None),
        piece_id=getattr(link, "piece_id", None),
        section_id=getattr(link, "section_id", None),
        back=url_for("practice_session.details_view", id=session.id),
    )
