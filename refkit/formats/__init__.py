"""What the readers and the writers of bibliography formats share, below both: the table of
entry types (CSL ⇄ BibTeX ⇄ BibLaTeX ⇄ RIS) and the LaTeX codec (LaTeX → Unicode for reading a
.bib, Unicode → LaTeX for writing one)."""
