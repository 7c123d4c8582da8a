"""Small closed word lists for English heuristics (written for mtqa, not a dictionary).

They name words that, capitalised in the middle of a sentence, show a sentence boundary
that went missing: function words that start sentences, and verbs that Chinese-English
machine translation leaves capitalised after a comma (", Promote the ...").
"""
from __future__ import annotations

# Words that start a sentence and are never part of a name in running text.
SENTENCE_STARTERS = frozenset("""
the this that these those we it its they he she our their his her
there here some many most each every all both such
in at on for with as but and so if when while after before since through by from
to a an also however therefore meanwhile moreover furthermore then now today
currently recently finally first second third only yet still thus hence besides
although though because whether what how why where which who
""".split())

# Verbs (base form and past participle) that open a clause in Chinese-English machine
# translation; capitalised after a comma they mark a run-on sentence.
CLAUSE_VERBS = frozenset("""
take taken make made give given use used
build built carry carried implement implemented strengthen strengthened adhere adhered
create created improve improved continue continued ensure ensured focus focused guide
guided insist insisted deepen deepened enhance enhanced establish established
accelerate accelerated advance advanced support supported develop developed expand
expanded explore explored further increase increased optimize optimized optimise
optimised persist persisted provide provided pay paid put keep kept let strive
achieve achieved realize realized realise realised form formed organize organized
organise organised launch launched consolidate consolidated integrate integrated
study studied learn learned analyze analysed analyzed solve solved serve served
stimulate stimulated try tried do done see seen work worked lead led find found
""".split())

# Words that are titles or parts of names: "Zhang, Director of ...", "Li, Deputy Secretary".
TITLE_WORDS = frozenset("""
secretary deputy director member chairman chairwoman chair president vice minister
head chief general premier governor mayor professor doctor dr mr mrs ms miss sir
ambassador commissioner spokesperson spokesman spokeswoman editor reporter author
""".split())

# Words that open a clause and are followed by a verb: "..., We will".
PRONOUN_STARTERS = frozenset({"We", "They", "It", "He", "She", "The", "This", "These",
                              "Those", "Our", "Their", "There"})
