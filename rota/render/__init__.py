"""Rendering reports for people: rich tables for the terminal, CSV, and the HTML report page."""
