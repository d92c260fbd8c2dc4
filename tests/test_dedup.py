from diplograph.dedup import NearDuplicateIndex, content_hash, normalise_for_hash

STORY = (
    "The foreign ministers of Chile and Argentina met in Santiago on Tuesday and signed a memorandum to study "
    "a road tunnel under the Agua Negra pass. The project would cut travel times for lorries crossing the Andes "
    "and keep the route open during winter storms, officials said. Funding will come partly from a regional "
    "development bank, and a joint commission will report on costs within a year. Both governments said the "
    "tunnel would strengthen trade links with Brazil and the Pacific ports."
)
LIGHTLY_EDITED = (
    "Share on Facebook\nThe foreign ministers of Chile and Argentina met in Santiago on Tuesday and signed a "
    "memorandum to study a road tunnel under the Agua Negra pass. The project would cut travel times for lorries "
    "crossing the Andes and keep the route open during winter storms, officials said on Tuesday. Funding will come "
    "partly from a regional development bank, and a joint commission will report on costs within a year. Both "
    "governments said the tunnel would strengthen trade links with Brazil and the Pacific ports.\nTags: Chile"
)
SAME_TOPIC_OTHER_TEXT = (
    "Argentina and Chile have agreed to look into building a tunnel beneath the Andes at Agua Negra, according to "
    "a memorandum signed in the Chilean capital. Truck drivers currently face long delays when snow closes the "
    "mountain passes in winter. A development lender is expected to help pay for the work, which supporters say "
    "could boost commerce between Brazil and ports on the Pacific coast."
)


def test_normalise_for_hash_ignores_case_punctuation_and_spacing():
    assert normalise_for_hash("  Hello,   WORLD!\n“Quoted” — text. ") == "hello world quoted text"


def test_content_hash_is_stable_across_typography():
    assert content_hash("France, Armenia sign deal.") == content_hash("france armenia   SIGN deal")
    assert len(content_hash("x")) == 16
    assert content_hash("France and Armenia") != content_hash("France and Azerbaijan")


def test_light_edits_and_furniture_are_near_duplicates():
    index = NearDuplicateIndex(threshold=0.7)
    assert index.add("original", STORY) == []
    matches = index.add("copy", LIGHTLY_EDITED)
    assert [article_id for article_id, _ in matches] == ["original"]
    assert matches[0][1] >= 0.7


def test_same_topic_with_different_wording_is_not_linked():
    index = NearDuplicateIndex(threshold=0.7)
    index.add("original", STORY)
    assert index.add("other", SAME_TOPIC_OTHER_TEXT) == []


def test_adding_the_same_id_twice_does_not_match_itself():
    index = NearDuplicateIndex()
    index.add("a", STORY)
    assert index.add("a", STORY) == []
    assert len(index) == 1


def test_rebuild_from_stored_pairs_and_snapshot_restore():
    index = NearDuplicateIndex()
    index.add_many([("a", STORY), ("b", SAME_TOPIC_OTHER_TEXT)])
    assert "a" in index and len(index) == 2
    assert [article_id for article_id, _ in index.query(LIGHTLY_EDITED)] == ["a"]
    restored = NearDuplicateIndex.restore(index.snapshot())
    assert [article_id for article_id, _ in restored.add("c", LIGHTLY_EDITED)] == ["a"]


def test_short_bodies_still_hash():
    index = NearDuplicateIndex()
    index.add("tiny", "Ceasefire holds")
    assert index.add("tiny2", "Ceasefire holds") == [("tiny", 1.0)]
