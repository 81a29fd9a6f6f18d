from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import tasks
from articles.ingest import IngestReport, ingest_path


class Command(BaseCommand):
    help = "Ingest local files or directories through the ingest task (inline with --sync)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE")
        parser.add_argument("--sync", action="store_true", help="run in this process, without Celery")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a worker")

    def handle(self, *args, sources, sync, timeout, **options):
        report = IngestReport()
        for source in sources:
            path = Path(source).resolve()
            if not path.exists():
                report.failures.append((source, "no such file or directory"))
                report.counts["failed"] += 1
                continue
            if sync:
                report.merge(ingest_path(path))
                continue
            result = tasks.ingest_file.delay(str(path))
            if not settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_RESULT_BACKEND:
                self.stdout.write(f"queued {path} as task {result.id}")
                continue
            report.merge(IngestReport.from_dict(result.get(timeout=timeout)))
        self.stdout.write(f"Ingest finished: {report.summary()}")
        for where, reason in report.failures:
            self.stderr.write(f"failed: {where}: {reason}")
        if report.failures:
            raise CommandError(f"{len(report.failures)} source(s) failed")
