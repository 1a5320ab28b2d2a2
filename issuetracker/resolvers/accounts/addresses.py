"""How an e-mail address is shown on a page that anyone holding its link may open: masked, so a
link that leaks (a browser's history, a shared screen) does not give the address away whole."""


def masked_email(address: str) -> str:
    """`ada@example.com` is shown as `a***@example.com`: enough for its owner to recognise it."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"
