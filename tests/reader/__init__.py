"""Reader tests: Pilot drives the keys a user presses at a fixed size; SVG snapshots."""
