from django.test import SimpleTestCase

from kratom_info.handouts.codes import (
    ALPHABET,
    LENGTH,
    generate_code,
    is_valid_code,
    normalise_code,
)


class ShortCodeAlphabetTests(SimpleTestCase):
    def test_alphabet_has_no_confusable_characters(self):
        """Codes never use 0/O, 1/l/I or any uppercase letter."""
        for char in "0Oo1lIiL":
            self.assertNotIn(char, ALPHABET)
        self.assertEqual(ALPHABET, ALPHABET.lower())
        self.assertEqual(len(set(ALPHABET)), len(ALPHABET))

    def test_generated_codes_are_valid(self):
        """Generated codes have the configured length and only alphabet characters."""
        for _ in range(200):
            code = generate_code()
            self.assertEqual(len(code), LENGTH)
            self.assertTrue(is_valid_code(code), code)

    def test_typed_codes_are_normalised(self):
        """A code typed in any case, with spaces or a dash, becomes its stored lowercase form."""
        self.assertEqual(normalise_code("AB3X"), "ab3x")
        self.assertEqual(normalise_code(" ab-3X "), "ab3x")

    def test_codes_with_foreign_characters_are_invalid(self):
        """A code with a confusable or foreign character, or of the wrong length, is not valid."""
        for code in ("ab0x", "ab1x", "abox", "ablx", "abc", "abcdefghj", "ab/x", "ab3X"):
            self.assertFalse(is_valid_code(code), code)
