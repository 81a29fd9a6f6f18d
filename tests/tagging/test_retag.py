"""Re-tagging: editors win, the tagger version is recorded, jobs resume after an interruption."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import ArticlePerson, ArticleTopic, DecidedBy, Person, RetagJob, Topic
from articles.tagging import TAGGER_VERSION, article_tag, batches
from articles.tagging import retag as retag_module
from articles.tagging.editorial import tag_decide
from articles.tagging.retag import retag_job_request, retag_job_step

pytestmark = pytest.mark.django_db

TEXTS = [
    "Zalmay Khalilzad met Mullah Abdul Ghani Baradar in Doha on Monday to discuss a reduction in violence.",
    "Ashraf Ghani and Abdullah Abdullah met in Kabul on Tuesday about the peace talks.",
    "Imran Khan said on Wednesday that Pakistan supported a political settlement in Afghanistan.",
    "Sergey Lavrov hosted the Moscow format talks on Afghanistan on Thursday.",
]


@pytest.fixture
def articles(make_article):
    return [make_article(text, published=dt.date(2021, 3, 12)) for text in TEXTS]


def test_editors_decisions_survive_retag_all(articles):
    first = articles[0]
    article_tag(article=first)
    khalilzad = Person.objects.get(slug="zalmay-khalilzad")
    lavrov = Person.objects.get(slug="sergey-lavrov")
    tag_decide(article=first, entity=khalilzad, rejected=True)
    tag_decide(article=first, entity=lavrov, rejected=False)

    call_command("retag", "--all", stdout=io.StringIO())

    links = {link.person.slug: link for link in ArticlePerson.objects.filter(article=first)}
    assert links["zalmay-khalilzad"].rejected and links["zalmay-khalilzad"].decided_by == DecidedBy.EDITOR
    assert links["sergey-lavrov"].decided_by == DecidedBy.EDITOR and not links["sergey-lavrov"].rejected
    assert links["abdul-ghani-baradar"].decided_by == DecidedBy.TAGGER
    for article in articles:
        article.refresh_from_db()
        assert article.tagger_version == TAGGER_VERSION and article.status == "tagged"


def test_an_interrupted_retag_resumes_where_it_stopped(articles, monkeypatch):
    calls = []
    real_step = retag_module.retag_job_step

    def step_then_interrupt(**kwargs):
        if calls:
            raise KeyboardInterrupt
        calls.append(1)
        return real_step(**kwargs)

    monkeypatch.setattr("articles.management.commands.retag.retag_job_step", step_then_interrupt)
    with pytest.raises(CommandError, match="Run the same command to resume"):
        call_command("retag", "--all", "--batch-size", "2", stdout=io.StringIO())
    job = RetagJob.objects.get()
    assert job.is_active and job.cursor == articles[1].pk and job.examined == 2

    monkeypatch.undo()
    out = io.StringIO()
    call_command("retag", "--all", "--batch-size", "2", stdout=out)
    assert f"Resuming re-tag job {job.pk} after article {articles[1].pk}" in out.getvalue()
    job.refresh_from_db()
    assert job.status == "done" and job.examined == 4 and job.progress == 1.0
    assert all(a.status == "tagged" for a in type(articles[0]).objects.filter(pk__in=[a.pk for a in articles]))


def test_stale_retags_only_articles_of_an_older_tagger(articles):
    for article in articles:
        article_tag(article=article)
    stale = articles[2]
    type(stale).objects.filter(pk=stale.pk).update(tagger_version=TAGGER_VERSION - 1)
    before = {a.pk: type(a).objects.get(pk=a.pk).tagged_at for a in articles}

    call_command("retag", "--stale", stdout=io.StringIO())

    after = {a.pk: type(a).objects.get(pk=a.pk).tagged_at for a in articles}
    assert [pk for pk in before if before[pk] != after[pk]] == [stale.pk]
    assert RetagJob.objects.get().retagged == 1


def test_one_unfinished_job_per_kind(articles):
    first = retag_job_request(kind="all")
    assert retag_job_request(kind="all").pk == first.pk
    retag_job_step(job_id=first.pk, batch_size=100)
    assert retag_job_request(kind="all").pk != first.pk  # the first one is done


def test_a_topic_job_rewrites_only_the_articles_whose_topic_changes(articles):
    for article in articles:
        article_tag(article=article)
    topic = Topic.objects.get(slug="moscow-format-talks")
    lavrov_article, others = articles[3], articles[:3]
    assert ArticleTopic.objects.filter(article=lavrov_article, topic=topic).exists()
    before = {a.pk: type(a).objects.get(pk=a.pk).tagged_at for a in others}

    topic.rules = {"phrases": [{"phrase": "peace talks", "weight": 10}], "entities": []}
    topic.save()
    job = retag_job_request(kind="topic", topic=topic)
    while job.is_active:
        job = retag_job_step(job_id=job.pk)

    assert not ArticleTopic.objects.filter(article=lavrov_article, topic=topic).exists()
    assert ArticleTopic.objects.filter(article=articles[1], topic=topic).exists()  # 'peace talks'
    assert job.retagged == 2
    unchanged = [a for a in others if a.pk != articles[1].pk]
    assert all(type(a).objects.get(pk=a.pk).tagged_at == before[a.pk] for a in unchanged)


def test_a_failing_article_is_counted_and_the_job_goes_on(articles, monkeypatch):
    real = batches.article_analyze

    def fail_on_second(*, article, index):
        if article.pk == articles[1].pk:
            raise ValueError("broken text")
        return real(article=article, index=index)

    monkeypatch.setattr(batches, "article_analyze", fail_on_second)
    job = retag_job_request(kind="all")
    job = retag_job_step(job_id=job.pk)
    assert job.status == "done" and job.failures == 1 and job.retagged == 3
    assert f"article {articles[1].pk}: ValueError: broken text" == job.last_error


def test_the_task_hands_over_to_a_fresh_task_until_the_job_is_done(articles, monkeypatch):
    from articles.tagging import tasks

    monkeypatch.setattr(tasks, "RETAG_TIME_BUDGET_SECONDS", 0)
    job = retag_job_request(kind="all")
    assert tasks.retag_job_run.delay(job.pk, 1).get() == "running"  # one batch, then a new task
    job.refresh_from_db()
    assert job.status == "done" and job.examined == len(articles)
    assert tasks.retag_job_run.delay(job.pk).get() == "done"  # a finished job is a no-op
    job.refresh_from_db()
    assert job.examined == len(articles)
