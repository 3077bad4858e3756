"""The Discord adapter: the only package that imports discord (lazily, from ``bot.cli``)."""
