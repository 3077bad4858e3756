from __future__ import annotations

from index.terms.sentence_keys import sentence_key, text_key


def test_the_text_key_ignores_case_spacing_and_punctuation() -> None:
    assert text_key("The  Pentagon said: “talks resume.”") == "the pentagon said talks resume"
    assert text_key("the Pentagon said talks resume") == text_key("THE PENTAGON SAID, TALKS RESUME")
    assert text_key("The Pentagon said no.") != text_key("The Pentagon said so.")


def test_copies_share_a_64_bit_key_and_other_sentences_do_not() -> None:
    key = sentence_key("The bridge is red.")
    assert key == sentence_key("the bridge is RED")
    assert 0 <= key < 2**64
    assert key != sentence_key("The bridge is blue.")
    # A digest, not Python's per-process hash: the same in every process and release.
    assert key == int.from_bytes(
        __import__("hashlib").blake2b(b"the bridge is red", digest_size=8).digest(), "little"
    )
