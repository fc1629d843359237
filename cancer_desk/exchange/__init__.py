"""The quarterly package: writing it, verifying it, merging many into a roll-up."""
