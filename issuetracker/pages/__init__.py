"""HTML pages, rendered with aiohttp-jinja2, where links in e-mails land."""
