"""The law as code (rules as code on openfisca-core). Nothing here imports Django."""
