from django.core.management.base import BaseCommand, CommandError

from articles.models import RetagJobKind
from articles.tagging.retag import BATCH_SIZE, retag_job_request, retag_job_step
from articles.tagging.services import TAGGER_VERSION


class Command(BaseCommand):
    help = (
        "Re-tag articles in this process, with progress. Interrupt it at any time: running the same "
        "command again resumes after the last finished batch. Editors' tag decisions are kept."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every article")
        which.add_argument("--stale", action="store_true", help=f"articles tagged before tagger version {TAGGER_VERSION}")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="articles per transaction")

    def handle(self, *args, all, stale, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        kind = RetagJobKind.ALL if all else RetagJobKind.STALE
        job = retag_job_request(kind=kind, reason="retag command")
        if job.cursor:
            self.stdout.write(f"Resuming re-tag job {job.pk} after article {job.cursor}.")
        else:
            self.stdout.write(f"Re-tag job {job.pk}: articles {job.first_id} to {job.last_id}.")
        try:
            while job.is_active:
                job = retag_job_step(job_id=job.pk, batch_size=batch_size)
                self.stdout.write(
                    f"{job.progress:6.1%}  up to article {job.cursor}: {job.examined} examined, "
                    f"{job.retagged} re-tagged, {job.failures} failed"
                )
        except KeyboardInterrupt:
            raise CommandError(
                f"Interrupted; articles up to {job.cursor} are done. Run the same command to resume."
            ) from None
        if job.failures:
            self.stderr.write(f"{job.failures} article(s) failed; the last error: {job.last_error}")
        self.stdout.write(self.style.SUCCESS(f"Re-tag job {job.pk} {job.status}."))
