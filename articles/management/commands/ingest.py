import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import tasks
from articles.ingest import IngestReport, InProcess, Outcome, path_ingest
from articles.ingest.urls import is_web_url

PROGRESS_EVERY = 2.0  # seconds between progress lines on a long run


class Progress:
    """A line on stderr every few seconds while a long run goes on; silent for short ones."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self.done = 0
        self.last = time.monotonic()

    def __call__(self, where: str, outcome: Outcome) -> None:
        self.done += 1
        now = time.monotonic()
        if self.enabled and now - self.last >= PROGRESS_EVERY:
            self.last = now
            self.stream.write(f"… {self.done} done, last: {where} ({outcome})")


class Command(BaseCommand):
    help = (
        "Ingest feed URLs, page URLs, files and directories (.txt, .html, RSS/Atom/RDF .xml, JSON Feed "
        ".json, .jsonl). Through Celery (in-process without a broker), or inline with --sync."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE", help="a feed or page URL, a file or a directory")
        parser.add_argument("--sync", action="store_true", help="run in this process, without Celery")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a worker")
        parser.add_argument("--source", default="", metavar="NAME", help="the outlet of files that do not name one")

    def handle(self, *args, sources, sync, timeout, source, verbosity, **options):
        inline = sync or settings.CELERY_TASK_ALWAYS_EAGER
        wait = settings.CELERY_TASK_ALWAYS_EAGER or bool(settings.CELERY_RESULT_BACKEND)
        report = IngestReport(progress=Progress(self.stderr, verbosity >= 1))
        here = InProcess(report)
        for given in sources:
            if is_web_url(given):
                if inline:
                    here.url_ingest(given)
                    continue
                result = tasks.url_ingest.delay(given)
                if not wait:
                    self.stdout.write(f"queued {given} as task {result.id}")
                    continue
                self._report_queued_url(result.get(timeout=timeout), report)
                continue
            path = Path(given).resolve()
            if not path.exists():
                report.add(Outcome.FAILED, where=given, reason="no such file or directory, and not an http(s) URL")
                continue
            if sync:
                path_ingest(path, source_name=source, report=report)
                continue
            result = tasks.path_ingest.delay(str(path), source)
            if not wait:
                self.stdout.write(f"queued {path} as task {result.id}")
                continue
            report.merge(IngestReport.from_dict(result.get(timeout=timeout)))
        self.stdout.write(f"Ingest finished: {report.summary()}")
        for where, reason in report.failures:
            self.stderr.write(f"failed: {where}: {reason}")
        if report.failures:
            raise CommandError(f"{len(report.failures)} source(s) failed")

    def _report_queued_url(self, outcome: dict, report: IngestReport) -> None:
        """A URL handed to a worker: its entries are stored by later tasks, so say what was queued."""
        if outcome["error"]:
            report.add(Outcome.FAILED, where=outcome["url"], reason=outcome["error"])
            return
        self.stdout.write(f"{outcome['url']}: a {outcome['kind']}, {len(outcome['item_ids'])} item(s) queued")
