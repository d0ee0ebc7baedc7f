"""Pure text functions of the front end (no Stage, no model): sentence splitting, language-id rules."""
