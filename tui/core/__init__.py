"""The domain core: everything sourcecheck computes. It never imports Textual."""
