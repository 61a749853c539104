"""Check how an HTML page lays out in headless Chromium, offline: cut text, charts and tables drawn, JS errors.

`render(html, png, width)` opens the file in the Chromium the reports already use, driven by its command line only
(no driver, no playwright): a copy of the page, with a ``<base>`` at the original folder and a script first in its
``<head>`` (a ``data:`` URL, so the page's line numbers stay), is run with ``--dump-dom --screenshot``. The script
records JavaScript errors and failed loads and, `settle_ms` after the load event (for plotly and DataTables/itables
to draw), measures the layout and writes it as JSON into a hidden ``<pre id="layout-report">``, read back from the
dumped DOM. Chromium's screenshot is of its window, so a page taller than the first window (`window`, 1000 px unless
the caller knows the page is long: a report passes `TALL`, and saves a second Chromium run) is run again in a window
as tall as the page (at most `MAX_HEIGHT` px: a taller page is cut there in the PNG, never in the measurements); a
shorter one has its PNG cut to the page's height. The measurements and the PNG come from the same run.

Chromium runs with no network (a dead proxy, every host unresolvable) and a throw-away profile: what a page fetches
from the network shows in `Layout.failed_loads`.

The clipped text (`Layout.clipped`), each line with the text (60 characters), what cut it, by how much and where:

1. an SVG ``<text>`` (plotly axis labels, legends, titles, annotations, bar labels) cut by a rectangular clip path
   around it (plotly's plot area cutting an "outside" bar label) or sticking out of its outermost ``<svg>``, by more
   than 1 px;
2. visible text running past the right (or left) edge of the viewport once cut to every ancestor that clips or
   scrolls sideways: a wide table in an ``overflow-x: auto`` scroller that itself fits the page is not clipped;
3. text cut by an ``overflow: hidden``/``clip`` element too small for it (``text-overflow: ellipsis``, a fixed width
   with ``white-space: nowrap``, a fixed height); DataTables' scrollX header, scrolled with its body, is not.

Hidden text (``display: none``, ``visibility: hidden``, opacity 0, 1 px screen-reader boxes) is not checked.

Limits: the screenshot run's window is as tall as the page, so content sized to the viewport (``height: 100%``,
``vh``; plotly's `write_html` default without a figure height) grows with it: then `Layout.height` is more than
`Layout.png_height` and the PNG misses the bottom. JavaScript sees a viewport ~140 px shorter than the window.
"""

from __future__ import annotations

import base64
import contextlib
import html as html_text
import itertools
import json
import os
import re
import signal
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from bitanalysis.reports.notebook import CHROMIUM_FLAGS, chromium

__all__ = ["MAX_HEIGHT", "BrowserError", "Layout", "render"]

MAX_HEIGHT = 30_000  # px; Chromium takes ~5 s for a 1400 x 30000 screenshot, and a taller PNG is no use to a person
WINDOW_HEIGHT = 1000  # px: the first window; a taller page is measured again in a window as tall as the page
TALL = 10_000  # px: a first window for a page known to be long (a report, a notebook): one run where two would be
TIMEOUT = 120.0  # s of real time per Chromium run
OFFLINE = ["--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars"]


class BrowserError(RuntimeError):
    """Chromium is missing, failed, timed out, or the page could not be measured."""


@dataclass
class Layout:
    """What the page looked like at `width` px."""

    clipped: list[str]  # one line per piece of cut text: the text (first 60 characters) and what cut it
    svg_charts: int  # plotly charts drawn: graph divs holding svg.main-svg (each chart draws two of those)
    tables: int  # DataTables/itables tables drawn (table.dataTable, one per DataTables wrapper)
    plain_tables: int  # other <table> elements
    height: int  # px, the document's full height (in the run that took the screenshot)
    text: str  # document.body.innerText
    errors: list[str]  # JavaScript errors (window "error" events) and unhandled promise rejections, each once
    failed_loads: list[str] = field(default_factory=list)  # scripts, styles, images that did not load (offline: CDNs)
    scrolled: list[str] = field(default_factory=list)  # horizontal scrollers whose content is wider than they are
    width: int = 1400
    png: Path | None = None
    png_height: int = 0  # the PNG's height: min(height, MAX_HEIGHT) but for pages sized to the viewport
    seconds: float = 0.0  # the whole render: one Chromium run, or two for a page taller than the first window
    loaded: bool = True  # False: the load event had not fired when the time budget ran out
    clip_count: int = 0  # all clipped texts found (clipped lists at most 200)
    runs: int = 1  # Chromium runs: 2 for a page taller than the first window


_SCRIPT = r"""(function () {
  var errors = [], failed = [], done = false, MAX = 200;
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName) {
      failed.push('<' + t.tagName.toLowerCase() + '> ' + String(t.src || t.href || t.data || '').slice(0, 200));
      return;
    }
    var where = e.filename ? ' (' + String(e.filename).split('/').pop().slice(0, 80) + ':' + e.lineno + ')' : '';
    errors.push(String(e.message || 'error') + where);
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    errors.push('unhandled promise rejection: ' + String(r && r.message ? r.message : r));
  });

  function label(el) {
    var s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    var c = el.getAttribute('class');
    if (c && c.trim()) s += '.' + c.trim().split(/\s+/).slice(0, 2).join('.');
    return '<' + s + '>';
  }
  function quote(t) {
    t = String(t).replace(/\s+/g, ' ').trim();
    return '"' + (t.length > 60 ? t.slice(0, 60) + '…' : t) + '"';
  }
  var SKIP = '#js-plotly-tester, #layout-report, script, style, noscript, template, title, defs, clipPath, mask, symbol, marker, pattern';
  // DataTables' scrollX header and footer: overflow hidden, but scrolled by script together with the table's body.
  var SYNCED = '.dt-scroll-head, .dt-scroll-foot, .dataTables_scrollHead, .dataTables_scrollFoot';
  function shown(el) {
    if (el.closest(SKIP)) return false;
    return el.checkVisibility ? el.checkVisibility({opacityProperty: true, visibilityProperty: true}) : true;
  }
  function textRect(node, range) {
    range.selectNodeContents(node);
    return range.getBoundingClientRect();
  }
  function px(x) { return Math.round(x) + ' px'; }
  // How far box r sticks out of box c, side by side, beyond 1 px.
  function beyond(r, c) {
    var sides = [];
    if (r.left < c.left - 1) sides.push(px(c.left - r.left) + ' on the left');
    if (r.right > c.right + 1) sides.push(px(r.right - c.right) + ' on the right');
    if (r.top < c.top - 1) sides.push(px(c.top - r.top) + ' at the top');
    if (r.bottom > c.bottom + 1) sides.push(px(r.bottom - c.bottom) + ' at the bottom');
    return sides;
  }
  // The box on the page of an SVG element's clip-path, where it is one rectangle in user space; else null.
  function clipRect(el) {
    var ref = getComputedStyle(el).clipPath, m = /^url\(["']?[^#"')]*#([^"')]+)["']?\)$/.exec(ref || '');
    var path = m && document.getElementById(m[1]);
    if (!path || path.tagName !== 'clipPath' || path.getAttribute('clipPathUnits') === 'objectBoundingBox') return null;
    var shapes = path.children;
    if (shapes.length !== 1 || shapes[0].tagName !== 'rect' || shapes[0].getAttribute('transform')) return null;
    var ctm = el.getScreenCTM(), b = shapes[0];
    if (!ctm || ctm.b || ctm.c) return null;  // rotated or skewed
    var x = b.x.baseVal.value, y = b.y.baseVal.value, w = b.width.baseVal.value, h = b.height.baseVal.value;
    var x1 = ctm.a * x + ctm.e, x2 = ctm.a * (x + w) + ctm.e, y1 = ctm.d * y + ctm.f, y2 = ctm.d * (y + h) + ctm.f;
    return {left: Math.min(x1, x2), right: Math.max(x1, x2), top: Math.min(y1, y2), bottom: Math.max(y1, y2)};
  }

  // The part of the page an element's descendants can be seen in horizontally: the intersection of the padding
  // boxes of every ancestor (itself included) that clips or scrolls sideways, from the memo.
  var clipMemo = new Map();
  function clipBox(el) {
    if (!el || el === document.body || el === document.documentElement) return {left: -Infinity, right: Infinity};
    if (clipMemo.has(el)) return clipMemo.get(el);
    var box = clipBox(el.parentElement), own = null;
    if (el instanceof SVGElement) {
      if (el.tagName.toLowerCase() === 'svg' || el.tagName === 'foreignObject') {
        if (getComputedStyle(el).overflowX !== 'visible') own = el.getBoundingClientRect();
      }
    } else {
      var cs = getComputedStyle(el);
      if (cs.overflowX !== 'visible' && cs.display !== 'inline' && cs.display !== 'contents') {
        var b = el.getBoundingClientRect();
        own = {left: b.left + el.clientLeft, right: b.left + el.clientLeft + el.clientWidth};
      }
    }
    if (own) box = {left: Math.max(box.left, own.left), right: Math.min(box.right, own.right)};
    clipMemo.set(el, box);
    return box;
  }

  function measure(loaded) {
    if (done) return;
    done = true;
    var out = {loaded: loaded, errors: errors, failed_loads: failed};
    try {
      var W = document.documentElement.clientWidth, clipped = [], count = 0;
      function add(line, rect) {  // where it is on the page, to find it in the screenshot
        count++;
        if (clipped.length < MAX) clipped.push(line + ' at x ' + Math.round(rect.left + scrollX) + ', y ' + Math.round(rect.top + scrollY));
      }
      var range = document.createRange();

      // 1. SVG text cut by a clip path, or sticking out of its outermost <svg>.
      document.querySelectorAll('svg text').forEach(function (t) {
        if (!t.textContent.trim() || !shown(t)) return;
        var svg = t.ownerSVGElement;
        while (svg && svg.ownerSVGElement) svg = svg.ownerSVGElement;
        if (!svg) return;
        var r = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) return;
        // Cut by a rectangular clip path around it (plotly's plot area, a legend's scroll box), in part: text wholly
        // outside one is hidden on purpose (points outside the axis range); else sticking out of the <svg>.
        for (var a = t; a && a !== svg; a = a.parentElement) {
          var c = clipRect(a);
          if (c && r.right > c.left && r.left < c.right && r.bottom > c.top && r.top < c.bottom && beyond(r, c).length) {
            add('svg text ' + quote(t.textContent) + ' is cut by the clip path of ' + label(a) + ' (' +
                Math.round(c.right - c.left) + '×' + Math.round(c.bottom - c.top) + ' px) by ' + beyond(r, c).join(', '), r);
            return;
          }
        }
        if (beyond(r, s).length) add('svg text ' + quote(t.textContent) + ' sticks out of its ' + label(svg) + ' (' +
                                     Math.round(s.width) + '×' + Math.round(s.height) + ' px) by ' + beyond(r, s).join(', '), r);
      });

      // 2. Text past the viewport's edges, after cutting it to every ancestor that clips or scrolls sideways.
      var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), node, seen = new Set();
      while ((node = walker.nextNode())) {
        var el = node.parentElement;
        if (!/\S/.test(node.data) || !el || seen.has(el) || !shown(el)) continue;
        var r = textRect(node, range);
        if (r.width < 1 || r.height < 1) continue;
        var box = clipBox(el), left = Math.max(r.left, box.left), right = Math.min(r.right, box.right);
        if (right - left < 1) continue;  // scrolled out of sight inside a scroller, or hidden (check 3)
        var text = el.textContent;
        if (right > W + 1) {
          seen.add(el);
          add('text ' + quote(text) + ' in ' + label(el) + ' runs ' + px(right - W) + ' past the right edge of the ' +
              W + ' px page (no horizontal scroller around it)', r);
        } else if (left < -1 && right > 0) {
          seen.add(el);
          add('text ' + quote(text) + ' in ' + label(el) + ' runs ' + px(-left) + ' past the left edge of the page', r);
        }
      }

      // 3. Text cut by an overflow: hidden/clip element too small for it; innermost first, each text node once.
      var cut = new Set(), all = Array.prototype.slice.call(document.body.querySelectorAll('*')).reverse();
      all.forEach(function (box) {
        if (box instanceof SVGElement || box.closest(SKIP) || box.matches(SYNCED)) return;
        var cs = getComputedStyle(box);
        var hx = cs.overflowX === 'hidden' || cs.overflowX === 'clip', hy = cs.overflowY === 'hidden' || cs.overflowY === 'clip';
        if (!hx && !hy) return;
        if (box.clientWidth <= 1 || box.clientHeight <= 1) return;  // visually hidden on purpose (screen-reader text)
        var wide = hx && box.scrollWidth > box.clientWidth + 1, tall = hy && box.scrollHeight > box.clientHeight + 1;
        if (!wide && !tall) return;
        if (!box.textContent.trim() || !shown(box)) return;
        var b = box.getBoundingClientRect();
        var inner = {left: b.left + box.clientLeft, top: b.top + box.clientTop};
        inner.right = inner.left + box.clientWidth;
        inner.bottom = inner.top + box.clientHeight;
        var how = 'overflow: ' + (cs.overflowX === cs.overflowY ? cs.overflowX : cs.overflowX + ' ' + cs.overflowY) +
                  (cs.textOverflow === 'ellipsis' ? ', text-overflow: ellipsis' : '');
        var size = box.clientWidth + '×' + box.clientHeight + ' px, its content needs ' + box.scrollWidth + '×' + box.scrollHeight + ' px';
        var ellipsis = wide && cs.textOverflow === 'ellipsis', w = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), n, found = false;
        while ((n = w.nextNode())) {
          if (!/\S/.test(n.data) || cut.has(n) || !n.parentElement || !shown(n.parentElement)) continue;
          var r = textRect(n, range);
          if (r.width < 1 && r.height < 1) continue;
          var outside = (hx && (r.right > inner.right + 1 || r.left < inner.left - 1)) ||
                        (hy && (r.bottom > inner.bottom + 1 || r.top < inner.top - 1));
          if (!outside && !(ellipsis && n.parentElement === box)) continue;
          cut.add(n);
          found = true;
          add('text ' + quote(n.data) + ' is cut by ' + label(box) + ' (' + how + '; ' + size + ')', r);
        }
        if (!found && ellipsis) add('text ' + quote(box.textContent) + ' is cut by ' + label(box) + ' (' + how + '; ' + size + ')', b);
      });

      out.clipped = clipped;
      out.clip_count = count;
      // Content wider than its horizontal scroller (a wide table): not cut, but a reader must scroll to see it.
      var scrolled = [];
      all.forEach(function (box) {
        if (box instanceof SVGElement || box.closest(SKIP)) return;
        var cs = getComputedStyle(box);
        if ((cs.overflowX !== 'auto' && cs.overflowX !== 'scroll') || box.scrollWidth <= box.clientWidth + 1) return;
        if (!box.textContent.trim() || !shown(box) || scrolled.length >= MAX) return;
        var widths = box.clientWidth + ' px wide, its content ' + box.scrollWidth + ' px: ';
        scrolled.push(label(box) + ' is ' + widths + quote(box.textContent));
      });
      out.scrolled = scrolled;
      var charts = new Set();
      document.querySelectorAll('svg.main-svg').forEach(function (s) { charts.add(s.closest('.js-plotly-plot') || s.parentElement); });
      out.svg_charts = charts.size;
      var wrappers = new Set(), plain = 0;
      document.querySelectorAll('table').forEach(function (t) {
        var wrapper = t.closest('.dt-container, .dataTables_wrapper');
        if (t.classList.contains('dataTable')) wrappers.add(wrapper || t);
        else if (!wrapper && shown(t)) plain++;
      });
      out.tables = wrappers.size;
      out.plain_tables = plain;
      // The page's height: the bottom of the body's content; the scroll height where the page is taller than the
      // window (a short page's scroll height is the window's, or a little more in quirks mode).
      var bottom = 0, bs = getComputedStyle(document.body), sh = document.documentElement.scrollHeight;
      Array.prototype.forEach.call(document.body.children, function (c) { bottom = Math.max(bottom, c.getBoundingClientRect().bottom); });
      bottom = Math.ceil(bottom + window.scrollY + parseFloat(bs.paddingBottom) + parseFloat(bs.marginBottom));
      // The <html> box holds a last child's margin that collapsed through the body's, where it is not sized to the window.
      var hh = Math.ceil(document.documentElement.getBoundingClientRect().height);
      out.height = Math.max(bottom, Math.abs(hh - window.innerHeight) > 1 ? hh : 0, sh > window.innerHeight + 16 ? sh : 0);
      out.text = document.body.innerText;
    } catch (err) {
      out.failed = String(err && err.stack ? err.stack : err);
    }
    var pre = document.createElement('pre');
    pre.id = 'layout-report';
    pre.style.display = 'none';
    pre.textContent = JSON.stringify(out);
    (document.body || document.documentElement).appendChild(pre);
  }
  window.addEventListener('load', function () { setTimeout(function () { measure(true); }, __SETTLE__); });
  setTimeout(function () { measure(false); }, __FALLBACK__);  // the load event never came
})();
"""

_REPORT = re.compile(r'<pre id="layout-report"[^>]*>(.*?)</pre>', re.S)


def render(
    html: Path,
    png: Path,
    width: int = 1400,
    *,
    settle_ms: int = 2000,
    budget_ms: int = 20000,
    timeout: float = TIMEOUT,
    window: int = WINDOW_HEIGHT,
) -> Layout:
    """Lay `html` out offline in headless Chromium at `width` px: measure it, and save a full-page screenshot to `png`.

    `settle_ms` is the (virtual) time after the load event before measuring, for plotly and DataTables to draw;
    `budget_ms` Chromium's virtual time budget per run; `timeout` the real seconds each Chromium run may take;
    `window` the first window's height (content sized to the viewport, ``100vh``, grows with it).
    Raises `BrowserError` where Chromium is missing, fails or times out, or the page could not be measured.
    """
    html, png = Path(html).resolve(), Path(png).resolve()
    if not html.is_file():
        raise BrowserError(f"no such HTML file: {html}")
    started = time.perf_counter()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="bitanalysis-browser-", ignore_cleanup_errors=True) as tmp:
        page = Path(tmp) / html.name  # the same name, so errors point at the file and line (the injection adds none)
        script = _SCRIPT.replace("__SETTLE__", str(settle_ms)).replace("__FALLBACK__", str(max(budget_ms - 1000, settle_ms)))
        page.write_bytes(_inject(html.read_bytes(), script, html.parent.as_uri() + "/"))
        report, runs = _measure(page, html, png, width, window, Path(tmp) / "profile-1", budget_ms, timeout), 1
        if report["height"] > window:  # a taller page: again, in a window as tall as the page
            window = min(int(report["height"]), MAX_HEIGHT)
            report, runs = _measure(page, html, png, width, window, Path(tmp) / "profile-2", budget_ms, timeout), 2
    png_height = max(1, min(int(report["height"]), window))
    _crop_png(png, png_height)
    return Layout(
        clipped=report["clipped"],
        svg_charts=report["svg_charts"],
        tables=report["tables"],
        plain_tables=report["plain_tables"],
        height=int(report["height"]),
        text=report["text"],
        errors=list(dict.fromkeys(report["errors"])),
        failed_loads=list(dict.fromkeys(report["failed_loads"])),
        scrolled=report.get("scrolled", []),
        width=width,
        png=png,
        png_height=png_height,
        seconds=round(time.perf_counter() - started, 2),
        loaded=report["loaded"],
        clip_count=report["clip_count"],
        runs=runs,
    )


def _measure(page: Path, html: Path, png: Path, width: int, height: int, profile: Path, budget_ms: int, timeout: float) -> dict:
    """One Chromium run on the injected `page` in a `width` x `height` window: the layout report, and the screenshot."""
    dom = _run(
        [f"--window-size={width},{height}", f"--virtual-time-budget={budget_ms}", "--dump-dom", f"--screenshot={png}", page.as_uri()],
        profile,
        timeout,
        html,
    )
    found = _REPORT.search(dom)
    if found is None:
        raise BrowserError(f"the layout script did not report on {html.name} (Chromium printed {len(dom)} characters)")
    report: dict = json.loads(html_text.unescape(found.group(1)))
    if "failed" in report:
        raise BrowserError(f"the layout script failed on {html.name}: {report['failed']}")
    if not png.is_file() or png.stat().st_size == 0:
        raise BrowserError(f"Chromium wrote no screenshot of {html.name} to {png}")
    return report


def _crop_png(png: Path, height: int) -> None:
    """Cut a PNG's rows below `height` (a short page in a taller window); the rows above keep their filters."""
    data = png.read_bytes()
    chunks, at = [], 8
    while at + 8 <= len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        chunks.append((data[at + 4 : at + 8], data[at + 8 : at + 8 + size]))
        at += 12 + size
    if not chunks or chunks[0][0] != b"IHDR":
        raise BrowserError(f"Chromium's screenshot {png.name} is not a PNG")
    width, rows, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if interlace or height >= rows:
        return
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    stride = 1 + (width * channels * depth + 7) // 8  # the filter byte, then the row
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))[: height * stride]
    out = [(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))]
    out += list(itertools.takewhile(lambda chunk: chunk[0] != b"IDAT", chunks[1:]))  # palette, colour space
    out += [(b"IDAT", zlib.compress(pixels, 6)), (b"IEND", b"")]
    png.write_bytes(data[:8] + b"".join(struct.pack(">I", len(b)) + k + b + struct.pack(">I", zlib.crc32(k + b)) for k, b in out))


def _inject(page: bytes, script: str, base: str) -> bytes:
    """The page with `script` (and a <base> at the original folder, for relative links) first in its <head>.

    After a <meta charset> where there is one, so the declared encoding is still read; the bytes stay as they are.
    """
    text = page.decode("utf-8", "surrogateescape")
    head = re.search(r"<head\b[^>]*>", text, re.I)
    html = re.search(r"<html\b[^>]*>", text, re.I)
    meta = re.search(r"<meta\b[^>]*charset[^>]*>", text[:4096], re.I)
    at = meta.end() if meta else head.end() if head else html.end() if html else 0
    source = "data:text/javascript;base64," + base64.b64encode(script.encode()).decode()
    add = ("" if re.search(r"<base\b", text, re.I) else f'<base href="{html_text.escape(base)}">') + f'<script src="{source}"></script>'
    return (text[:at] + add + text[at:]).encode("utf-8", "surrogateescape")


def _run(args: list[str], profile: Path, timeout: float, html: Path) -> str:
    """Chromium's stdout, offline with a fresh profile; the whole process group is killed if it overruns."""
    browser = chromium()
    if browser is None:
        raise BrowserError("Chromium is not installed (.ci/run installs it)")
    command = [browser, *CHROMIUM_FLAGS, *OFFLINE, f"--user-data-dir={profile}", *args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except BaseException as stopped:  # over time, or interrupted: end Chromium and its helpers, then reap it
            _kill(process)
            process.communicate()
            if isinstance(stopped, subprocess.TimeoutExpired):
                raise BrowserError(f"Chromium took more than {timeout:g} s on {html.name}") from None
            raise
    if process.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise BrowserError(f"Chromium failed on {html.name} (exit {process.returncode}): " + " | ".join(tail))
    return out.decode("utf-8", "replace")


def _kill(process: subprocess.Popen) -> None:
    """End the process group of a Chromium not yet reaped (its own session: the group's id is Chromium's own id)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
