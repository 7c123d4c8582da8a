"""``mtqa corpus``: quality-check translation memories and parallel corpora at scale.

Every pair of the inputs (TMX, TSV, JSONL, Parquet, XLIFF, read as streams) is checked
on its own with mtqa's checks and scored (MQM penalty, the learned estimate and the
cosine with an encoder, detected languages, length ratio, a duplicate key), giving one
Parquet row per pair (``mtqa.corpus.rows``). Two engines compute the same rows:
``local`` (a process pool, resumable; ``mtqa.corpus.local``) and ``ray`` (Ray Data;
``mtqa.corpus.ray_engine``). A summary and the ``--keep`` subset are written in one
ordered pass over the rows (``mtqa.corpus.summary``).

Modules: ``pairs`` (reading), ``rows`` (scoring), ``job`` (inputs, settings, the output
folder), ``local`` and ``ray_engine`` (engines), ``keep`` (the safe filter language),
``output`` (ordered reading, kept files), ``summary`` (summary, HTML, Rich),
``command`` (the run), ``cli_view`` (progress bar and terminal output).
"""
