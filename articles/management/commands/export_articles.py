from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.api.export import export_queryset, iter_export, jsonl_line
from articles.queries.filters import LanguageCodesField, LanguagesFilter


class Command(BaseCommand):
    help = "Write every article as one JSON object per line (fields: see articles.api.export.EXPORT_FIELDS)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument(
            "--language", action="append", default=[], metavar="CODE",
            help="Only articles in this language (fa, ps, ur, en...), as the list's `language` filter; repeatable.",
        )

    def handle(self, *args, **options):
        queryset = export_queryset()
        if options["language"]:
            try:
                codes = LanguageCodesField(required=False).clean(options["language"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            queryset = LanguagesFilter().filter(queryset, codes)
        for row in iter_export(queryset):
            self.stdout.write(jsonl_line(row))
