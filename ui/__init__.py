"""Pieces of the Solara app (``app.py``): pages, charts and the English/Dutch texts.

The app only wires :mod:`model` and :mod:`experiments` to widgets; it holds no science.
"""
