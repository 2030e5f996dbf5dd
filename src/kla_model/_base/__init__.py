"""Layer 0, private: what every layer above may use and that knows nothing of KLA.

Strict YAML reading (:mod:`.strict_yaml`), checking data against the shipped JSON Schemas
(:mod:`.json_schema`), the one check of text read (:mod:`.unsafe_text`), the caps on
problems and echoes (:mod:`.capped`), read-only containers (:mod:`.frozen`), did-you-mean hints
(:mod:`.suggest`), plain-text tables (:mod:`.text`) and the registry through which data
classes find their notebook views (:mod:`.display`).  Imports only :mod:`kla_model.errors`.
"""
