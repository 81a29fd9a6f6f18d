from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.content import DEMO_DIR, demo_content_load


class Command(BaseCommand):
    help = "Load the demo corpus (invented outlets, demo articles) through the ingest pipeline."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(DEMO_DIR), help="folder holding outlets.yaml")

    def handle(self, *args, dir, **options):
        try:
            report = demo_content_load(Path(dir))
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo content: {report.outlets} outlets, {report.feeds} feeds; {report.ingest.summary()}"
        )
        for where, reason in report.ingest.failures:
            self.stderr.write(f"failed: {where}: {reason}")
        if report.ingest.failures:
            raise CommandError(f"{len(report.ingest.failures)} demo file(s) failed")
