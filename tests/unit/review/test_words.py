from clearmyrecord_desktop.review import words


def test_parse_token_and_words():
    tok = words.parse_token("D1|definite|187(A) PC|2000-11-20|BA041776|001002001000")
    assert tok.code == "D1" and tok.cnt_order == "001002001000"
    assert "super strike" in tok.words and "BA041776" in tok.words
    assert words.parse_token("garbage") is None
    assert len(words.parse_tokens("D3|possible|11359 HS|1999|X|001002001000;;")) == 1


def test_every_vocabulary_word_is_covered():
    assert set(words.DETERMINATION_WORDS) == {"dismiss_and_seal", "reduce_to_misdemeanor",
                                             "reduce_to_infraction", "no_relief", "hand_review"}
    assert len(words.UNKNOWN_FACT_WORDS) == 13
    assert words.fact_words("age_unknown;level_unknown")[1].startswith("The record")


def test_uncertainty_notes():
    notes = words.uncertainty_notes("stat.attempt", "quantity_unknown", [])
    assert len(notes) == 2
    assert words.uncertainty_notes("stat.11357b.misdemeanor.adult.dismiss", "", []) == []
