"""campaign-bot: cited answers about Vietnamese plans for the campaign
"Toàn dân đoàn kết xây dựng đời sống văn hóa"."""

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)
