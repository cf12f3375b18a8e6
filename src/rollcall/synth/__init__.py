"""Synthetic data: made-up persons on five overlapping lists, with the ground truth.

No real person's data: every name is drawn from name parts; places of detention are
fictional combinations of a kind, a number and a town.
"""

from rollcall.synth.generator import SynthSummary, generate

__all__ = ["SynthSummary", "generate"]
