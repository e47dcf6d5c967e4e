"""ofsted-kg: a knowledge graph of Ofsted children's services inspections.

Turns inspection reports (PDF, text, Markdown, HTML) into an OWL/RDF graph of authorities,
inspections, judgements and findings, each tied to the exact sentence it came from, and
answers which weaknesses persist across inspection cycles.
"""

__version__ = "0.1.0"
