"""Page and browser tests for the base layout, home, login and guides."""
