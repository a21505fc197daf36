"""The re-anchoring rule's comparison: which changes are a different fact, which are not."""

from __future__ import annotations

import pytest

from generator.annotations.anchoring import AnchorIndex, Selector, Status, TextBlock
from generator.annotations.anchoring.facts import Names, conflict, context_conflict

ARTICLE = Names("Prices fell. The minister, Lee Jae-sung, met 박지민 씨 on Monday. prices rose.")


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("on May 3, 2024", "on May 4, 2024", "number"),  # dates
        ("on 2024-05-03", "on 2024-05-04", "number"),
        ("fell 12.5 percent", "fell 12.6 percent", "number"),  # percentages
        ("fell 12%", "fell 13 per cent", "number"),
        ("costs $5 million", "costs $5 billion", "number"),  # amounts with units
        ("a 12 km queue", "a 12 mile queue", "number"),
        ("costs €5", "costs $5", "number"),
        ("the third quarter", "the fourth quarter", "number"),
        ("said Team Alpha", "said Team Beta", "name"),  # names
        ("Kim Ji-won said", "Kim Ji-woo said", "name"),
        ("met on Monday", "met on Tuesday", "name"),
        ("the iPhone sold", "the iPad sold", "name"),
        ("김지원 대변인이 말했다", "김지우 대변인이 말했다", "name"),  # Korean names
        ("지원 씨가 말했다", "지우 씨가 말했다", "name"),
        ("the board did not approve", "the board did approve", "negation"),  # negations
        ("the board didn't approve", "the board did approve", "negation"),
        ("there is no evidence", "there is evidence", "negation"),
        ("it has never happened", "it has ever happened", "negation"),
        ("they can't pay", "they can pay", "negation"),
        ("합의하지 않았다", "합의했다", "negation"),
        ("三人が参加した", "四人が参加した", "number"),  # numerals in a caseless script
        ("Premier 李强 said", "Premier 王毅 said", "letters"),  # letters without case
        ("राहुल ने कहा", "रहुल ने कहा", "letters"),  # a vowel sign is a letter
        ("สมชาย กล่าว", "สมชัย กล่าว", "letters"),
    ],
)
def test_a_changed_fact_is_a_conflict(old: str, new: str, kind: str) -> None:
    found = conflict(old, new, ARTICLE, new_lead=False)
    assert found is not None
    assert found.kind == kind


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("held its benchmark rate stedy", "held its benchmark rate steady"),  # typo
        ("fell twelve percent", "fell 12%"),  # a spelled number and its digits
        ("fell 12 per cent", "fell 12 percent"),
        ("the board didn't approve", "the board did not approve"),
        ("Kim Ji won said", "Kim Ji-won said"),  # hyphenation
        ("THE MINISTER SAID", "the minister said"),  # case
        ("the minister spoke", "the minister said"),  # an ordinary word
        ("인공지능 보안 시험에 합의했다", "인공지능 안전 시험에 합의했다"),
        ("三人が参加した", "3人が参加した"),  # a numeral and its digit
        ("٣ أشخاص", "3 أشخاص"),
        ("メアリー・スミス氏", "メアリースミス氏"),  # punctuation between letters
    ],
)
def test_a_reworded_passage_says_the_same_thing(old: str, new: str) -> None:
    assert conflict(old, new, ARTICLE, new_lead=False) is None


def test_a_capital_at_a_sentence_start_is_a_name_only_if_the_article_says_so() -> None:
    assert conflict("Prices fell", "Costs fell", ARTICLE) is not None  # never "costs"
    assert conflict("Prices fell", "prices fell", ARTICLE) is None


def test_context_compares_the_words_next_to_the_quote() -> None:
    assert context_conflict("Team Alpha ", "growth. Team Beta", ARTICLE, before=True)
    assert context_conflict("eam Alpha ", "growth. Team Alpha", ARTICLE, before=True) is None
    assert context_conflict(" in June", "in June, said", ARTICLE, before=False) is None
    assert context_conflict(" in June", "in July, said", ARTICLE, before=False)


def test_a_refused_candidate_makes_way_for_one_that_says_the_same_thing() -> None:
    blocks = (
        TextBlock(0, "Team Beta reported a 12 percent rise in riders last year.", 1),
        TextBlock(1, "Team Alpha reported a 12 percent increase in riders last year.", 3),
    )
    result = AnchorIndex(blocks).anchor(
        Selector(quote="Team Alpha reported a 12 percent rise in riders")
    )
    assert result.status is Status.FUZZY
    assert result.exact == "Team Alpha reported a 12 percent increase in riders"


def test_a_refused_candidate_is_the_suggestion() -> None:
    blocks = (TextBlock(0, "Fares rose 13 percent in the first quarter.", 1),)
    result = AnchorIndex(blocks).anchor(Selector(quote="Fares rose 12 percent in the first"))
    assert result.status is Status.NOT_FOUND
    assert result.closest_text == "Fares rose 13 percent in the first"
    assert result.reason == "the closest passage differs in a number: 12 → 13"


def test_exact_but_repeated_quotes_are_told_apart_by_context() -> None:
    blocks = (TextBlock(0, "In June the Fed held. In July the Fed cut.", 1),)
    index = AnchorIndex(blocks)
    found = index.anchor(Selector(quote="the Fed", prefix="in July "))
    assert (found.status, found.spans[0].start) == (Status.CONTEXT_CHANGED, 30)
    refused = index.anchor(Selector(quote="the Fed", prefix="In August "))
    assert refused.status is Status.NOT_FOUND
