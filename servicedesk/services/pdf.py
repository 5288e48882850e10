"""HTML to PDF with WeasyPrint: the printable documents are the pages themselves, not a second layout.

Nothing is fetched over the network: the pages inline their styles, and the fetcher allows data:
URLs only (an image, a font or a stylesheet link elsewhere is skipped), so a PDF renders the same
in an office with no internet link.
"""

from __future__ import annotations


def render_pdf(html: str, base_url: str) -> bytes:
    """The PDF of one HTML page; `base_url` resolves its relative links (none are fetched)."""
    # Imported on use: WeasyPrint loads pango, which the queue itself never needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), timeout=1)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
