"""presse's face: the Textual reader over the `index` engine."""
