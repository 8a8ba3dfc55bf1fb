"""Plain text ⇄ the LaTeX inside BibTeX values, in both directions (pylatexenc).

The two directions live together so that each stays the other's inverse: text written by
``to_latex`` reads back unchanged through ``to_text``. What LaTeX would execute or BibTeX would
count is written as a text command: a backslash, braces (BibTeX counts them even escaped), ``@``
(which starts a block at the start of a line), ``%``, ``#``, ``&``, ``$``, ``_``, ``~``, ``^``,
``<`` and ``>``. Runs such as ``--`` or ``''``, which TeX turns into one glyph, are split
with ``{}``.
"""

from __future__ import annotations

import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

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
# Characters whose LaTeX name in pylatexenc does not read back as the same character (a
# Greek capital written as a Latin letter, ligatures, super/subscripts, spaces, ...): written
# as UTF-8, which LaTeX reads. tests/exporters/test_latex.py checks the list stays complete.
KEEP_AS_UTF8 = (
    "·ĦħĸĿŀŉŦŧŰűɛʷʼˆ˚˛˜ΆΈΉΊΌΎΏΑΒΕΖΗΙΚΜΝΟΡΤΧΪΫέοόϒЃЌѓќѠѡѤѥѦѧѨѩѬѭѮѯѰѱѶѷѸѹѺѻѼѽѾѿҀҁ҂҈҉ӁӂӐ"
    "ӑӖӗ\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a‐‑‒―․‥′″‴⁗\u205f\u2061⁰ⁱ⁴⁵⁶⁷⁸"
    "⁹⁺⁻⁼⁽⁾ⁿ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ℉ℊℎℏℯℴ⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞∆∊∍∎−∕∗√∛∜∣∶∷∺≔≕≭⋄⋅⌖■▭○⟿⦓⩮⩵⪯"
    "⪰⫽〈〉ﬀﬁﬂﬃﬄ"
)
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
    table = {ord(k): v for k, v in SPECIALS.items()} | {ord(c): c for c in KEEP_AS_UTF8}
    specials = UnicodeToLatexConversionRule(RULE_DICT, table)
    rules: list[object] = [specials, "defaults"] if ascii_only else [specials]
    return UnicodeToLatexEncoder(
        conversion_rules=rules,
        non_ascii_only=False,
        unknown_char_policy="keep",  # no LaTeX name (CJK, ...): kept as UTF-8, still readable
        unknown_char_warning=False,
        replacement_latex_protection="braces-all",  # {\"u}: one BibTeX special character
    )


_ASCII = _encoder(ascii_only=True)
_UTF8 = _encoder(ascii_only=False)


def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    macros = [MacroTextSpec(name, simplify_repl=text) for name, text in _TEXT_MACROS.items()]
    context = context.filter_context(keep_categories=None)
    context.add_context_category("refkit-text", prepend=True, macros=macros)
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=True)


_DECODER = _decoder()


def to_latex(text: str, *, ascii_only: bool = True) -> str:
    """Plain text → LaTeX that prints it; ``ascii_only=False`` keeps letters as UTF-8.

    Text is composed first (Unicode NFC): ``u`` + combining diaeresis is written as ``ü``.
    """
    encoder = _ASCII if ascii_only else _UTF8
    latex = encoder.unicode_to_latex(unicodedata.normalize("NFC", text))
    return _LIGATURE.sub(r"\1{}", str(latex))


def to_text(latex: str) -> str:
    """LaTeX (as found in a .bib value) → plain Unicode text."""
    return str(_DECODER.latex_to_text(latex))
