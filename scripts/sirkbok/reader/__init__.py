"""What readers see of the numbers: chart style and export, tables, sentences, decisions, citations."""
