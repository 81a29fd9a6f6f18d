"""Editing a knowledge-base entity's names: aliases, acronyms and honorifics one per line, and its
Dari, Pashto and Urdu names in a box each (written right to left), instead of raw JSON."""

from __future__ import annotations

from django import forms

from articles.text.normalize import normalize

MAX_NAME_LENGTH = 300
# The languages whose names an entity keeps in `names`, in the order the form shows them.
NATIVE_LANGUAGES = ("fa", "ps", "ur")


class LinesField(forms.CharField):
    """A list of names, one per line: blank lines dropped, spaces trimmed, a name listed twice
    (in any spelling the tagger reads as one: case, diacritics, yeh and kaf, joiners) refused."""

    def __init__(self, *, rtl: bool = False, **kwargs):
        attrs = {"rows": 4, "cols": 60}
        if rtl:
            attrs |= {"dir": "rtl"}
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs=attrs))
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        seen: dict[str, str] = {}
        for name in value:
            if len(name) > MAX_NAME_LENGTH:
                raise forms.ValidationError(f"“{name[:40]}…” is longer than {MAX_NAME_LENGTH} characters.")
            key = " ".join(normalize(name).split())
            if key in seen:
                raise forms.ValidationError(f"“{name}” is listed twice (as “{seen[key]}”).")
            seen[key] = name

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial) != self.to_python(data)


class EntityNamesForm(forms.ModelForm):
    """The names of a person, organization, place, topic or event as lists; the JSON field `names`
    from one box per language (the admin excludes the field itself)."""

    aliases = LinesField(help_text="Other names the news uses, one per line.")
    names_fa = LinesField(label="Dari names", rtl=True, help_text="As the press writes them, one per line.")
    names_ps = LinesField(label="Pashto names", rtl=True, help_text="As the press writes them, one per line.")
    names_ur = LinesField(label="Urdu names", rtl=True, help_text="As the press writes them, one per line.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = getattr(self.instance, "names", None) or {}
        for code in NATIVE_LANGUAGES:
            if f"names_{code}" in self.fields:
                self.initial.setdefault(f"names_{code}", stored.get(code, []))

    def clean(self):
        cleaned = super().clean()
        if hasattr(self.instance, "names"):
            kept = {code: names for code, names in (self.instance.names or {}).items() if code not in NATIVE_LANGUAGES}
            given = {code: cleaned.get(f"names_{code}") or [] for code in NATIVE_LANGUAGES}
            self.instance.names = kept | {code: names for code, names in given.items() if names}
        return cleaned


class PersonForm(EntityNamesForm):
    honorifics = LinesField(help_text="Titles the news puts before the name (Mullah, Dr.), one per line.")


class OrganizationForm(EntityNamesForm):
    acronyms = LinesField(help_text="One per line (ISI, UNAMA).")


class EventForm(forms.ModelForm):
    aliases = LinesField(help_text="Names the news gives it ('the Doha agreement'), one per line: an article naming it is linked.")
