"""Practice sessions brought in from a CSV file as the export writes it: read, check, save."""
