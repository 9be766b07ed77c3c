"""Small text rules that more than one app needs, each written once."""

import unicodedata

__all__ = ["fold", "lines", "xml_text"]

# XML 1.0 cannot carry C0 control characters other than tab, newline and carriage return, nor the
# noncharacters U+FFFE and U+FFFF: a title pasted from a terminal or a comment holding one would
# otherwise make a feed a 500.
_NOT_XML = {code: None for code in range(32) if chr(code) not in "\t\n\r"} | {0xFFFE: None, 0xFFFF: None}


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry."""
    return value.translate(_NOT_XML)


def lines(value: str, *, lower: bool = False) -> list[str]:
    """The entries of a one-per-line list typed by an editor: surrounding and repeated inner
    whitespace folded, empty lines dropped, lower-cased on request."""
    entries = [" ".join(line.split()) for line in value.splitlines()]
    return [entry.lower() if lower else entry for entry in entries if entry]


def fold(value: str) -> str:
    """Text as a reader means it whatever the keyboard: case and accents ignored ("Estúpido" is
    "estupido"), except the tilde of ñ, which makes another word in Spanish ("año" is not "ano")."""
    decomposed = unicodedata.normalize("NFD", value.casefold())
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and not (char == "\u0303" and kept and kept[-1] == "n"):
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))
