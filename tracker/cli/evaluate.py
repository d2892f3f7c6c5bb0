"""``tracker evaluate``: accuracy against gold files."""

from __future__ import annotations

import click

from .app import dump, fail, main


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--errors", "show_errors", is_flag=True, help="List every miss with its context.")
@click.option("--json", "as_json", is_flag=True)
def evaluate(gold, show_errors, as_json):
    """Measure accuracy on a gold file: an annotated corpus (documents with "text" and
    "mentions") or which-region questions ("query", "context_hint")."""
    from ..errors import TrackerError
    from ..evaluate import evaluate_corpus, evaluate_which_region, read_jsonl

    try:
        rows = read_jsonl(gold)
        if rows and "text" in rows[0] and "mentions" in rows[0]:
            report = evaluate_corpus(gold)
            if as_json:
                click.echo(
                    dump(
                        {
                            "documents": report.documents,
                            "precision": report.precision,
                            "recall": report.recall,
                            "f1": report.f1,
                            "settlements": report.settlements,
                            "found": report.share(report.found, report.settlements),
                            "exact": report.share(report.exact, report.settlements),
                            "oblast": report.share(report.oblast, report.settlements),
                            "hromada": report.share(report.hromada, report.hromada_total),
                            "ambiguous": report.ambiguous,
                            "ambiguous_exact": report.share(
                                report.ambiguous_exact, report.ambiguous
                            ),
                            "ambiguous_oblast": report.share(
                                report.ambiguous_oblast, report.ambiguous
                            ),
                            "errors": report.errors if show_errors else len(report.errors),
                        }
                    )
                )
                return
            click.echo(report.summary())
            if show_errors:
                for e in report.errors:
                    click.echo(dump(e))
            return
        report = evaluate_which_region(gold)
    except TrackerError as err:
        fail(err)
    if as_json:
        click.echo(
            dump(
                {
                    "questions": report.total,
                    "settlement_first": report.settlement_accuracy,
                    "hromada_first": report.hromada_accuracy,
                    "oblast_first": report.oblast_accuracy,
                    "errors": report.errors if show_errors else len(report.errors),
                }
            )
        )
        return
    click.echo(report.summary())
    if show_errors:
        for e in report.errors:
            click.echo(dump(e))
