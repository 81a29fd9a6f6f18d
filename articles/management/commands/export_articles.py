from django.core.management.base import BaseCommand

from articles.export import iter_export, jsonl_line


class Command(BaseCommand):
    help = "Write every article as one JSON object per line (fields: see articles.export.EXPORT_FIELDS)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")

    def handle(self, *args, **options):
        for row in iter_export():
            self.stdout.write(jsonl_line(row))
