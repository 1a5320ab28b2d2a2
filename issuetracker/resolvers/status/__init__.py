"""Public status pages: what anyone may read of a public company (its categories, their open
and lately closed issues, each issue's timeline, as pages and Atom feeds), the stamp that tells
a rendered copy is still good, and following by e-mail from the page."""
