"""The word diff: exact on long texts, where only the changed middle is matched."""

import random
import re
from html import unescape

from django.test import SimpleTestCase

from kratom_info.articles.diff import word_diff

INSERTED = re.compile(
    r'<ins><span class="diff-label">\[added: </span>(.*?)<span class="diff-label">\]</span></ins>',
    re.S,
)
DELETED = re.compile(
    r'<del><span class="diff-label">\[removed: </span>(.*?)<span class="diff-label">\]</span>'
    r"</del>",
    re.S,
)


def sides(html: str) -> tuple[str, str]:
    """The old and the new text, rebuilt from the diff's HTML."""
    old = INSERTED.sub("", DELETED.sub(r"\1", html))
    new = DELETED.sub("", INSERTED.sub(r"\1", html))
    return unescape(old), unescape(new)


class WordDiffTests(SimpleTestCase):
    def test_long_text_with_one_change(self):
        """A one-word change in a long text is reported as exactly that change."""
        words = [f"word{n}" for n in range(6000)]
        old = " ".join(words)
        changed = list(words)
        changed[3000] = "changed"
        result = word_diff(old, " ".join(changed))
        self.assertEqual((result.words_added, result.words_removed), (1, 1))
        self.assertEqual(str(result.html).count("<ins>"), 1)
        self.assertEqual(sides(str(result.html)), (old, " ".join(changed)))

    def test_random_edits_rebuild_both_texts(self):
        """For random edits at the start, middle and end (escaping included), the diff holds
        both texts exactly."""
        rng = random.Random(7)  # noqa: S311 (reproducible test data)
        vocabulary = ["kratom", "dose", "a", "the", "<b>", "&", "sleep", "\n", "  "]
        for _ in range(500):
            old = [rng.choice(vocabulary) for _ in range(rng.randint(0, 30))]
            new = list(old)
            for _ in range(rng.randint(0, 4)):
                where = rng.randint(0, len(new))
                if rng.random() < 0.5 and new:
                    new.pop(min(where, len(new) - 1))
                else:
                    new.insert(where, rng.choice(vocabulary))
            old_text, new_text = " ".join(old), " ".join(new)
            result = word_diff(old_text, new_text)
            self.assertEqual(sides(str(result.html)), (old_text, new_text))
