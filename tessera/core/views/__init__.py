"""HTML views of core: the shell (home, company switch, sign-in), set-up screens and the generic screens."""
