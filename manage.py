"""Command-line entry point: `python manage.py run | db upgrade | create-user ...`."""

from flask.cli import FlaskGroup

from tracker import create_app

cli = FlaskGroup(create_app=create_app)

if __name__ == "__main__":
    cli()
