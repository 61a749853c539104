"""A report's HTML made ready to print on A4: a cover block, a running footer with page numbers, headings kept with what
follows them, tables that break between rows with the header repeated, no chart toolbars, charts the page's width.

The result is only for printing (`reports.notebook.to_pdf` prints it with headless Chromium); the published HTML is left as it is.

The cover's key figures and data date are read from the tags a template wrote (`present.cover`).
"""

from __future__ import annotations

import html as html_lib
import json
import re

from bitanalysis.present.cover import MAX_FIGURES, data_as_of_in, figures_in

# A4 is 210 mm wide; with 15 mm side margins the printed text is 180 mm wide, 680 CSS px. The printable copy is laid out
# at that width on screen too, so plotly's responsive charts draw themselves for the page before it is printed.
PAGE_MARGIN = "16mm 15mm 18mm 15mm"
CONTENT_WIDTH = "180mm"

_KEEP_WITH_NEXT_JS = """
(function () {
  // A heading is kept with what follows it: break-after: avoid on the heading and on every box it ends (a notebook
  // cell that holds only a heading), so the break between the heading's cell and the next cell is avoided too.
  function hasContent(el) {
    return el.textContent.trim() !== "" || el.querySelector("img, svg, table, canvas, .plotly-graph-div") !== null;
  }
  function isLast(el) {
    for (let next = el.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.tagName !== "SCRIPT" && next.tagName !== "STYLE" && hasContent(next)) return false;
    }
    return true;
  }
  function mark() {
    document.querySelectorAll("h1, h2, h3, h4").forEach(function (h) {
      let el = h;
      const stop = function (box) { return !box || box === document.body || box.tagName === "MAIN"; };
      while (!stop(el.parentElement) && isLast(el)) {
        el = el.parentElement;
        el.classList.add("bit-keep-next");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
})();
"""


#: The cover block's style, on screen and in print.
COVER_CSS = """.bit-cover { font-family: Arial, sans-serif; border-bottom: 2px solid #2874a6; padding: 0 0 4mm 0; margin: 0 0 6mm 0; }
.bit-cover .bit-cover-title { font-size: 22pt; font-weight: bold; margin: 0 0 1mm 0; line-height: 1.2; }
.bit-cover .bit-cover-period { font-size: 15pt; margin: 0 0 3mm 0; }
.bit-cover .bit-cover-dates { font-size: 9.5pt; color: #444; margin: 0; }
.bit-cover .bit-cover-figures { display: flex; gap: 4mm; margin: 4mm 0 0 0; }
.bit-cover .bit-cover-figure { flex: 1 1 0; border: 1px solid #c8d6e5; border-radius: 2mm; padding: 2.5mm 3mm; }
.bit-cover .bit-cover-label { font-size: 9pt; color: #444; }
.bit-cover .bit-cover-value { font-size: 14pt; font-weight: bold; margin-top: 1mm; }"""


def print_css(title: str = "", period: str = "") -> str:
    """The style for printing on A4 (a `<style media="print">` block), and the screen style the printable copy needs
    (its width is the page's, so charts lay out for it). `title` and `period` make the running footer's left side
    (the title alone where it already names the period)."""
    footer = _css_string(title if period and period in title else " – ".join(t for t in (title, period) if t))
    return f"""<style>
/* the printable copy: the page's width on screen too, so plotly's responsive charts draw at the printed width */
html, body {{ background: #fff; }}
body.jp-Notebook, body {{ width: {CONTENT_WIDTH}; max-width: {CONTENT_WIDTH}; margin: 0; padding: 0; }}
main, .jp-Notebook-cell, .jp-Cell-outputWrapper, .jp-Cell-inputWrapper, .jp-OutputArea-output {{ padding: 0 !important; }}
.jp-Collapser, .jp-InputPrompt, .jp-OutputPrompt {{ display: none !important; }}
/* nbconvert lays outputs out as table cells, which grow to a wide table; as blocks they keep to the page's width */
.jp-OutputArea-child, .jp-OutputArea-output, .jp-InputArea {{ display: block !important; width: auto !important; }}
.jp-OutputArea-output, .jp-RenderedHTMLCommon {{ max-width: 100%; overflow: visible !important; padding-right: 0 !important; }}
.jp-RenderedHTMLCommon table, main table {{ max-width: 100%; font-size: 9pt; }}
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th, main td, main th {{ padding: 0.3em 0.4em; overflow-wrap: anywhere; }}
.modebar-container, .modebar, .plotly-notifier {{ display: none !important; }}
/* cells that show nothing (the cover's meta tags, code without output) take no room: no page of only a footer */
.jp-Cell:has(meta[name="bit-figures"]), .jp-Cell:has(meta[name="bit-data-as-of"]) {{ display: none !important; }}
.jp-CodeCell:not(:has(.jp-OutputArea-output)) {{ display: none !important; }}
{COVER_CSS}
</style>
<style media="print">
@page {{
  size: A4;
  margin: {PAGE_MARGIN};
  @bottom-left {{ content: "{footer}"; font: 8.5pt Arial, sans-serif; color: #555; }}
  @bottom-right {{ content: "Side " counter(page) " af " counter(pages); font: 8.5pt Arial, sans-serif; color: #555; }}
}}
html, body {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body.jp-Notebook, body {{ width: auto; max-width: 100%; }}
.bit-title-h1 {{ display: none !important; }}
.bit-cover {{ break-inside: avoid; }}
h1, h2, h3, h4 {{ break-after: avoid; break-inside: avoid; }}
.bit-keep-next {{ break-after: avoid; }}
p, li {{ orphans: 3; widows: 3; }}
a.anchor-link {{ display: none !important; }}
table {{ break-inside: auto; }}
thead {{ display: table-header-group; }}
tfoot {{ display: table-footer-group; }}
tr, th, td {{ break-inside: avoid; }}
.js-plotly-plot, .plotly-graph-div {{ max-width: 100% !important; break-inside: avoid; }}
.js-plotly-plot .main-svg {{ max-width: 100%; }}
.jp-OutputArea-output:has(.plotly-graph-div), img, svg {{ break-inside: avoid; }}
.modebar-container, .modebar, .plotly-notifier, .hoverlayer {{ display: none !important; }}
</style>
<script>{_KEEP_WITH_NEXT_JS}</script>
"""


def printable(html: str, title: str, period: str, run_date: str, data_as_of: str, figures: list[tuple[str, str]]) -> str:
    """The report's HTML with the print style and a cover block at the top: the title, the period, the run date, the
    date the data is from, and up to three key figures (label, value); with no figures the block has the rest only.

    The report's own first heading is not printed where it says the same as the cover (title, or title – period)."""
    cover = cover_block(title, period, run_date, data_as_of, figures)
    out = _mark_title_heading(html, title, period)
    style = print_css(title, period)
    out, n = re.subn(r"</head>", lambda _: style + "</head>", out, count=1, flags=re.I)
    if not n:
        out = style + out
    for pattern in (r"<main[^>]*>", r"<body[^>]*>"):
        out, n = re.subn(pattern, lambda m: m.group(0) + cover, out, count=1, flags=re.I)
        if n:
            return out
    return cover + out


def cover_block(title: str, period: str, run_date: str, data_as_of: str, figures: list[tuple[str, str]]) -> str:
    """The cover block's HTML."""
    e = html_lib.escape
    dates = " · ".join(
        part for part in (f"Kørt {e(run_date)}" if run_date else "", f"Data pr. {e(data_as_of)}" if data_as_of else "") if part
    )
    shown = "".join(
        f'<div class="bit-cover-figure"><div class="bit-cover-label">{e(label)}</div><div class="bit-cover-value">{e(value)}</div></div>'
        for label, value in figures[:MAX_FIGURES]
    )
    return (
        '<header class="bit-cover">'
        f'<div class="bit-cover-title">{e(title)}</div>'
        + (f'<div class="bit-cover-period">{e(period)}</div>' if period else "")
        + (f'<p class="bit-cover-dates">{dates}</p>' if dates else "")
        + (f'<div class="bit-cover-figures">{shown}</div>' if shown else "")
        + "</header>"
    )


def first_heading(html: str) -> str:
    """The text of the report's first `<h1>` (its title line), without the notebook's anchor link; '' if none."""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S | re.I)
    if m is None:
        return ""
    text = re.sub(r'<a class="anchor-link".*?</a>', "", m.group(1), flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _mark_title_heading(html: str, title: str, period: str) -> str:
    """Give the first `<h1>` the class that hides it in print, when it says what the cover says."""
    heading = first_heading(html)
    if not heading or heading not in {title, f"{title} – {period}"}:
        return html

    def add_class(m: re.Match[str]) -> str:
        attrs = m.group(1)
        if re.search(r'class="', attrs):
            return "<h1" + re.sub(r'class="', 'class="bit-title-h1 ', attrs, count=1) + ">"
        return f'<h1 class="bit-title-h1"{attrs}>'

    return re.sub(r"<h1([^>]*)>", add_class, html, count=1, flags=re.I)


def _css_string(text: str) -> str:
    """Text as the inside of a CSS string (quotes, backslashes and line breaks escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
