"""kg: a knowledge-graph builder for political and economic news.

The library behind the `kg` command; nothing heavy is imported here.
"""
__version__ = "0.1.0"
