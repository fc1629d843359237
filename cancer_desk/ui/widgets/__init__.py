"""Reusable widgets: Jalali date field, Persian-digit spin box, band scale."""
