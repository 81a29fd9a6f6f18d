from django.core.management.base import BaseCommand, CommandError

from articles.corpus import CorpusError, corpus_generate


class Command(BaseCommand):
    help = (
        "Write a synthetic corpus of N articles over 2018-2024, tagged from the knowledge base, for "
        "benchmarks. Deterministic for a seed; never for production data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="how many articles to write")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same corpus")
        parser.add_argument("--start", type=int, default=0, help="index of the first article (to extend a corpus)")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, articles, seed, start, batch_size, **options):
        step = max(batch_size, (articles // 20 // batch_size) * batch_size)

        def progress(done: int) -> None:
            if done % step == 0 or done == articles:
                self.stdout.write(f"  {done} articles")

        try:
            report = corpus_generate(articles=articles, seed=seed, start=start, batch_size=batch_size, progress=progress)
        except CorpusError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
