"""The anchoring engine: exact, context, ambiguous, fuzzy, missing, scripts, passages."""

from __future__ import annotations

import random
import unicodedata

import pytest

from generator.annotations.anchoring import (
    Anchor,
    AnchorIndex,
    Segment,
    Selector,
    Span,
    Status,
    TextBlock,
    anchor,
    normalize_text,
    segment_block,
    word_diff,
)
from generator.annotations.anchoring.myers import column_distances, end_distances
from generator.annotations.anchoring.normalize import normalize

FED = (
    TextBlock(
        0,
        "The Federal Reserve held its benchmark rate steady on Wednesday, the fifth "
        "straight meeting without a change.",
        10,
    ),
    TextBlock(
        1,
        "Officials said inflation “remains elevated” — and that the labour market is still tight.",
        12,
    ),
    TextBlock(
        2,
        "Markets now expect a cut in September. The central bank did not comment on inflation.",
        14,
    ),
)
RATES = (
    TextBlock(
        0, "In March the rate stayed at 5 percent. In April the rate stayed at 5 percent.", 1
    ),
    TextBlock(
        1, "Officials said inflation remains elevated and officials said growth remains slow.", 3
    ),
)


def at(blocks: tuple[TextBlock, ...], span: Span) -> str:
    return blocks[span.block].text[span.start : span.end]


@pytest.fixture(scope="module")
def fed() -> AnchorIndex:
    return AnchorIndex(FED)


@pytest.fixture(scope="module")
def rates() -> AnchorIndex:
    return AnchorIndex(RATES)


# -- exact and context ----------------------------------------------------------------------


def test_exact_quote(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="the fifth straight meeting"))
    assert result == Anchor(
        Status.EXACT,
        spans=(Span(0, 65, 91),),
        similarity=1.0,
        exact="the fifth straight meeting",
        prefix="benchmark rate steady on Wednesday, ",
        suffix=" without a change. Officials said",
    )


def test_anchor_function_matches_the_index() -> None:
    selector = Selector(quote="held its benchmark rate steady")
    assert anchor(FED, selector) == AnchorIndex(FED).anchor(selector)
    assert anchor(FED, selector).spans == (Span(0, 20, 50),)


def test_prefix_disambiguates(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="inflation", prefix="comment on "))
    assert (result.status, result.spans) == (Status.EXACT, (Span(2, 75, 84),))
    assert (result.prefix, result.suffix) == ("central bank did not comment on ", ".")


def test_suffix_disambiguates(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="inflation", suffix='"remains'))
    assert (result.status, result.spans) == (Status.EXACT, (Span(1, 15, 24),))


def test_context_changed_keeps_the_best_hit(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="inflation", prefix="Officials say "))
    assert result.status is Status.CONTEXT_CHANGED
    assert result.status.anchored
    assert result.spans == (Span(1, 15, 24),)
    assert result.detail == "the prefix/suffix no longer sits next to the quote"


def test_context_changed_for_a_single_hit(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(quote="growth remains slow", prefix="they said "))
    assert (result.status, result.spans) == (Status.CONTEXT_CHANGED, (Span(1, 61, 80),))


def test_ambiguous_lists_occurrences_and_suggests_a_prefix(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(quote="the rate stayed at 5 percent"))
    assert result.status is Status.AMBIGUOUS
    assert not result.status.anchored
    assert result.spans == ()
    assert result.occurrences == (Span(0, 9, 37), Span(0, 48, 76))
    assert result.suggested_prefix == "March "
    assert result.detail == "the quote occurs 2 times"
    fixed = rates.anchor(Selector(quote="the rate stayed at 5 percent", prefix="March "))
    assert (fixed.status, fixed.spans) == (Status.EXACT, (Span(0, 9, 37),))


def test_ambiguous_suggestion_needs_more_than_one_word(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(quote="remains"))
    assert result.occurrences == (Span(1, 25, 32), Span(1, 68, 75))
    assert result.suggested_prefix == "inflation "


def test_ambiguous_falls_back_to_a_suffix() -> None:
    index = AnchorIndex([TextBlock(0, "rates rose. rates fell.", 1)])
    result = index.anchor(Selector(quote="rates"))
    assert (result.suggested_prefix, result.suggested_suffix) == ("", " rose.")


def test_all_marks_every_occurrence(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="inflation", all=True))
    assert result.status is Status.EXACT
    assert result.spans == (Span(1, 15, 24), Span(2, 75, 84))
    assert result.occurrences == result.spans
    assert (result.prefix, result.suffix) == ("", "")


def test_all_skips_overlapping_occurrences() -> None:
    result = anchor([TextBlock(0, "ha ha ha ha", 1)], Selector(quote="ha ha", all=True))
    assert result.spans == (Span(0, 0, 5), Span(0, 6, 11))


def test_a_quote_does_not_match_inside_a_word() -> None:
    result = anchor([TextBlock(0, "The Federal Reserve and The Fed", 1)], Selector(quote="The Fed"))
    assert (result.status, result.spans) == (Status.EXACT, (Span(0, 24, 31),))
    korean = anchor([TextBlock(0, "서울에서 열린 회의", 1)], Selector(quote="서울"))
    assert (korean.status, korean.spans) == (Status.EXACT, (Span(0, 0, 2),))


def test_w3c_context_grows_until_unique() -> None:
    text = "a " + "x " * 30 + "Q " + "x " * 30 + "b " + "x " * 30 + "Q " + "x " * 30
    blocks = [TextBlock(0, text, 1)]
    result = anchor(blocks, Selector(quote="Q", prefix="a " + "x " * 30))
    assert (result.status, result.spans) == (Status.EXACT, (Span(0, 62, 63),))
    assert result.prefix == "a " + "x " * 30
    assert result.suffix == " x" * 30 + " b x"
    unsure = anchor(blocks, Selector(quote="Q", prefix="x x"))
    assert unsure.status is Status.AMBIGUOUS
    assert (unsure.suggested_prefix, unsure.suggested_suffix) == ("", "")  # 12 words at most


# -- approximate matches --------------------------------------------------------------------


def test_typo_fixed_reanchors_fuzzy(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="held its benchmark rate stedy on Wednesday"))
    assert result.status is Status.FUZZY
    assert result.spans == (Span(0, 20, 63),)
    assert result.exact == "held its benchmark rate steady on Wednesday"
    assert result.similarity == pytest.approx(1 - 1 / 42)
    assert result.word_diff == "held its benchmark rate [-stedy-]{+steady+} on Wednesday"


def test_changed_word_reanchors_fuzzy(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="the fifth straight meeting with no change"))
    assert result.status is Status.NOT_FOUND  # "no" is a negation: see test_facts.py
    result = fed.anchor(Selector(quote="the fifth straight session without a change"))
    assert result.status is Status.FUZZY
    assert at(FED, result.spans[0]) == "the fifth straight meeting without a change"
    assert result.word_diff == "the fifth straight [-session-]{+meeting+} without a change"


def test_fuzzy_match_widens_to_whole_words(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="held its benchmark rate stedd"))
    assert result.status is Status.FUZZY
    assert result.exact == "held its benchmark rate steady"
    assert result.similarity == pytest.approx(1 - 2 / 29)


def test_below_threshold_is_not_found_with_the_closest_passage(fed: AnchorIndex) -> None:
    quote = "held its benchmark rate unchanged on Wednesday, the fifth straight meeting"
    result = fed.anchor(Selector(quote=quote), threshold=0.9)
    assert result.status is Status.NOT_FOUND
    assert result.spans == ()
    assert result.closest == Span(0, 20, 91)
    assert result.closest_text == (
        "held its benchmark rate steady on Wednesday, the fifth straight meeting"
    )
    assert result.closest_similarity == pytest.approx(1 - 8 / 74)
    assert result.word_diff == (
        "held its benchmark rate [-unchanged-]{+steady+} on Wednesday, the fifth straight meeting"
    )
    lenient = fed.anchor(Selector(quote=quote), threshold=0.85)
    assert (lenient.status, lenient.spans) == (Status.FUZZY, (Span(0, 20, 91),))


def test_missing_quote_shows_the_closest_sentence(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="interest rates rose sharply in Japan last year"))
    assert result.status is Status.NOT_FOUND
    assert result.closest == Span(2, 0, 37)
    assert result.closest_text == "Markets now expect a cut in September"
    assert result.closest_similarity == pytest.approx(1 - 34 / 46)
    assert result.detail == "not found"


def test_equally_close_matches_are_ambiguous(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(quote="the rate stayd at 5 percent"))
    assert result.status is Status.AMBIGUOUS
    assert result.occurrences == (Span(0, 9, 37), Span(0, 48, 76))
    assert result.similarity == pytest.approx(1 - 1 / 27)
    assert result.suggested_prefix == "March "
    assert result.word_diff == "the rate [-stayd-]{+stayed+} at 5 percent"


def test_context_breaks_a_fuzzy_tie(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(quote="the rate stayd at 5 percent", prefix="In April "))
    assert (result.status, result.spans) == (Status.FUZZY, (Span(0, 48, 76),))


def test_empty_quote_is_not_found(fed: AnchorIndex) -> None:
    assert fed.anchor(Selector(quote=" \u200b ")) == Anchor(
        Status.NOT_FOUND, detail="the quote is empty"
    )


# -- normalisation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        'inflation "remains elevated" - and that',  # straight quotes, hyphen for an em dash
        "inflation “remains elevated” ― and that",  # another dash
        "inflation\u00a0“remains  elevated”\n— and\u2009that",  # NBSP, runs, thin space
        "infla\u00adtion “remains ele\u200bvated” – and that",  # soft hyphen, zero width
    ],
)
def test_quote_styles_and_spaces_do_not_matter(fed: AnchorIndex, quote: str) -> None:
    result = fed.anchor(Selector(quote=quote))
    assert (result.status, result.spans) == (Status.EXACT, (Span(1, 15, 54),))
    assert result.exact == "inflation “remains elevated” — and that"


def test_nfc_and_nfd_match_each_other() -> None:
    nfc, nfd = (
        unicodedata.normalize("NFC", "café crème"),
        unicodedata.normalize("NFD", "café crème"),
    )
    blocks = [TextBlock(0, f"Le {nfd} coûte plus cher.", 1)]
    result = anchor(blocks, Selector(quote=nfc))
    assert (result.status, result.spans) == (Status.EXACT, (Span(0, 3, 15),))
    assert result.exact == nfc  # W3C exports are NFC


def test_quote_spanning_former_formatting_and_a_soft_break() -> None:
    # From "The **Federal** [Reserve](https://…)\nheld": inline markup is gone, the
    # soft break is a newline.
    blocks = [TextBlock(0, "The Federal Reserve\nheld rates.", 4)]
    result = anchor(blocks, Selector(quote="Federal Reserve held"))
    assert (result.status, result.spans) == (Status.EXACT, (Span(0, 4, 24),))
    assert result.exact == "Federal Reserve held"


def test_case_sensitive_unless_asked(fed: AnchorIndex) -> None:
    assert fed.anchor(Selector(quote="THE FIFTH STRAIGHT MEETING")).status is Status.NOT_FOUND
    folded = AnchorIndex(FED, ignore_case=True).anchor(Selector(quote="THE FIFTH straight MEETING"))
    assert (folded.status, folded.spans) == (Status.EXACT, (Span(0, 65, 91),))


def test_normalize_maps_back_to_the_original() -> None:
    text = "  “Hi”\u00a0 —\tﬁne\u00adly  "
    norm = normalize(text)
    assert norm.text == '"Hi" - finely'
    pieces = [text[norm.original_start(i) : norm.original_end(i + 1)] for i in range(13)]
    assert pieces == ["“", "H", "i", "”", "\u00a0 ", "—", "\t", "ﬁ", "ﬁ", "n", "e", "l", "y"]
    assert normalize_text("A\u200b \u200bB") == "A B"


# -- other scripts --------------------------------------------------------------------------

KOREAN = (
    TextBlock(
        0, "한국은행은 기준금리를 연 3.5%로 동결했다. 물가 상승률이 여전히 높기 때문이다.", 1
    ),
)
CHINESE = (
    TextBlock(
        0,
        "中国人民银行周三宣布，将一年期贷款市场报价利率维持在3.45%不变。"
        "分析人士认为，“降息窗口”仍然存在。",
        1,
    ),
)


def test_korean_quote_in_nfd() -> None:
    quote = unicodedata.normalize("NFD", "기준금리를 연 3.5%로 동결했다")
    result = anchor(KOREAN, Selector(quote=quote))
    assert (result.status, result.spans) == (Status.EXACT, (Span(0, 6, 24),))
    assert result.exact == "기준금리를 연 3.5%로 동결했다"
    assert result.prefix == "한국은행은 "


def test_korean_typo_reanchors() -> None:
    result = anchor(KOREAN, Selector(quote="물가 상승율이 여전히 높기 때문이다"))
    assert (result.status, result.spans) == (Status.FUZZY, (Span(0, 26, 45),))
    assert result.word_diff == "물가 [-상승율이-]{+상승률이+} 여전히 높기 때문이다"


def test_chinese_quote_with_halfwidth_punctuation() -> None:
    result = anchor(CHINESE, Selector(quote='分析人士认为,"降息窗口"仍然存在'))
    assert (result.status, result.spans) == (Status.EXACT, (Span(0, 34, 51),))
    assert result.exact == "分析人士认为，“降息窗口”仍然存在"
    assert result.suffix == "。"


def test_chinese_changed_character_is_refused() -> None:
    # In a script without capitals any changed letter may be a name: the note stays
    # unanchored (issue 15), with the passage as the closest one.
    result = anchor(CHINESE, Selector(quote="一年期贷款市场报价利率保持在3.45%"))
    assert result.status is Status.NOT_FOUND
    assert result.closest == Span(0, 12, 31)
    assert result.reason == (
        "the closest passage differs in letters a name may be written with: 保 → 维"
    )


def test_chinese_ambiguity_suggests_characters() -> None:
    blocks = [TextBlock(0, "央行维持利率。财政部维持利率。", 1)]
    result = anchor(blocks, Selector(quote="维持利率"))
    assert result.occurrences == (Span(0, 2, 6), Span(0, 10, 14))
    assert result.suggested_prefix == "行"


def test_arabic_quote() -> None:
    blocks = [TextBlock(0, "قال البنك المركزي إن التضخم لا يزال مرتفعا في البلاد.", 1)]
    result = anchor(blocks, Selector(quote="التضخم لا يزال مرتفعا"))
    assert (result.status, result.spans) == (Status.EXACT, (Span(0, 21, 42),))


# -- passages and block boundaries ----------------------------------------------------------


def test_from_to_across_two_blocks(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(start="labour market", end="in September."))
    assert result.status is Status.EXACT
    assert result.spans == (Span(1, 59, 88), Span(2, 0, 38))
    assert [at(FED, span) for span in result.spans] == [
        "labour market is still tight.",
        "Markets now expect a cut in September.",
    ]
    assert result.exact == "labour market is still tight. Markets now expect a cut in September."
    assert result.crosses_blocks


def test_from_to_takes_the_first_following_end(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(start="the rate stayed", end="percent."))
    assert result.spans == (Span(0, 9, 38),)


def test_from_to_with_a_typo_is_fuzzy(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(start="Officials sayd inflation", end="growth"))
    assert (result.status, result.spans) == (Status.FUZZY, (Span(1, 0, 67),))
    assert result.word_diff == "from: Officials [-sayd-]{+said+} inflation"


def test_from_to_end_before_start_is_not_found(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(start="growth", end="In April"))
    assert result.status is Status.NOT_FOUND
    assert result.detail == "the `to` text occurs only before the `from` text"


def test_from_missing_is_not_found(rates: AnchorIndex) -> None:
    result = rates.anchor(Selector(start="Unemployment fell", end="slow."))
    assert result.status is Status.NOT_FOUND
    assert result.detail == "the `from` text is not found"


def test_quote_across_blocks_is_split(fed: AnchorIndex) -> None:
    result = fed.anchor(Selector(quote="still tight. Markets now"))
    assert result.spans == (Span(1, 76, 88), Span(2, 0, 11))
    assert result.crosses_blocks


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"quote": "a", "start": "b", "end": "c"},
        {"start": "b"},
        {"start": "a", "end": "b", "all": True},
    ],
)
def test_malformed_selectors_are_refused(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Selector(**kwargs)  # type: ignore[arg-type]


# -- segments -------------------------------------------------------------------------------


def test_overlapping_and_nested_segments() -> None:
    marks = [("a", 0, 5), ("c", 2, 9), ("b", 5, 8), ("d", 3, 4), ("empty", 7, 7)]
    assert segment_block("abcdefghij", marks) == (
        Segment(0, 2, ("a",)),
        Segment(2, 3, ("a", "c")),
        Segment(3, 4, ("a", "c", "d"), ("d",)),
        Segment(4, 5, ("a", "c"), ("a",)),
        Segment(5, 8, ("c", "b"), ("b",)),
        Segment(8, 9, ("c",), ("c",)),
        Segment(9, 10, ()),
    )


def test_adjacent_segments_stay_apart() -> None:
    assert segment_block("one two", [("x", 0, 3), ("y", 3, 7)]) == (
        Segment(0, 3, ("x",), ("x",)),
        Segment(3, 7, ("y",), ("y",)),
    )


def test_segment_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        segment_block("abc", [("x", 1, 4)])


# -- helpers --------------------------------------------------------------------------------


def test_word_diff() -> None:
    assert word_diff(
        "held the benchmark rate steady for a fifth straight meeting",
        "kept its benchmark rate unchanged for a fifth consecutive meeting",
    ) == (
        "[-held the-]{+kept its+} benchmark rate [-steady-]{+unchanged+} for a fifth "
        "[-straight-]{+consecutive+} meeting"
    )
    assert word_diff("it’s “fine”", 'it\'s "fine" now') == 'it\'s "fine" {+now+}'
    assert word_diff("a b c", "a c") == "a [-b-] c"


def _levenshtein_rows(pattern: str, text: str, anchored: bool) -> list[int]:
    previous = list(range(len(text) + 1)) if anchored else [0] * (len(text) + 1)
    for i, char in enumerate(pattern, 1):
        current = [i] + [0] * len(text)
        for j, other in enumerate(text, 1):
            current[j] = min(previous[j - 1] + (char != other), previous[j] + 1, current[j - 1] + 1)
        previous = current
    return previous


def test_bit_parallel_distances_match_the_textbook_table() -> None:
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice("ab c") for _ in range(rng.randint(0, 30)))
        pattern = "".join(rng.choice("ab c") for _ in range(rng.randint(1, 10)))

        def mask(char: str, text: str = text) -> int:
            return sum(1 << j for j, other in enumerate(text) if other == char)

        expected = _levenshtein_rows(pattern, text, anchored=False)
        assert end_distances(pattern, mask, len(text)) == expected
        assert column_distances(pattern, text) == expected
        assert column_distances(pattern, text, anchored=True) == _levenshtein_rows(
            pattern, text, anchored=True
        )
