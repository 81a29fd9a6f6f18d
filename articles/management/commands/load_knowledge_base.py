from django.core.management.base import BaseCommand, CommandError

from articles.knowledge_base import DATA_DIR, KnowledgeBaseError, load_knowledge_base


class Command(BaseCommand):
    help = "Load (or refresh) the reviewed knowledge base from its data files; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR), help="folder of the YAML files")

    def handle(self, *args, data_dir, **options):
        from pathlib import Path

        try:
            report = load_knowledge_base(Path(data_dir))
        except KnowledgeBaseError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Knowledge base loaded: {report.summary()}"))
