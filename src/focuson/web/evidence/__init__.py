"""Evidence: imported Find, monitoring and Study results (aggregates only), findings and alerts."""
