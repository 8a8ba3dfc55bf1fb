"""Plain text ⇄ the LaTeX inside BibTeX values, in both directions (pylatexenc).

The two directions live together so that each stays the other's inverse: text written by
``to_latex`` reads back unchanged through ``to_text``. What LaTeX would execute or BibTeX would
count is written as a text command: a backslash, braces (BibTeX counts them even escaped), ``@``
(which starts a block at the start of a line), ``%``, ``#``, ``&``, ``$``, ``_``, ``~``, ``^``,
``<`` and ``>``. Runs such as ``--`` or ``''``, which TeX turns into one glyph, are split
with ``{}``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache, lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexencode import (
    RULE_CALLABLE,
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)
from pylatexenc.latexwalker import get_default_latex_context_db as get_default_walker_context_db
from pylatexenc.macrospec import LatexContextDb, MacroSpec

# pylatexenc warns through logging about macros it cannot render; refkit reports what matters
# itself, so without a logging set-up those warnings stay off stderr.
logging.getLogger("pylatexenc").addHandler(logging.NullHandler())

SPECIALS = {
    "\\": r"\textbackslash",
    "{": r"\textbraceleft",
    "}": r"\textbraceright",
    "@": "@",  # braced by the encoder: {@}
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde",
    "^": r"\textasciicircum",
    "<": r"\textless",
    ">": r"\textgreater",
    '"': '"',  # braced by the encoder: {"}
}
# Text commands the decoder must know to give back exactly what SPECIALS wrote.
_TEXT_MACROS = {
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textless": "<",
    "textgreater": ">",
    "textquotedbl": '"',
}
_LIGATURE = re.compile(r"(?<!\\)([-'`,!?])(?=[-'`,])")


def _encoder(*, ascii_only: bool) -> UnicodeToLatexEncoder:
    table = {ord(k): v for k, v in SPECIALS.items()}
    specials = UnicodeToLatexConversionRule(RULE_DICT, table)
    rules: list[object] = [specials, _UNFAITHFUL, "defaults"] if ascii_only else [specials]
    return UnicodeToLatexEncoder(
        conversion_rules=rules,
        non_ascii_only=False,
        unknown_char_policy="keep",  # no LaTeX name (CJK, ...): kept as UTF-8, still readable
        unknown_char_warning=False,
        replacement_latex_protection="braces-all",  # {\"u}: one BibTeX special character
    )


def _keep_unfaithful(text: str, position: int) -> tuple[int, str] | None:
    """Keep as UTF-8 a character whose LaTeX name reads back as another character (a Greek
    capital written as a Latin letter, a ligature, a math letter, a special space...)."""
    char = text[position]
    if ord(char) < 128 or _reads_back(char):
        return None
    return 1, char


@cache
def _reads_back(char: str) -> bool:
    sample = f"a{char}a"
    return to_text(str(_DEFAULTS.unicode_to_latex(sample))) == sample


_DEFAULTS = UnicodeToLatexEncoder(
    conversion_rules=["defaults"],
    unknown_char_policy="keep",
    unknown_char_warning=False,
    replacement_latex_protection="braces-all",
)
_UNFAITHFUL = UnicodeToLatexConversionRule(RULE_CALLABLE, _keep_unfaithful)
ENCODERS = {True: _encoder(ascii_only=True), False: _encoder(ascii_only=False)}


class _CharTable(dict[int, str]):
    """Code point → its LaTeX, for ``str.translate``, filled as characters are met.

    Every rule of the encoders reads one character and writes its replacement, so a text's
    LaTeX is the concatenation of its characters'. The encoder itself takes a time per call
    (and per character, growing with the text) that a bibliography of a million values feels;
    a table lookup does not.
    """

    def __init__(self, encoder: UnicodeToLatexEncoder) -> None:
        super().__init__()
        self.encoder = encoder

    def __missing__(self, point: int) -> str:
        latex = self[point] = str(self.encoder.unicode_to_latex(chr(point)))
        return latex


_TABLES = {ascii_only: _CharTable(encoder) for ascii_only, encoder in ENCODERS.items()}


# Text macros whose argument is printed text: pylatexenc's parser knows they take an argument
# but its text table has no entry for them, so their text would be dropped.
_KEEP_ARGUMENT = ("mbox", "hbox", "textmd", "textsf", "texttt", "textup", "textnormal")
# Logos and what a bibliography must not execute: ``\today`` stays as written, never the date
# of the run.
_LOGOS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2e",
    "today": r"\today",
}


# Font commands read as CSL-JSON's rich text, the inverse of what the BibTeX writer does with
# ``<i>TERT</i>``.
_RICH_TEXT = {
    "textit": "<i>%s</i>",
    "emph": "<i>%s</i>",
    "textbf": "<b>%s</b>",
    "textsuperscript": "<sup>%s</sup>",
    "textsubscript": "<sub>%s</sub>",
    "textsc": '<span style="font-variant:small-caps;">%s</span>',
}


def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    macros = [MacroTextSpec(name, simplify_repl=text) for name, text in _TEXT_MACROS.items()]
    macros += [MacroTextSpec(name, simplify_repl=text) for name, text in _LOGOS.items()]
    macros += [MacroTextSpec(name, discard=False) for name in _KEEP_ARGUMENT]
    macros += [MacroTextSpec(name, simplify_repl=text) for name, text in _RICH_TEXT.items()]
    context = context.filter_context(keep_categories=None)
    context.add_context_category("refkit-text", prepend=True, macros=macros)
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=True)


_DECODER = _decoder()


def _walker_context() -> LatexContextDb:
    """The parser's table, told which of the text table's commands take an argument."""
    context = get_default_walker_context_db()
    specs = [MacroSpec(name, "{") for name in ("textsuperscript", "textsubscript")]
    context.add_context_category("refkit-arguments", prepend=True, macros=specs)
    return context


_WALKER_CONTEXT = _walker_context()


def to_latex(text: str, *, ascii_only: bool = True) -> str:
    """Plain text → LaTeX that prints it; ``ascii_only=False`` keeps letters as UTF-8.

    Text is composed first (Unicode NFC): ``u`` + combining diaeresis is written as ``ü``.
    """
    if len(text) <= _SHORT:
        return _short_latex(text, ascii_only)
    return _encode(text, ascii_only)


# Names, journals, keywords and the like repeat across entries and are worked out once; long
# text (an abstract) is each trial's own and would only fill the cache.
_SHORT = 200


def _encode(text: str, ascii_only: bool) -> str:
    latex = unicodedata.normalize("NFC", text).translate(_TABLES[ascii_only])
    return _LIGATURE.sub(r"\1{}", latex)


_short_latex = lru_cache(maxsize=1 << 14)(_encode)


def to_text(latex: str) -> str:
    """LaTeX (as found in a .bib value) → plain Unicode text.

    As BibTeX values are written rather than as TeX would run them: ``\\url{...}`` and the
    address of ``\\href{address}{text}`` stay exactly as written (``~``, ``_``, ``%`` kept),
    ``~`` elsewhere is a space, and a bare ``&``, ``%`` or ``#`` is that character.
    """
    if not _NEEDS_DECODING.search(latex):
        return latex
    if len(latex) <= _SHORT:
        return _short_text(latex)
    return _decode(latex)


# Values without any of these read as themselves (most values of a library): no parse needed.
_NEEDS_DECODING = re.compile(r"[\\{}$~%&#]|--|``|''|[!?]`")
_URL = re.compile(r"\\url\s*\{([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_BARE = re.compile(r"(?<!\\)([&%#])")
_TIE = re.compile(r"(?<!\\)~")
# Private-use characters stand for kept addresses while the rest is decoded.
_HOLD = "\ue000{}\ue001"
_HELD = re.compile("\ue000(\\d+)\ue001")


def _decode(latex: str) -> str:
    quick = _decode_plain(latex)
    return quick if quick is not None else _decode_full(latex)


_SIMPLE_ESCAPE = re.compile(r"\\([&%_#])")
_LIGATURES = re.compile(r"---|--|``|''|!`|\?`")
_LIGATURE_TEXT = {"---": "—", "--": "–", "``": "“", "''": "”", "!`": "¡", "?`": "¿"}


# Font and box commands around plain text, and logos: what titles hold most.
_SIMPLE_COMMAND = re.compile(
    r"\\(textit|emph|textbf|textsuperscript|textsubscript|textsc|mbox|hbox|textmd|textsf"
    r"|texttt|textup|textnormal|textrm)\s*\{([^{}\\$]*)\}"
)
_LOGO = re.compile(r"\\(TeX|LaTeX|BibTeX)(?![A-Za-z])\s*")
_COMMAND_TEXT = {**_RICH_TEXT, **{name: "%s" for name in (*_KEEP_ARGUMENT, "textrm")}}


def _simple_command(match: re.Match[str]) -> str:
    return _COMMAND_TEXT[match.group(1)] % match.group(2)


def _decode_plain(latex: str) -> str | None:
    """What most values need, without a parse: letters (``{\\"u}``, ``\\O{}``), escaped
    specials, ties, ligatures and grouping braces. None when anything else is there (math,
    other commands), for pylatexenc; both give the same text (tests/exporters/test_latex.py)."""
    if "$" in latex:
        return None
    text = decode_letters(latex)
    if "\\" in text:
        text = _SIMPLE_ESCAPE.sub(r"\1", text)
        text = _LOGO.sub(lambda m: m.group(1), _SIMPLE_COMMAND.sub(_simple_command, text))
        if "\\" in text:
            return None
    text = _LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], text.replace("~", " "))
    return text.replace("{", "").replace("}", "")


def _decode_full(latex: str) -> str:
    held: list[str] = []

    def hold(address: str) -> str:
        held.append(address.strip())
        return _HOLD.format(len(held) - 1)

    def href(match: re.Match[str]) -> str:
        text = _decode_full(match.group(2)).strip()
        address = hold(match.group(1))
        return address if not text or text == match.group(1).strip() else f"{text} ({address})"

    latex = _HREF.sub(href, latex)
    latex = _URL.sub(lambda m: hold(m.group(1)), latex)
    latex = _TIE.sub(" ", _BARE.sub(r"\\\1", latex))
    text = str(_DECODER.latex_to_text(latex, latex_context=_WALKER_CONTEXT))
    return _HELD.sub(lambda m: held[int(m.group(1))], text) if held else text


_short_text = lru_cache(maxsize=1 << 16)(_decode)


_ACCENTED = re.compile(
    r"\\[`'^\"~=.](?:\s*\{\s*(?:\\[ij]|[A-Za-z])?\s*\}|\s*\\[ij](?![A-Za-z])|\s*[A-Za-z])"
    r"|\\[uvHcdbkrt](?:\s*\{\s*(?:\\[ij]|[A-Za-z])?\s*\}|\s+\\[ij](?![A-Za-z])|\s+[A-Za-z])"
    r"|\\(?:AA|aa|AE|ae|OE|oe|O|o|L|l|ss|i|j|DH|dh|TH|th|NG|ng)(?![A-Za-z])(?:\s*\{\}|\s*)"
)


def decode_letters(latex: str) -> str:
    """Accented and special letters (``\\"O``, ``\\O{}``, ``\\AA``) → Unicode, the rest left
    as written: a name is split into its parts on its braces and spaces, which TeX's own
    reading of ``\\AA sa`` (one word, ``Åsa``) must not change."""
    if "\\" not in latex:
        return latex
    return _ACCENTED.sub(lambda m: _letter(m.group()), latex)


@lru_cache(maxsize=1 << 12)
def _letter(latex: str) -> str:
    return _decode_full(latex)
