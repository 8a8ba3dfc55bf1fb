from __future__ import annotations

import re
import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from roundtrip import hostile_strings

from refkit.formats.latex import (
    _LIGATURE,
    ENCODERS,
    SPECIALS,
    _decode_full,
    _decode_plain,
    to_latex,
    to_text,
)

HOSTILE = hostile_strings()
unicode_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), max_size=40)


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("ascii_only", [True, False])
def test_hostile_strings_read_back(text: str, ascii_only: bool) -> None:
    assert to_text(to_latex(text, ascii_only=ascii_only)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_executable_survives(text: str) -> None:
    latex = to_latex(text)
    assert not re.search(r"\\(input|write|immediate|csname|endcsname)\b", latex)
    assert not re.search(r"^\s*@", latex, re.MULTILINE)  # no line opens a BibTeX block
    assert latex.count("{") == latex.count("}")


@settings(max_examples=300, deadline=None)
@given(st.text(string.printable))
def test_ascii_text_uses_only_escape_commands(text: str) -> None:
    """Every command in the output is one refkit writes for a special character."""
    allowed = {v.strip("{}\\") for v in SPECIALS.values() if v.startswith("\\")}
    commands = set(re.findall(r"\\([A-Za-z]+|.)", to_latex(text)))
    assert commands <= allowed


@settings(max_examples=500, deadline=None)
@given(unicode_text, st.booleans())
def test_any_text_reads_back_composed(text: str, ascii_only: bool) -> None:
    assert to_text(to_latex(text, ascii_only=ascii_only)) == unicodedata.normalize("NFC", text)


def test_every_character_of_common_scripts_reads_back() -> None:
    """Latin, Greek, Cyrillic, punctuation, symbols, math letters: each reads back unchanged."""
    blocks = [(0x20, 0x7F), (0xA0, 0x530), (0x1E00, 0x2C00), (0xFB00, 0xFB07), (0x1D400, 0x1D800)]
    failing = []
    for start, end in blocks:
        for point in range(start, end):
            text = unicodedata.normalize("NFC", f"x{chr(point)}y")
            if unicodedata.category(chr(point)) in ("Cn", "Cc", "Cs", "Mn", "Co"):
                continue
            if to_text(to_latex(text)) != text:
                failing.append(text[1:-1])
    assert failing == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.booleans())
def test_the_table_writes_what_the_encoder_writes(text: str, ascii_only: bool) -> None:
    """Character by character through a table: the same LaTeX as the encoder's whole string."""
    whole = str(ENCODERS[ascii_only].unicode_to_latex(unicodedata.normalize("NFC", text)))
    assert to_latex(text, ascii_only=ascii_only) == _LIGATURE.sub(r"\1{}", whole)


PLAIN_SAMPLES = [
    r"M{\"u}ller and J{\o}rgen",
    r"\O{}ystein \L{}ukasz \AA sa \"Ozg\"ur \c{c}a \v{S}imon \'{e}t\'e \^{\i}le",
    r"50\% of \& in \_ and \# with a~tie",
    r"1998--1999 --- ``quoted'' !`Hola! ?`Qu\'e?",
    r"a-{}-b {SSc} {\"U}bergang in {D}{N}{A}",
    "line one\nline   two & bare % and #",
    r"{\ss}e {\ae}on \o{} \i{}",
]


@pytest.mark.parametrize("latex", PLAIN_SAMPLES)
def test_the_quick_decoder_gives_what_pylatexenc_gives(latex: str) -> None:
    quick = _decode_plain(latex)
    assert quick is not None
    assert quick == _decode_full(latex)


@pytest.mark.parametrize("latex", [r"$\alpha$", r"\foo{x}", r"\url{a_b}", r"a\\b"])
def test_the_quick_decoder_leaves_commands_to_pylatexenc(latex: str) -> None:
    assert _decode_plain(latex) is None


COMMAND_SAMPLES = [
    r"Growth of \textit{E.~coli} in {TNF}-treated cells",
    r"The {\TeX}book and The {\TeX book} and \LaTeX{} and \BibTeX{} files",
    r"\texttt{Davos}: \textsf{ICD-11} \mbox{W H O} \emph{a} \textbf{b} \textsc{c}",
    r"H\textsubscript{2}O and x\textsuperscript{2} \textrm{r} \textup{u} \textmd{m}",
]


@pytest.mark.parametrize("latex", COMMAND_SAMPLES)
def test_the_quick_decoder_reads_simple_commands_as_pylatexenc_does(latex: str) -> None:
    assert _decode_plain(latex) == _decode_full(latex)
