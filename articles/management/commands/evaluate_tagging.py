from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.evaluation import GoldError, demo_links, evaluate, gold_paths, load_gold, unknown_names


class Command(BaseCommand):
    help = (
        "Score the tagger against gold files: entities, events, curated-event links, relevance and publication "
        "dates, per language (see articles.evaluation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="*", metavar="GOLD", help="gold YAML files or folders of them")
        parser.add_argument(
            "--demo", nargs="?", const="content/demo/curated.yaml", metavar="ANNOTATIONS",
            help="also score the stored demo corpus's timeline links against these annotations "
                 "(default content/demo/curated.yaml)",
        )
        parser.add_argument("--seeds-dir", help="where gold files' text_file live (default: NEWSROOM_SEEDS_DIR or ../shared/seeds)")
        parser.add_argument("--details", action="store_true", help="list what each article missed or added")

    def handle(self, *args, gold, seeds_dir, details, demo, **options):
        if demo:
            self._demo(Path(demo), details)
            if not gold:
                return
        try:
            golds = [load_gold(path, Path(seeds_dir) if seeds_dir else None) for path in gold_paths(gold)]
        except GoldError as exc:
            raise CommandError(str(exc)) from exc
        if not golds:
            raise CommandError("no gold files found")
        for problem in unknown_names(golds):
            self.stderr.write(f"warning: {problem}")
        by_language = defaultdict(list)
        for article in golds:
            by_language[article.language].append(article)
        for language, articles in sorted(by_language.items()):
            evaluation = evaluate(articles)
            if details:
                for result in evaluation.articles:
                    self._details(result)
            self.stdout.write(f"{len(articles)} gold articles ({language})")
            self.stdout.write(evaluation.table())

    def _demo(self, path: Path, details: bool) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such annotations file")
        result = demo_links(path)
        if details:
            for title, slug in result.missed:
                self.stdout.write(f"  missed: {slug} <- {title}")
            for title, slug in result.unannotated:
                self.stdout.write(f"  not annotated: {slug} <- {title}")
            for title in result.absent:
                self.stdout.write(f"  not in the database: {title}")
        self.stdout.write(result.table())

    def _details(self, result) -> None:
        lines = [f"  {kind} missed: {sorted(names)}" for kind, names in result.missed.items() if names]
        lines += [f"  {kind} extra: {sorted(names)}" for kind, names in result.extra.items() if names]
        lines += [f"  event missed: {event}" for event in result.events_missed]
        lines += [f"  event extra: {event} <- {event.sentence[:160]}" for event in result.events_extra]
        lines += [f"  event the gold forbids: {event} <- {event.sentence[:160]}" for event in result.events_forbidden]
        if result.forbidden:
            lines.append(f"  people that must not be found: {sorted(result.forbidden)}")
        if result.published_right is False or result.after_fetch:
            lines.append(f"  publication: expected {result.gold.expected_published}, settled on {result.published}")
        if result.gold.relevant is not None and result.gold.relevant != result.relevant:
            lines.append(f"  relevance: judged {result.relevant}, gold {result.gold.relevant}")
        if lines:
            self.stdout.write(result.gold.path.name)
            self.stdout.write("\n".join(lines))
