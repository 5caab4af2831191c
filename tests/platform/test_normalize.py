"""X-4: free text keeps what a reader needs while identifiers are normalised (docregsys.identity.normalize)."""


def test_prose_keeps_chinese_punctuation_but_normalises_the_rest():
    """X-4: a reason keeps its "，" and "；" (what the doctor reads); full-width letters and digits become ASCII."""
    from docregsys.identity.normalize import normalize_prose

    assert (
        normalize_prose(" 材料不全，请补交《健康证明》；ＡＢＣ１２３！ ")
        == "材料不全，请补交《健康证明》；ABC123！"
    )
    assert normalize_prose("e\u0301，x²") == "é，x2"
