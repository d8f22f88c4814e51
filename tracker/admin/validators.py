"""Form validators that compare fields of one form."""

from wtforms.validators import ValidationError


class SectionOfPiece:
    """The chosen section must belong to the piece chosen in the same row."""

    def __init__(self, piece_field="piece"):
        self.piece_field = piece_field

    def __call__(self, form, field):
        piece = form[self.piece_field].data
        section = field.data
        if section is not None and piece is not None and section.piece_id != piece.id:
            raise ValidationError(f"“{section.section_name}” is a section of another piece.")
