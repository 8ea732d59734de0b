"""Open's analysis as a library: who was heard, agreement, redaction, sources and REFI-QDA.

Pure Python, numpy and pandas: nothing here imports Django, so the web app's ``insight`` app and
scripts share one implementation.

* :mod:`~focuson.insight.representation`: who was heard compared with who is affected
  (representation ratios with Wilson intervals, a goodness-of-fit test, the groups not yet
  heard), after the NHS small-number rule.
* :mod:`~focuson.insight.agreement`: inter-coder agreement per code (percent agreement, Cohen's
  kappa, Krippendorff's alpha).
* :mod:`~focuson.insight.coding_tables`: code co-occurrence and codes by participant attribute,
  as excerpts and as distinct participants (small numbers hidden).
* :mod:`~focuson.insight.redaction`: suggested redactions as code-point spans, applying confirmed
  ones, and the quote k-threshold.
* :mod:`~focuson.insight.sources`: notes and transcripts (TXT, DOCX, WebVTT) as canonical text.
* :mod:`~focuson.insight.refi_qda`: REFI-QDA project export (validated) and import.
"""
