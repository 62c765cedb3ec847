"""Data layer: series model, validation, providers, local store and universe files."""
