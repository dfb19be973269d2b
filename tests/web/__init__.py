"""Tests of the campaign workspace (par_score.web)."""
