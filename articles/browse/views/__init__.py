"""Thin views: parse the request, call a selector, render. Bad input is a 400 with the reason."""
